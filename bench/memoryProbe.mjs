// One measurement for bench/memoryEstimate.ts, in a process of its own and on the compiled dist/
// (as the meshsim command runs, without tsx's own memory): the scenario with the overrides given
// as JSON, estimated by scenario/cost's estimateCost, run, then the process's peak resident set
// size (getrusage's maxrss). Prints one JSON line. Needs `npm run build` first.
import { readFileSync } from "node:fs";
import { runScenario } from "../dist/run/runScenario.js";
import { estimateCost } from "../dist/scenario/cost.js";
import { parseScenario } from "../dist/scenario/loader.js";

const [file, overridesJson = "[]"] = process.argv.slice(2);
const overrides = JSON.parse(overridesJson).map(([path, value]) => ({
  path,
  value,
  origin: "bench",
}));
const scenario = parseScenario(readFileSync(file, "utf8"), file, overrides);
const estimate = estimateCost(scenario);
const result = runScenario(scenario);
const rssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ estimateMB: estimate.memoryMB, rssMB: Math.round(rssMB), events: result.events })}\n`,
);
