// Where the experiment bench's CPU goes, thread by thread: runs the sweep of bench/experimentCase.mjs
// with N workers and samples /proc/self/task/*/stat (Linux) every 100 ms and when the last run
// finishes, so threads that exit still count. Prints one JSON line: CPU seconds of the main thread,
// of each pool worker (the N busiest other threads: Node names every thread "node"), of the rest
// (V8's platform threads: parallel GC, concurrent marking and compilation; libuv's), and of the
// whole process. Loads dist/ (npm run build first). Linux only; figures in 10 ms ticks.
// Run: node bench/threadCpu.mjs <workers>
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const workers = Number(process.argv[2]);
const file = fileURLToPath(new URL("./sweep-bench.yaml", import.meta.url));
const TICK = 100; // USER_HZ on Linux

const last = new Map(); // tid -> { name, cpu }
function sample() {
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      last.set(tid, { name, cpu: (Number(fields[11]) + Number(fields[12])) / TICK });
    } catch {}
  }
}
const timer = setInterval(sample, 100);
const cpu0 = process.cpuUsage();
const start = performance.now();
const { sweep } = await import("../dist/experiment/sweep.js");
await sweep(file, {
  vary: [{ path: ["services", "payment", "instances"], values: [4, 5, 6, 7] }],
  seeds: 4,
  workers,
  onProgress: (p) => {
    if (p.done === p.total) sample();
  },
});
clearInterval(timer);
sample();
const cpu = process.cpuUsage(cpu0);
const others = [...last]
  .filter(([tid]) => tid !== String(process.pid))
  .map(([, t]) => t.cpu)
  .sort((a, b) => b - a);
const round = (x) => Number(x.toFixed(2));
console.log(
  JSON.stringify({
    workers,
    wallSeconds: round((performance.now() - start) / 1000),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6),
    mainSeconds: last.get(String(process.pid))?.cpu ?? null,
    workerSeconds: others.slice(0, workers),
    helperSeconds: round(others.slice(workers).reduce((a, b) => a + b, 0)),
  }),
);
