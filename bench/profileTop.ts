// Summarises a V8 .cpuprofile (from `node --cpu-prof`) as the top functions by self time, with
// file:line, so a macro case can be profiled without DevTools. Nodes of the same function (same
// name, url, line, column) are merged.
// Run: node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/macroCase.ts tandem-1M
//      npx tsx bench/profileTop.ts /tmp/prof/CPU.*.cpuprofile [top=10]
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [path, topArg] = process.argv.slice(2);
if (path === undefined) throw new Error("usage: tsx bench/profileTop.ts <file.cpuprofile> [top]");
const top = Number(topArg ?? 10);
const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;

// Self time per node: each sample's following delta is charged to the sampled node.
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
}

const byFunction = new Map<string, { name: string; where: string; us: number }>();
let totalUs = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  totalUs += us;
  const f = node.callFrame;
  const file = f.url.replace(/^file:\/\//, "").replace(`${process.cwd()}/`, "");
  const where = file === "" ? "" : `${file}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
  const name = f.functionName === "" ? "(anonymous)" : f.functionName;
  const key = `${name}@${where}`;
  const entry = byFunction.get(key) ?? { name, where, us: 0 };
  entry.us += us;
  byFunction.set(key, entry);
}

const rows = [...byFunction.values()].sort((a, b) => b.us - a.us).slice(0, top);
console.log(`${path}: ${(totalUs / 1000).toFixed(0)} ms sampled`);
console.table(
  rows.map((r) => ({
    function: r.name,
    location: r.where,
    "self ms": Number((r.us / 1000).toFixed(1)),
    "self %": Number(((100 * r.us) / totalUs).toFixed(1)),
  })),
);
