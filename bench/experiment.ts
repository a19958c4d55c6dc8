// The experiment benchmark: the same 16-run sweep (bench/sweep-bench.yaml run 15 minutes, 3.5-4.5 s a run)
// with --workers 1 and --workers 2, alternating, each in a fresh process so its peak RSS is its
// own. It measures the compiled build, as users' `meshsim sweep` runs it (dist/, built first by
// `npm run build`; no tsx in the main thread or the workers); `sources` measures src/ under tsx
// instead (each worker then registers tsx and compiles the simulator: about 1 s of CPU a worker).
// Prints each run, the medians, the speed-up of 2 workers over 1 (target >= 1.8x on a 2-core
// machine), the CPU time and the tail (wall time one worker idles at the end), the memory a second
// worker adds, and checks that both gave the same bytes. Each round also runs a control: the same
// work as two independent 1-worker processes at once, whose speed-up is what this VM gives two busy
// threads in the sitting (the ceiling for any pool). Never fails. Node flags after the mode go
// to both cases' processes (V8's flags are per process: a worker thread cannot be given its own),
// e.g. `npx tsx bench/experiment.ts 3 build --single-threaded-gc` to try V8's GC on the workers'
// own threads only (docs/performance.md, 2026-12-06 22:00).
// EXPERIMENT_DURATION (passed on to bench/experimentCase.mjs; default 15m30s) sets every run's
// length: 5m30s gives the shorter runs the bench had before 2026-12-07.
// Run: npx tsx bench/experiment.ts [rounds] [build|sources] [node flags...]
import { execFile, execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

/** One line of bench/experimentCase.mjs. */
export interface ExperimentMeasurement {
  workers: number;
  mode: "build" | "sources";
  runs: number;
  events: number;
  wallSeconds: number;
  /** User + system CPU time of the whole process, worker threads included. */
  cpuSeconds: number;
  /** From the run that left a worker idle for good (no run left to start) to the end. */
  tailSeconds: number;
  rssBeforeMB: number;
  maxRssMB: number;
  bytes: number;
  /** The sweep's JSON, hashed, to show every worker count gives the same bytes. */
  json: string;
}

const TARGET_SPEEDUP = 1.8;
const rounds = Number(process.argv[2] ?? 3);
const mode = process.argv[3] === "sources" ? "sources" : "build";
const nodeFlags = process.argv.slice(4);
const root = fileURLToPath(new URL("..", import.meta.url));
const runner = fileURLToPath(new URL("./experimentCase.mjs", import.meta.url));

if (mode === "build") execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });

function measure(workers: number): ExperimentMeasurement {
  const tsx = mode === "sources" ? ["--import", "tsx"] : [];
  const stdout = execFileSync(
    process.execPath,
    [...nodeFlags, ...tsx, runner, String(workers), mode],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ExperimentMeasurement;
}

/**
 * The control: the same 16 runs' worth of work as two independent processes of one worker each,
 * started together (each the sweep with half the seeds: the same 8 runs twice, which cost what the
 * other 8 would). Nothing is shared between them but the machine, so the 1-worker time over this
 * is the speed-up this VM gives two busy threads in this sitting, the ceiling for any pool; the
 * pool's speed-up over it is the pool's efficiency.
 */
async function measureApart(): Promise<{ wallSeconds: number; cpuSeconds: number }> {
  const tsx = mode === "sources" ? ["--import", "tsx"] : [];
  const half = String(Number(process.env.EXPERIMENT_SEEDS ?? 4) / 2);
  const one = () =>
    new Promise<ExperimentMeasurement>((resolve, reject) =>
      execFile(
        process.execPath,
        [...nodeFlags, ...tsx, runner, "1", mode],
        { encoding: "utf8", env: { ...process.env, EXPERIMENT_SEEDS: half } },
        (error, stdout) =>
          error ? reject(error) : resolve(JSON.parse(stdout.trim().split("\n").at(-1)!)),
      ),
    );
  const both = await Promise.all([one(), one()]);
  return {
    wallSeconds: Math.max(...both.map((m) => m.wallSeconds)),
    cpuSeconds: both[0].cpuSeconds + both[1].cpuSeconds,
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const byWorkers = new Map<number, ExperimentMeasurement[]>([
  [1, []],
  [2, []],
]);
const apart: { wallSeconds: number; cpuSeconds: number }[] = [];
const load = [loadavg()[0]];
for (let round = 1; round <= rounds; round++) {
  const control = await measureApart();
  apart.push(control);
  load.push(loadavg()[0]);
  console.log(
    `experiment round ${round}/${rounds} control, two processes of 1 worker and half the seeds each: ` +
      `${control.wallSeconds.toFixed(2)} s wall (the slower), ${control.cpuSeconds.toFixed(2)} s CPU (both)`,
  );
  for (const workers of [1, 2]) {
    const m = measure(workers);
    byWorkers.get(workers)!.push(m);
    load.push(loadavg()[0]);
    console.log(
      `experiment round ${round}/${rounds} --workers ${workers}: ${m.runs} runs, ${m.wallSeconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU, ` +
        `tail ${m.tailSeconds.toFixed(2)} s, ${Math.round(m.events / m.wallSeconds).toLocaleString("en")} events/s, peak RSS ${m.maxRssMB.toFixed(0)} MB ` +
        `(before the pool ${m.rssBeforeMB.toFixed(0)} MB), output ${m.json}`,
    );
  }
}
const one = byWorkers.get(1)!;
const two = byWorkers.get(2)!;
const wall1 = median(one.map((m) => m.wallSeconds));
const wall2 = median(two.map((m) => m.wallSeconds));
const speedup = wall1 / wall2;
const rss1 = median(one.map((m) => m.maxRssMB - m.rssBeforeMB));
const rss2 = median(two.map((m) => m.maxRssMB - m.rssBeforeMB));
// What the pool costs in CPU: 2 × cpu(1) / cpu(2) is the speed-up an idle 2-core machine would
// show if the 16 runs split evenly; it does not depend on what else the machine is doing.
const cpu1 = median(one.map((m) => m.cpuSeconds));
const cpu2 = median(two.map((m) => m.cpuSeconds));
const same = new Set([...one, ...two].map((m) => m.json)).size === 1;
console.log(
  `${speedup >= TARGET_SPEEDUP ? "PASS" : "MISS"} experiment speed-up of --workers 2 over --workers 1: ` +
    `${wall1.toFixed(2)} / ${wall2.toFixed(2)} s = ${speedup.toFixed(2)}x (target >= ${TARGET_SPEEDUP}x; ` +
    `medians of ${rounds} alternating rounds of the ${mode === "build" ? "compiled build (dist/)" : "sources under tsx"}${nodeFlags.length > 0 ? ` with node ${nodeFlags.join(" ")}` : ""}; 1-minute load average ${load.map((l) => l.toFixed(1)).join(" → ")})`,
);
console.log(
  `memory: the pool adds ${rss1.toFixed(0)} MB peak RSS with 1 worker and ${rss2.toFixed(0)} MB with 2, ` +
    `so about ${(rss2 - rss1).toFixed(0)} MB per worker (its isolate, the modules${mode === "sources" ? ", tsx" : ""}, one run and its result)`,
);
console.log(
  `CPU: ${cpu1.toFixed(2)} s with 1 worker, ${cpu2.toFixed(2)} s with 2 (the pool's overhead: ${(100 * (cpu2 / cpu1 - 1)).toFixed(1)}%); ` +
    `an idle 2-core machine would give about ${((2 * cpu1) / cpu2).toFixed(2)}x`,
);
const wallApart = median(apart.map((m) => m.wallSeconds));
const ceiling = wall1 / wallApart;
console.log(
  `control: two independent 1-worker processes doing the same work took ${wallApart.toFixed(2)} s, ` +
    `so this VM gave two busy threads ${ceiling.toFixed(2)}x in this sitting; the pool reached ` +
    `${(100 * (speedup / ceiling)).toFixed(0)}% of that (CPU ${median(apart.map((m) => m.cpuSeconds)).toFixed(2)} s for both processes)`,
);
const tail2 = median(two.map((m) => m.tailSeconds));
console.log(
  `tail: with 2 workers one of them idles ${tail2.toFixed(2)} s at the end (median), ${((100 * tail2) / wall2).toFixed(1)}% of the wall time`,
);
console.log(`${same ? "PASS" : "FAIL"} the same sweep JSON for --workers 1 and 2`);
