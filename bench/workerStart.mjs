// What one pool worker costs to start, in CPU: a sweep of 4 runs of one simulated second
// (bench/sweep-bench.yaml, duration 31s and 32s, 2 seeds) with N workers; the CPU with 2 workers
// less that with 1 is one worker's start (modules, points parsed, its JIT warming up). Prints one
// JSON line. `build` loads dist/ (npm run build first); `sources` loads src/ (under --import tsx).
// Run: node bench/workerStart.mjs <workers> build; node --import tsx bench/workerStart.mjs <workers> sources
import { fileURLToPath } from "node:url";

const workers = Number(process.argv[2]);
const mode = process.argv[3] ?? "build";
const cpu0 = process.cpuUsage();
const module = mode === "sources" ? "../src/experiment/sweep.ts" : "../dist/experiment/sweep.js";
const { sweep } = await import(module);
const loaded = process.cpuUsage(cpu0);
await sweep(fileURLToPath(new URL("./sweep-bench.yaml", import.meta.url)), {
  vary: [{ path: ["duration"], values: ["31s", "32s"] }],
  seeds: 2,
  workers,
  onProgress: () => {},
});
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    workers,
    mode,
    loadCpuSeconds: (loaded.user + loaded.system) / 1e6,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  }),
);
