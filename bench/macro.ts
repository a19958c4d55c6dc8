// Whole-scenario benchmarks: each case of bench/cases.ts runs in a fresh child process
// (bench/macroCase.ts), so its peak RSS (process.resourceUsage().maxRSS) is its own. Prints one
// line per run, a table of the median run per case, and a verdict per project target. It never
// fails the process: the verdicts are for reading.
// Run: npx tsx bench/macro.ts
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CASES, type CaseMeasurement, type MacroCase, ONE_MILLION } from "./cases.ts";

const TARGET_MM1_PER_S = 2_000_000;
const TARGET_TANDEM_PER_S = 500_000;
const TARGET_CHECKOUT_PER_S = 200_000;
const TARGET_MEMORY_RATIO = 1.5;
/** Issue 4: checkout with every recovery mechanism on costs at most this much more. */
const TARGET_RECOVERY_COST_RATIO = 1.5;
/** Issue 18: checkout with business effects declared (no saga) costs at most this much more. */
const TARGET_EFFECTS_COST_RATIO = 1.1;
/** Runs per case: the cheap 1 M cases are repeated and the median run reported. */
const RUNS_1M = 3;
const RUNS_10M = 1;

const runner = fileURLToPath(new URL("./macroCase.ts", import.meta.url));

function runCase(benchCase: MacroCase): CaseMeasurement {
  // node --import tsx: one process, no npx wrapper, so maxRSS is the case's own.
  const stdout = execFileSync(
    process.execPath,
    ["--import", "tsx", "--expose-gc", runner, benchCase.name],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lastLine = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(lastLine) as CaseMeasurement;
}

function printRun(m: CaseMeasurement, run: number, runs: number): void {
  console.log(
    `${m.name} run ${run}/${runs}: ${m.requests.toLocaleString("en")} requests, ${m.events.toLocaleString("en")} events, ` +
      `${m.wallSeconds.toFixed(3)} s, ${fmtInt(m.events / m.wallSeconds)} events/s, ` +
      `${fmtInt(m.requests / m.wallSeconds)} requests/s, peak RSS ${m.maxRssMB.toFixed(1)} MB ` +
      `(before run ${m.rssBeforeMB.toFixed(1)} MB, after ${m.rssAfterMB.toFixed(1)} MB), live heap after GC ${m.heapUsedAfterGcMB.toFixed(1)} MB, stop: ${m.stopReason}`,
  );
}

function median(runs: CaseMeasurement[]): CaseMeasurement {
  const sorted = [...runs].sort((a, b) => a.wallSeconds - b.wallSeconds);
  return sorted[(sorted.length - 1) >> 1];
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString("en");
}

const results = new Map<string, CaseMeasurement>();
for (const benchCase of CASES) {
  const runs = benchCase.requests > ONE_MILLION ? RUNS_10M : RUNS_1M;
  const measured: CaseMeasurement[] = [];
  for (let run = 1; run <= runs; run++) {
    const m = runCase(benchCase);
    printRun(m, run, runs);
    measured.push(m);
  }
  results.set(benchCase.name, median(measured));
}

console.table(
  CASES.map((c) => {
    const m = results.get(c.name)!;
    return {
      scenario: c.description,
      "simulated requests": m.requests,
      events: m.events,
      "wall s": Number(m.wallSeconds.toFixed(3)),
      "events/s": Math.round(m.events / m.wallSeconds),
      "requests/wall-s": Math.round(m.requests / m.wallSeconds),
      "peak RSS MB": Number(m.maxRssMB.toFixed(1)),
      "RSS growth MB": Number((m.maxRssMB - m.rssBeforeMB).toFixed(1)),
      "heap after GC MB": Number(m.heapUsedAfterGcMB.toFixed(1)),
    };
  }),
);
console.log(
  `(median of ${RUNS_1M} runs for 1 M cases, ${RUNS_10M} for the larger ones; peak RSS is the child's maxRSS, ` +
    `RSS growth is peak minus RSS just before the run, i.e. without the Node + tsx baseline; heap after GC is the live heap at the end)`,
);

const get = (name: string): CaseMeasurement => {
  const m = results.get(name);
  if (!m) throw new Error(`missing result for ${name}`);
  return m;
};
const oneM = (prefix: string) => get(`${prefix}-1M`);
const tenM = (prefix: string) =>
  get(
    CASES.find(
      (c) =>
        c.name.startsWith(`${prefix}-`) && !c.name.includes("recovery") && c.requests > ONE_MILLION,
    )!.name,
  );

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const mm1Rate = oneM("mm1").requests / oneM("mm1").wallSeconds;
const tandemRate = oneM("tandem").requests / oneM("tandem").wallSeconds;
console.log(
  `${verdict(mm1Rate >= TARGET_MM1_PER_S)} M/M/1 1M: ${fmtInt(mm1Rate)} customers per wall-second (target >= ${fmtInt(TARGET_MM1_PER_S)})`,
);
console.log(
  `${verdict(tandemRate >= TARGET_TANDEM_PER_S)} tandem 1M: ${fmtInt(tandemRate)} requests per wall-second (target >= ${fmtInt(TARGET_TANDEM_PER_S)})`,
);
const checkoutRate = oneM("checkout").requests / oneM("checkout").wallSeconds;
console.log(
  `${verdict(checkoutRate >= TARGET_CHECKOUT_PER_S)} checkout 1M: ${fmtInt(checkoutRate)} end-user requests per wall-second (target >= ${fmtInt(TARGET_CHECKOUT_PER_S)})`,
);
const recovery = get("checkout-recovery-1M");
const recoveryCost =
  recovery.wallSeconds /
  recovery.requests /
  (oneM("checkout").wallSeconds / oneM("checkout").requests);
console.log(
  `${verdict(recoveryCost <= TARGET_RECOVERY_COST_RATIO)} checkout with all recovery on: ${fmtInt(recovery.requests / recovery.wallSeconds)} requests per wall-second, ` +
    `${recoveryCost.toFixed(2)}x the cost per request without (target <= ${TARGET_RECOVERY_COST_RATIO}x)`,
);
const effects = get("checkout-effects-1M");
const effectsCost =
  effects.wallSeconds /
  effects.requests /
  (oneM("checkout").wallSeconds / oneM("checkout").requests);
console.log(
  `${verdict(effectsCost <= TARGET_EFFECTS_COST_RATIO)} checkout with effects declared: ${fmtInt(effects.requests / effects.wallSeconds)} requests per wall-second, ` +
    `${effectsCost.toFixed(2)}x the cost per request without (target <= ${TARGET_EFFECTS_COST_RATIO}x)`,
);
for (const prefix of ["mm1", "tandem", "checkout"]) {
  const small = oneM(prefix);
  const large = tenM(prefix);
  const ratio = large.maxRssMB / small.maxRssMB;
  const growthRatio =
    (large.maxRssMB - large.rssBeforeMB) / Math.max(1e-9, small.maxRssMB - small.rssBeforeMB);
  console.log(
    `${verdict(ratio < TARGET_MEMORY_RATIO)} ${prefix} memory ${label(large.requests)}/1M: peak RSS ${large.maxRssMB.toFixed(1)} / ${small.maxRssMB.toFixed(1)} MB = ` +
      `${ratio.toFixed(2)}x (target < ${TARGET_MEMORY_RATIO}x); growth above baseline ` +
      `${(large.maxRssMB - large.rssBeforeMB).toFixed(1)} / ${(small.maxRssMB - small.rssBeforeMB).toFixed(1)} MB = ${growthRatio.toFixed(2)}x`,
  );
}

function label(n: number): string {
  return `${Math.round(n / 1_000_000)}M`;
}
