// The capacity benchmark: `meshsim capacity` on a 15 × 15 space (bench/capacity-tandem.yaml, two
// stations' instance counts at cost 3·n1 + 2·n2, 3 seeds a point) and, with `grid` as argument,
// the same question answered by evaluating all 225 points. Prints the runs each used, the share
// of the grid's runs the search needed (target at most 1/4), the answers (which must agree) and
// the wall time. Never fails. Run: npx tsx bench/capacity.ts [grid]
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { capacity } from "../src/experiment/capacity/capacity.ts";
import type { CapacityPlan } from "../src/result/capacity.ts";

const file = fileURLToPath(new URL("./capacity-tandem.yaml", import.meta.url));
const range = Array.from({ length: 15 }, (_, i) => i + 1);
const options = {
  vary: [
    { path: ["services", "front", "instances"], values: range },
    { path: ["services", "back", "instances"], values: range },
  ],
  cost: [
    { path: ["services", "front", "instances"], weight: 3 },
    { path: ["services", "back", "instances"], weight: 2 },
  ],
  seeds: 3,
};

async function measure(grid: boolean): Promise<CapacityPlan> {
  const started = performance.now();
  const plan = (await capacity(file, { ...options, grid })) as CapacityPlan;
  const wall = (performance.now() - started) / 1000;
  console.log(
    `capacity ${grid ? "grid  " : "search"}: ${plan.runs} runs at ${plan.pointsEvaluated} points, recommended ${JSON.stringify(plan.recommended)}, ${wall.toFixed(1)} s wall (load ${loadavg()[0].toFixed(1)})`,
  );
  return plan;
}

const searched = await measure(false);
console.log(
  `capacity: the search used ${searched.runs} of the grid's ${searched.gridSize} runs at the same seeds (${((100 * searched.runs) / searched.gridSize).toFixed(1)}%, target <= 25%)`,
);
if (process.argv[2] === "grid") {
  const gridded = await measure(true);
  const same = JSON.stringify(gridded.recommended) === JSON.stringify(searched.recommended);
  console.log(
    `capacity: grid and search ${same ? "agree" : "DISAGREE"}; the grid ran ${gridded.runs} runs`,
  );
}
