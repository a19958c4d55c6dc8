// Paired comparisons under common random numbers, against M/M/1's closed form: a variant whose
// service time is 1.1× the baseline's has a known true difference in mean sojourn, and the same
// variant twice has none.
import { describe, expect, it } from "vitest";
import { compare } from "../../src/experiment/compare.ts";
import { mm1File } from "./helpers.ts";

const serviceTime = ["services", "server", "operations", "work", "serviceTime"];

describe("a paired comparison on M/M/1 at λ = 0.5", () => {
  // Baseline exp(1s): W = 1/(1 − 0.5) = 2 s. Variant exp(1.1s): μ = 1/1.1, ρ = 0.55,
  // W = 1.1/(1 − 0.55) = 2.444 s. True difference 444 ms. 10 seeds of 10000 s after 1000 s.
  const file = mm1File(0.5, 11_000, 1000);
  const comparison = compare(file, {
    variants: [
      { name: "base", set: [{ path: serviceTime, value: "exp(1s)" }] },
      { name: "slower", set: [{ path: serviceTime, value: "exp(1.1s)" }] },
      { name: "same", set: [{ path: serviceTime, value: "exp(1s)" }] },
    ],
    seeds: 10,
    workers: "inline",
  });

  it("puts the true difference inside the paired interval, and zero outside it", async () => {
    // Measured: +421.6 ±27.3 ms (paired) where the separate intervals are ±67 and ±93 ms wide.
    const { variants } = await comparison;
    const diff = variants[1].diff!.loads[0].latencyMs;
    const [lo, hi] = diff.meanCi95!;
    expect(lo).toBeLessThan(444.4);
    expect(hi).toBeGreaterThan(444.4);
    expect(lo).toBeGreaterThan(0);
    expect(diff.meanVerdict).toBe("worse");
  });

  it("gives a paired interval far tighter than the two separate ones", async () => {
    const { variants } = await comparison;
    const half = (ci: [number, number] | null) => (ci![1] - ci![0]) / 2;
    const paired = half(variants[1].diff!.loads[0].latencyMs.meanCi95);
    const separate = Math.hypot(
      half(variants[0].loads[0].latencyMs.meanCi95),
      half(variants[1].loads[0].latencyMs.meanCi95),
    );
    expect(paired).toBeLessThan(separate / 2);
  });

  it("finds no significant difference between a variant and itself", async () => {
    const { variants } = await comparison;
    const same = variants[2].diff!;
    expect(same.baseline).toBe("base");
    expect(same.seeds).toBe(10);
    const figures = same.loads[0];
    expect(figures.latencyMs.meanVerdict).toBe("no significant difference");
    expect(figures.latencyMs.p99Verdict).toBe("no significant difference");
    expect(figures.errorRateVerdict).toBe("no significant difference");
    expect(figures.latencyMs.mean).toBe(0);
  });
});

describe("compare --baseline", () => {
  it("measures every variant against the one named", async () => {
    const file = mm1File(0.5, 1100, 100);
    const { baseline, variants } = await compare(file, {
      variants: [
        { name: "a", set: [{ path: serviceTime, value: "exp(1s)" }] },
        { name: "b", set: [{ path: serviceTime, value: "exp(0.5s)" }] },
      ],
      baseline: "b",
      seeds: 3,
      workers: "inline",
    });
    expect(baseline).toBe("b");
    expect(variants[1].diff).toBeNull();
    expect(variants[0].diff!.baseline).toBe("b");
    expect(variants[0].diff!.loads[0].latencyMs.meanVerdict).toBe("worse");
  });
});
