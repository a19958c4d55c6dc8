// scenarios/black-friday.yaml, reduced so a test can afford a brute-force grid: the checkout at
// its usual peak (600/s), 30 s runs, order and payment instances varied over 5 × 5 values. The
// search's recommendation must be the grid's cheapest passing point on the same seeds, with fewer
// runs.
import { describe, expect, it } from "vitest";
import { capacity } from "../../../src/experiment/capacity/capacity.ts";
import type { CapacityPlan } from "../../../src/result/capacity.ts";
import { scenarioFile } from "../helpers.ts";

const reduced = scenarioFile("black-friday.yaml", [
  [/^duration: .*$/m, "duration: 30s"],
  [/^warmup: .*$/m, "warmup: 10s"],
  [/^ {4}rate: 3000 .*$/m, "    rate: 600"],
]);

const vary = [
  { path: ["services", "order", "instances"], values: [2, 3, 4, 5, 6] },
  { path: ["services", "payment", "instances"], values: [3, 4, 5, 6, 7] },
];

describe("black-friday, reduced to order × payment at 600/s", () => {
  it("recommends the brute-force grid's cheapest passing point, with fewer runs", async () => {
    const options = { vary, seeds: 2, maxSeeds: 8, workers: "inline" as const };
    const searched = (await capacity(reduced, options)) as CapacityPlan;
    const grid = (await capacity(reduced, { ...options, grid: true })) as CapacityPlan;
    expect(grid.status).toBe("found");
    expect(searched.recommended).toEqual(grid.recommended);
    expect(searched.status).toBe(grid.status);
    // The offered work sets the model's bounds: order ⌊600 × 17 ms / 4⌋ + 1 = 3 (2.55 busy slots
    // per instance's 4), payment ⌊600 × 47.8 ms / 8⌋ + 1 = 4.
    expect(searched.dimensions.map((d) => d.modelBound)).toEqual([3, 4]);
    console.log(
      `black-friday reduced: search ${searched.runs} runs at ${searched.pointsEvaluated} points, grid ${grid.runs} runs at 25; recommended ${JSON.stringify(searched.recommended)}`,
    );
    expect(searched.runs).toBeLessThan(grid.runs);
    // Why nothing cheaper works: each neighbour one step down fails (or is undecided).
    for (const n of searched.cheaperNeighbours) expect(n.verdict).not.toBe("pass");
  }, 300_000);
});
