// The cost of declaring business effects (issue 18's target: at most 10% more than the plain
// checkout): checkout-1M and checkout-effects-1M cut to a quarter, alternated in one process, each
// run's CPU time (process.cpuUsage, less sensitive to other processes' load than wall time).
// Run: node --import tsx bench/effectsCost.ts [rounds]
import { runScenario } from "../src/run/runScenario.ts";
import type { Scenario } from "../src/scenario/types.ts";
import { findCase } from "./cases.ts";

const rounds = Number(process.argv[2] ?? 4);

function quarter(name: string): Scenario {
  const s = findCase(name).build();
  return {
    ...s,
    durationMs: s.durationMs / 4,
    load: s.load.map((l) => ({ ...l, durationMs: l.durationMs / 4 })),
  };
}

const cases = ["checkout-1M", "checkout-effects-1M"].map((name) => ({
  name,
  scenario: quarter(name),
}));
const cpu: Record<string, number[]> = {};
for (let round = 0; round < rounds; round++) {
  for (const c of cases) {
    const start = process.cpuUsage();
    runScenario(c.scenario);
    const used = process.cpuUsage(start);
    (cpu[c.name] ??= []).push((used.user + used.system) / 1e6);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const c of cases)
  console.log(
    c.name,
    cpu[c.name].map((x) => x.toFixed(2)).join(" "),
    "median",
    median(cpu[c.name]).toFixed(2),
  );
console.log("ratio", (median(cpu["checkout-effects-1M"]) / median(cpu["checkout-1M"])).toFixed(3));
