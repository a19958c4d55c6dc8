// npm run swarm: the long swarm campaign of issue 17, not part of npm test (minutes of CPU).
// 1. scenarios/fragile-checkout.yaml under single pod kills: a violation of its error threshold
//    within 200 seeds, shrunk to at most two faults; the case file replays the same violation
//    byte for byte, twice. 2. scenarios/fragile-checkout-fixed.yaml: no violation over 1,000 seeds,
//    with the states they reached. Cases go to reports/swarm/. Exits 1 if either does not hold.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resultJson } from "../src/run/files.ts";
import { runScenario } from "../src/run/runScenario.ts";
import { parseScenario } from "../src/scenario/loader.ts";
import { fromFile, runChecked, type SwarmReport, swarm } from "../src/testing/index.ts";

const OUT = "reports/swarm";
const SINGLE_POD_KILLS = { kinds: ["pod-kill"], maxFaults: 2, maxInstances: 1 };
let failed = false;
const fail = (message: string) => {
  process.stderr.write(`FAIL: ${message}\n`);
  failed = true;
};

function summary(report: SwarmReport): string {
  const coverage = Object.entries(report.coverage)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  return `${report.scenario}: ${report.seeds} seeds, ${report.violations.length} violation(s); reached: ${coverage}; determinism: ${report.determinism.checked} checked, ${report.determinism.mismatches.length} mismatched`;
}

const progress = (name: string) => (s: { seed: number }) => {
  if ((s.seed + 1) % 50 === 0) process.stderr.write(`${name}: ${s.seed + 1} seeds\n`);
};

// 1. The fragile checkout: the first violation within 200 seeds, shrunk and replayed.
const fragile = swarm(fromFile("scenarios/fragile-checkout.yaml"), {
  seeds: 200,
  maxViolations: 1,
  ...SINGLE_POD_KILLS,
  onSeed: progress("fragile-checkout"),
});
process.stdout.write(`${summary(fragile)}\n`);
const [found] = fragile.violations;
if (found === undefined) fail("no violation of fragile-checkout within 200 seeds");
else {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `fragile-checkout-seed${found.seed}-${found.invariant}.yaml`);
  writeFileSync(file, found.text);
  process.stdout.write(
    `  seed ${found.seed}: ${found.invariant}: ${found.message}; ${found.faults.length} fault(s) -> ${file}\n`,
  );
  if (found.invariant !== "thresholds")
    fail(`expected the error threshold, got ${found.invariant}`);
  if (found.faults.length > 2) fail(`the minimal case has ${found.faults.length} faults`);
  const replay = parseScenario(found.text, file);
  const once = resultJson(runScenario(replay));
  const twice = resultJson(runScenario(replay));
  if (once !== twice) fail("the case file's two runs differ");
  const checked = runChecked(replay, { stopAtFirst: false });
  if (checked.violation?.message !== found.message)
    fail(`the case replays as ${checked.violation?.message ?? "no violation"}`);
  if (checked.result === null || resultJson(checked.result) !== once)
    fail("the watched replay's result differs from the plain run's");
}

// 2. The fixed variant: no violation over 1,000 seeds.
const fixed = swarm(fromFile("scenarios/fragile-checkout-fixed.yaml"), {
  seeds: 1000,
  ...SINGLE_POD_KILLS,
  onSeed: progress("fragile-checkout-fixed"),
});
process.stdout.write(`${summary(fixed)}\n`);
for (const v of fixed.violations)
  fail(`fixed variant, seed ${v.seed}: ${v.invariant}: ${v.message}`);
if (fixed.determinism.mismatches.length > 0)
  fail(`determinism mismatches at seeds ${fixed.determinism.mismatches.join(", ")}`);
process.exitCode = failed ? 1 : 0;
