// Holds src/scenario/cost.ts's memory estimate against measured peak RSS: shipped scenarios at two
// or three sizes each (instances, clients, keys, stored points), each run in a fresh process on
// the compiled dist/ (bench/memoryProbe.mjs), the estimate beside the peak resident set size. The estimate must stay
// above the measurement (conservative); the figures go to docs/reliability.md. Not a test: RSS
// depends on the Node version, the garbage collector's timing and the machine.
//   npm run build && node --import tsx bench/memoryEstimate.ts [case label part]
import { spawnSync } from "node:child_process";

/** [label, file, overrides as [path, value] pairs]. */
const CASES: [string, string, [(string | number)[], unknown][]][] = [
  [
    "mm1",
    "scenarios/mm1.yaml",
    [
      [["duration"], "2000s"],
      [["warmup"], "100s"],
    ],
  ],
  ...[1000, 4000, 10000].map((n): (typeof CASES)[number] => [
    `mm1, ${n} instances`,
    "scenarios/mm1.yaml",
    [
      [["duration"], "600s"],
      [["warmup"], "10s"],
      [["services", "server", "instances"], n],
    ],
  ]),
  ...[1000, 10000].map((n): (typeof CASES)[number] => [
    `mm1, ${n} clients`,
    "scenarios/mm1.yaml",
    [
      [["duration"], "600s"],
      [["warmup"], "10s"],
      [["load", 0, "clients"], n],
    ],
  ]),
  ...[100000, 1000000, 10000000].map((n): (typeof CASES)[number] => [
    `checkout 2m, ${n} zipf keys`,
    "scenarios/checkout.yaml",
    [
      [["duration"], "2m"],
      [["warmup"], "10s"],
      [["load", 0, "stages"], [{ duration: "2m", target: 100 }]],
      [["load", 0, "keys", "count"], n],
    ],
  ]),
  ...[100, 1000, 3000].map((n): (typeof CASES)[number] => [
    `mm1, 1000 instances, maxPoints ${n}`,
    "scenarios/mm1.yaml",
    [
      [["duration"], `${n * 15}s`],
      [["warmup"], "10s"],
      [["load", 0, "rate"], 0.05],
      [["services", "server", "instances"], 1000],
      [["monitoring"], { maxPoints: n }],
    ],
  ]),
];

const only = process.argv[2];
console.log("| case | estimate (MiB) | peak RSS (MiB) | estimate / RSS | events |");
console.log("| --- | --- | --- | --- | --- |");
for (const [label, file, overrides] of CASES) {
  if (only !== undefined && !label.includes(only)) continue;
  const r = spawnSync(
    process.execPath,
    ["bench/memoryProbe.mjs", file, JSON.stringify(overrides)],
    { encoding: "utf8" },
  );
  if (r.status !== 0) {
    console.log(`| ${label} | failed: ${r.stderr.split("\n")[0]} |`);
    continue;
  }
  const m = JSON.parse(r.stdout) as { estimateMB: number; rssMB: number; events: number };
  const ratio = (m.estimateMB / m.rssMB).toFixed(2);
  console.log(`| ${label} | ${m.estimateMB} | ${m.rssMB} | ${ratio} | ${m.events} |`);
}
