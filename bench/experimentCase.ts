// Runs the experiment benchmark's sweep once in this (fresh) process with N workers and prints one
// JSON line: wall seconds, runs, the process's peak RSS (worker threads included) and its RSS
// before the pool started. Wall-clock time is measured here only.
// Run: node --import tsx bench/experimentCase.ts <workers>
import { fileURLToPath } from "node:url";
import { sweep } from "../src/experiment/sweep.ts";

const MB = 1024 * 1024;

export interface ExperimentMeasurement {
  workers: number;
  runs: number;
  events: number;
  wallSeconds: number;
  /** User + system CPU time of the whole process, worker threads included. */
  cpuSeconds: number;
  rssBeforeMB: number;
  maxRssMB: number;
  /** The sweep's JSON, hashed, to show every worker count gives the same bytes. */
  bytes: number;
  json: string;
}

/** sweep-payment.yaml at 600 checkouts/s for 5 minutes (about 190k checkouts a run), 4 points × 4 seeds. */
export const BENCH_FILE = fileURLToPath(new URL("./sweep-bench.yaml", import.meta.url));
export const BENCH_OPTIONS = {
  vary: [{ path: ["services", "payment", "instances"], values: [4, 5, 6, 7] }],
  seeds: 4,
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const workers = Number(process.argv[2]);
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let events = 0;
  const result = await sweep(BENCH_FILE, {
    ...BENCH_OPTIONS,
    workers,
    onProgress: (p) => {
      if (p.done === p.total) events = p.events;
    },
  });
  const wallSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const json = JSON.stringify(result);
  const measurement: ExperimentMeasurement = {
    workers,
    runs: result.points.reduce((n, p) => n + p.seeds, 0),
    events,
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBeforeMB: rssBefore / MB,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    bytes: json.length,
    json: (await import("node:crypto"))
      .createHash("sha256")
      .update(json)
      .digest("hex")
      .slice(0, 16),
  };
  console.log(JSON.stringify(measurement));
}
