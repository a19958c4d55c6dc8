// Summarises a V8 .cpuprofile (from `node --cpu-prof`) as the top functions by self time, with
// file:line, so a macro case can be profiled without DevTools. Nodes of the same function (same
// name, url, line, column) are merged.
// Run: node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/macroCase.ts tandem-1M
//      npx tsx bench/profileTop.ts /tmp/prof/CPU.*.cpuprofile [top=10]
// Under tsx, --cpu-prof writes a profile per thread (the main one and the module loader's); given
// several files, this summarises the one with the most samples, the main thread.
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

const args = process.argv.slice(2);
const paths = args.filter((a) => a.endsWith(".cpuprofile"));
const rest = args.filter((a) => !a.endsWith(".cpuprofile"));
if (paths.length === 0 || rest.length > 1 || (rest.length === 1 && !/^\d+$/.test(rest[0]))) {
  throw new Error("usage: tsx bench/profileTop.ts <file.cpuprofile>... [top]");
}
const top = rest.length === 1 ? Number(rest[0]) : 10;
const profiles = paths.map((path) => JSON.parse(readFileSync(path, "utf8")) as CpuProfile);
let chosen = 0;
profiles.forEach((p, i) => {
  if (p.samples.length > profiles[chosen].samples.length) chosen = i;
});
const path = paths[chosen];
const profile = profiles[chosen];

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
