// The cheapest-point search on synthetic oracles (no simulation): on any monotone pass region it
// returns exactly the cheapest passing point of the lattice, checked against brute force, and it
// evaluates a small part of the grid; when the oracle breaks monotonicity it says so.
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { CheapestSearch } from "../../../src/experiment/capacity/cheapest.ts";
import { type Dimension, type Index, Space } from "../../../src/experiment/capacity/space.ts";
import { SyntheticOracle } from "./oracle.ts";

function space(values: number[][], weights: number[]): Space {
  return new Space(
    values.map(
      (v, i): Dimension => ({ path: ["d", i], name: `d${i}`, values: v, weight: weights[i] }),
    ),
  );
}

/** Every index of the lattice. */
function lattice(s: Space): number[][] {
  let all: number[][] = [[]];
  for (const d of s.dims) all = all.flatMap((p) => d.values.map((_, k) => [...p, k]));
  return all;
}

function valuesAt(s: Space, index: Index): number[] {
  return s.dims.map((d, i) => d.values[index[i]]);
}

/** The cheapest passing point by brute force, in the space's order, or null. */
function bruteForce(s: Space, passes: (values: number[]) => boolean): number[] | null {
  const passing = lattice(s).filter((i) => passes(valuesAt(s, i)));
  passing.sort((a, b) => s.compare(a, b));
  return passing[0] ?? null;
}

/** A monotone region: the points at or above some generator in every dimension. */
function upwardClosed(generators: number[][]): (values: number[]) => number {
  return (x) =>
    generators.length === 0
      ? -1
      : Math.max(...generators.map((g) => Math.min(...g.map((gi, i) => x[i] - gi + 0.5))));
}

const dimension = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 8 })
  .map((steps) => steps.map((_, i) => 1 + steps.slice(0, i).reduce((a, b) => a + b, 0)));

const problem = fc.integer({ min: 1, max: 3 }).chain((n) =>
  fc.record({
    values: fc.array(dimension, { minLength: n, maxLength: n }),
    weights: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: n, maxLength: n }),
    generators: fc.array(
      fc.array(fc.integer({ min: 0, max: 30 }), { minLength: n, maxLength: n }),
      {
        maxLength: 4,
      },
    ),
  }),
);

describe("the cheapest-point search on a monotone region", () => {
  fcTest.prop([problem, fc.boolean()], { numRuns: 300 })(
    "finds a passing point and no cheaper point of the lattice passes (brute force), or says none passes",
    async ({ values, weights, generators }, withBound) => {
      const s = space(values, weights);
      const margin = upwardClosed(generators);
      const oracle = new SyntheticOracle(margin);
      const bounds = s.dims.map((d) => (withBound ? Math.floor(d.values.length / 2) : null));
      const outcome = await new CheapestSearch(s, oracle, bounds).run({ grid: false, profile: 0 });
      const expected = bruteForce(s, (x) => margin(x) > 0);
      if (expected === null) {
        expect(outcome.status).toBe("none");
        expect(outcome.best).toBeNull();
      } else {
        expect(outcome.status).toBe("found");
        expect(outcome.best).toEqual(expected);
        expect(margin(valuesAt(s, outcome.best!))).toBeGreaterThan(0);
      }
      expect(outcome.contradictions).toEqual([]);
    },
  );

  fcTest.prop([problem], { numRuns: 100 })(
    "agrees with its own --grid mode",
    async ({ values, weights, generators }) => {
      const s = space(values, weights);
      const margin = upwardClosed(generators);
      const run = (grid: boolean) =>
        new CheapestSearch(
          s,
          new SyntheticOracle(margin),
          s.dims.map(() => null),
        ).run({
          grid,
          profile: 0,
        });
      const [searched, gridded] = [await run(false), await run(true)];
      expect(searched.best).toEqual(gridded.best);
      expect(searched.status).toBe(gridded.status);
    },
  );
});

/** The two-station tandem of the closed-form test: mean sojourn 1/(μ1 − λ/n1) + 1/(μ2 − λ/n2). */
function tandemMarginMs([n1, n2]: number[]): number {
  const r1 = 12.5 - 80 / n1;
  const r2 = 1000 / 60 - 80 / n2;
  return r1 <= 0 || r2 <= 0 ? -1e9 : 508 - 1000 * (1 / r1 + 1 / r2);
}

describe("the search on a 15 × 15 space", () => {
  const range = Array.from({ length: 15 }, (_, i) => i + 1);

  it("finds the tandem's cheapest pair at cost 3·n1 + 2·n2 with under a quarter of the grid's points", async () => {
    const s = space([range, range], [3, 2]);
    const oracle = new SyntheticOracle(tandemMarginMs);
    const outcome = await new CheapestSearch(s, oracle, [6, 4]).run({ grid: false, profile: 2 });
    expect(outcome.best).toEqual(bruteForce(s, (x) => tandemMarginMs(x) > 0));
    expect(valuesAt(s, outcome.best!)).toEqual([9, 7]);
    // Measured: 16 of 225 points (with the profile of 2 either side), in 8 waves.
    console.log(`tandem 15 × 15: ${oracle.records.size} of 225 points, ${oracle.waves} waves`);
    expect(oracle.records.size).toBeLessThanOrEqual(225 / 4);
  });

  fcTest.prop([fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 2, maxLength: 2 })], {
    numRuns: 100,
  })("evaluates under a quarter of the grid for any single-corner region", async (g) => {
    const s = space([range, range], [1, 1]);
    const oracle = new SyntheticOracle(upwardClosed([g.map((k) => k + 1)]));
    const outcome = await new CheapestSearch(s, oracle, [null, null]).run({
      grid: false,
      profile: 0,
    });
    expect(valuesAt(s, outcome.best!)).toEqual(g.map((k) => k + 1));
    expect(oracle.records.size).toBeLessThanOrEqual(225 / 4);
  });
});

describe("when the runs contradict monotonicity", () => {
  it("reports the contradiction and answers the cheapest point seen to pass, whose cheaper neighbour fails", async () => {
    // Passes from 3 on, except at 4: more of the one path made it worse there. Bisection finds
    // 5 (4 fails); the profile around it runs 3, which passes: a contradiction.
    const s = space([[1, 2, 3, 4, 5, 6, 7, 8]], [1]);
    const oracle = new SyntheticOracle(([x]) => (x >= 3 && x !== 4 ? 1 : -1));
    const outcome = await new CheapestSearch(s, oracle, [null]).run({ grid: false, profile: 2 });
    expect(outcome.contradictions).toContainEqual({ passes: [2], fails: [3] });
    expect(valuesAt(s, outcome.best!)).toEqual([3]);
    expect(oracle.get("1")?.verdict).toBe("fail");
    expect(outcome.neighbours).toEqual([[1]]);
  });
});

describe("points left undecided at the seed cap", () => {
  it("make the outcome undecided when they are cheaper than the answer and not known to fail", async () => {
    // The margin is x − 4.5 with everything within 1 undecided: 4 and 5 stay undecided.
    const s = space([[1, 2, 3, 4, 5, 6, 7, 8]], [1]);
    const oracle = new SyntheticOracle(([x]) => x - 4.5, 0.6);
    const outcome = await new CheapestSearch(s, oracle, [null]).run({ grid: false, profile: 0 });
    expect(valuesAt(s, outcome.best!)).toEqual([6]);
    expect(outcome.status).toBe("undecided");
    expect(outcome.undecided.map((i) => valuesAt(s, i)[0]).sort()).toEqual([4, 5]);
  });
});
