// Runs the experiment benchmark's sweep once in this (fresh) process with N workers and prints one
// JSON line (bench/experiment.ts's ExperimentMeasurement): wall seconds, CPU seconds (worker
// threads included), the tail (wall time from the run that left a worker idle for good to the
// end), the process's peak RSS and its RSS before the pool started. Plain JavaScript, so that
// with `build` (the default) nothing but the compiled dist/ is loaded, workers included, as users'
// `meshsim sweep` runs; `sources` loads src/ (run it under --import tsx). Wall-clock time is
// measured here only.
// Run: node bench/experimentCase.mjs <workers> [build|sources]
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

const MB = 1024 * 1024;
const workers = Number(process.argv[2]);
const mode = process.argv[3] ?? "build";
const file = fileURLToPath(new URL("./sweep-bench.yaml", import.meta.url));
// sweep-payment.yaml at 600 checkouts/s, 4 points × 4 seeds, each run 15 minutes after its 30 s
// warm-up (about 570k checkouts, 3.5-4.5 s of CPU a run: the "a few seconds each").
// EXPERIMENT_DURATION overrides the length, e.g. 5m30s for the bench file's own (1.3-1.9 s a run),
// on which each worker's fixed cost (its start, its JIT warm-up) weighs three times as much
// (docs/performance.md, 2026-12-07).
const duration = process.env.EXPERIMENT_DURATION ?? "15m30s";
// EXPERIMENT_SEEDS (default 4) sets the seeds a point, so the runs are 4 × that: with more runs the
// tail (one worker idle while the last run ends, about half a run) is a smaller share of the whole.
const seeds = Number(process.env.EXPERIMENT_SEEDS ?? 4);
const options = {
  vary: [
    { path: ["services", "payment", "instances"], values: [4, 5, 6, 7] },
    { path: ["duration"], values: [duration] },
  ],
  seeds,
};

const rssBefore = process.memoryUsage().rss;
const cpuBefore = process.cpuUsage();
const start = performance.now();
const module = mode === "sources" ? "../src/experiment/sweep.ts" : "../dist/experiment/sweep.js";
const { sweep } = await import(module);
let events = 0;
let idleFrom = null;
const result = await sweep(file, {
  ...options,
  workers,
  onProgress: (p) => {
    // From the run that finishes while no run is left to start, a worker idles to the end.
    if (idleFrom === null && workers > 1 && p.done === p.total - workers + 1)
      idleFrom = performance.now();
    if (p.done === p.total) events = p.events;
  },
});
const end = performance.now();
const cpu = process.cpuUsage(cpuBefore);
const json = JSON.stringify(result);
console.log(
  JSON.stringify({
    workers,
    mode,
    runs: result.points.reduce((n, p) => n + p.seeds, 0),
    events,
    wallSeconds: (end - start) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    tailSeconds: idleFrom === null ? 0 : (end - idleFrom) / 1000,
    rssBeforeMB: rssBefore / MB,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    bytes: json.length,
    json: createHash("sha256").update(json).digest("hex").slice(0, 16),
  }),
);
