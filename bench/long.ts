// Issue 22, item 4, on demand only (never in `npm run bench` or CI): the plain checkout at 10^8
// end-user requests in one fresh process (bench/macroCase.ts), to show that memory stays O(in
// flight): peak RSS under 300 MB, and the live heap after a full collection no larger than a 1 M
// run's. A smaller size (--millions 10) fits a shorter sitting; the case is checkout-<n>M.
// Run: npm run bench:long [-- --millions 100]
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { CaseMeasurement } from "./cases.ts";

const TARGET_PEAK_RSS_MB = 300;

const { values } = parseArgs({ options: { millions: { type: "string", default: "100" } } });
const millions = Number(values.millions);
if (!Number.isInteger(millions) || millions < 1)
  throw new Error("--millions must be a whole number ≥ 1");

const runner = fileURLToPath(new URL("./macroCase.ts", import.meta.url));
const name = `checkout-${millions}M`;
const loadBefore = loadavg()[0];
const stdout = execFileSync(process.execPath, ["--import", "tsx", "--expose-gc", runner, name], {
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
  maxBuffer: 1 << 20,
});
const m = JSON.parse(stdout.trim().split("\n").at(-1)!) as CaseMeasurement;
const verdict = m.maxRssMB < TARGET_PEAK_RSS_MB ? "met" : "NOT met";
console.log(
  [
    `${m.name}: ${m.requests.toLocaleString("en")} requests (${m.completed.toLocaleString("en")} completed), ${m.events.toLocaleString("en")} events`,
    `wall ${m.wallSeconds.toFixed(1)} s, CPU ${m.cpuSeconds.toFixed(1)} s (user + system), ${(m.requests / m.wallSeconds / 1000).toFixed(0)} k requests per wall-second`,
    `peak RSS ${m.maxRssMB.toFixed(0)} MB (target < ${TARGET_PEAK_RSS_MB} MB: ${verdict}); RSS before the run ${m.rssBeforeMB.toFixed(0)} MB, after ${m.rssAfterMB.toFixed(0)} MB; live heap after a full GC ${m.heapUsedAfterGcMB.toFixed(1)} MB`,
    `1-minute load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`,
  ].join("\n"),
);
