// The max-rate search on a synthetic oracle: for any ceiling λ* and any starting rate it brackets
// λ* (highest passing rate below it, lowest failing above) narrowed to the precision asked.
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { MaxRateSearch, type RateLoad } from "../../../src/experiment/capacity/maxRate.ts";
import { SyntheticOracle } from "./oracle.ts";

function load(fileRate: number): RateLoad {
  return {
    name: "shoppers",
    timeUnit: "1s",
    fileRate,
    candidate: (rate) => ({
      key: String(rate),
      set: [{ path: ["load", 0, "rate"], value: rate }],
      label: `at ${rate}`,
      step: "start",
    }),
  };
}

describe("the max-rate search", () => {
  fcTest.prop(
    [
      fc.double({ min: 1, max: 1000, noNaN: true }),
      fc.double({ min: 0.05, max: 20, noNaN: true }),
      fc.constantFrom(0.01, 0.02, 0.05),
    ],
    { numRuns: 200 },
  )(
    "brackets the ceiling to the precision from any starting rate",
    async (ceiling, ratio, precision) => {
      const fileRate = Number((ceiling * ratio).toPrecision(6));
      const oracle = new SyntheticOracle(([rate]) => ceiling - rate);
      const found = await new MaxRateSearch(oracle, load(fileRate), precision).run();
      expect(found.status).toBe("found");
      const [pass, fail] = found.bracket as [number, number];
      expect(pass).toBeLessThan(ceiling);
      expect(fail).toBeGreaterThanOrEqual(ceiling);
      expect((fail - pass) / pass).toBeLessThanOrEqual(precision);
      expect(found.maxRate).toBe(pass);
      expect(found.contradictions).toEqual([]);
    },
  );

  it("says none passes when even the lowest rate tried fails", async () => {
    const oracle = new SyntheticOracle(() => -1);
    const found = await new MaxRateSearch(oracle, load(100), 0.02).run();
    expect(found.status).toBe("none");
    expect(found.maxRate).toBeNull();
    expect(found.bracket[0]).toBeNull();
  });

  it("flags a cliff where the figure jumps across the bracket rather than rising smoothly", async () => {
    // The margin is 0.9 of the limit below 100/s and −5 above it: a queue that fills.
    const cliff = new SyntheticOracle(([rate]) => (rate < 100 ? 0.9 : -5));
    const smooth = new SyntheticOracle(([rate]) => (100 - rate) / 100);
    const jumped = await new MaxRateSearch(cliff, load(60), 0.02).run();
    const rose = await new MaxRateSearch(smooth, load(60), 0.02).run();
    expect(jumped.cliff).toBe(true);
    expect(rose.cliff).toBe(false);
    expect(jumped.bracket[0]).toBeLessThan(100);
    expect(jumped.bracket[1]).toBeGreaterThanOrEqual(100);
  });
});
