// Runs one macro case in this (fresh) process and prints one JSON line of CaseMeasurement, so the
// parent gets a true per-case peak RSS from process.resourceUsage().maxRSS. Wall-clock time is
// measured here only; the simulator itself never reads it.
// Run: node --import tsx --expose-gc bench/macroCase.ts mm1-1M
import { runScenario } from "../src/run/runScenario.ts";
import { type CaseMeasurement, findCase } from "./cases.ts";

const MB = 1024 * 1024;

const name = process.argv[2];
if (name === undefined) throw new Error("usage: tsx bench/macroCase.ts <case name>");
const benchCase = findCase(name);

const buildStart = performance.now();
const scenario = benchCase.build();
const buildSeconds = (performance.now() - buildStart) / 1000;

const rssBefore = process.memoryUsage().rss;
const start = performance.now();
const cpuStart = process.cpuUsage();
const result = runScenario(scenario);
const cpu = process.cpuUsage(cpuStart);
const wallSeconds = (performance.now() - start) / 1000;
const rssAfter = process.memoryUsage().rss;
// With --expose-gc (the parent passes it), the live heap after a full collection shows whether
// anything is retained per request, independently of how lazily V8 grows its heap.
const gc = (globalThis as { gc?: () => void }).gc;
if (gc !== undefined) gc();
const heapUsedAfterGcMB = gc !== undefined ? process.memoryUsage().heapUsed / MB : -1;

let requests = 0;
let completed = 0;
for (const load of Object.values(result.load)) {
  requests += load.offered;
  completed += load.completed;
}

const measurement: CaseMeasurement = {
  name,
  requests,
  completed,
  events: result.events,
  wallSeconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  buildSeconds,
  rssBeforeMB: rssBefore / MB,
  rssAfterMB: rssAfter / MB,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
  heapUsedAfterGcMB,
  stopReason: result.stopReason,
};
console.log(JSON.stringify(measurement));
