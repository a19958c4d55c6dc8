// Start-up cost of the `meshsim` command in CPU seconds (user + system, the process and whatever it
// waited for, such as tsx's esbuild service): `--help`, `validate`, and `run` from process start to
// its first event (bench/startup/firstEventProbe.mjs ends the process there). Each variant runs in
// turn inside every round, so the VM's drift hits all alike; medians are printed. Variants: the
// command as shipped (bin/meshsim.js → the bundle in dist/bin/), the unbundled tsc output
// (dist/cli/main.js), and the TypeScript sources under tsx. Needs dist/ (`npm run build`).
// Run: npx tsx bench/startup.ts [--runs 7] [--before DIR] [--no-tsx] [--scenario scenarios/checkout.yaml]
//   --before DIR: a checkout of an older commit, built (`npm ci` or `npm run build`), whose
//   bin/meshsim.js is measured with that checkout's own probe (older probes patch its scheduler).
//   --no-tsx: leave out the sources under tsx (the slowest variant, ~1 s a process).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    before: { type: "string" },
    "no-tsx": { type: "boolean", default: false },
    scenario: { type: "string", default: "scenarios/checkout.yaml" },
  },
});
const RUNS = Number(values.runs);
const here = resolve(import.meta.dirname, "..");

/** One way of starting meshsim: the command line before the meshsim arguments, and where. */
interface Variant {
  name: string;
  repo: string;
  /** Node's flags (such as tsx's --import) and the script, before meshsim's arguments. */
  node: string[];
}

const variants: Variant[] = [
  { name: "bin/meshsim.js (bundled, dist/bin/)", repo: here, node: [join(here, "bin/meshsim.js")] },
  { name: "dist/cli/main.js (unbundled)", repo: here, node: [join(here, "dist/cli/main.js")] },
];
if (!values["no-tsx"])
  variants.push({
    name: "tsx, the sources",
    repo: here,
    node: ["--import", "tsx", join(here, "src/cli/main.ts")],
  });
if (values.before !== undefined) {
  const before = resolve(values.before);
  variants.push({
    name: `${values.before}: bin/meshsim.js`,
    repo: before,
    node: [join(before, "bin/meshsim.js")],
  });
}

const scenario = values.scenario;
const cases: { name: string; args: string[]; firstEvent?: boolean }[] = [
  { name: "--help", args: ["--help"] },
  { name: `validate ${scenario}`, args: ["validate", scenario] },
  {
    name: `run ${scenario}, to the first event`,
    args: ["run", scenario, "--json", "--no-progress"],
    firstEvent: true,
  },
];

/** CPU seconds of the children this process has waited for (Linux: /proc/self/stat, in clock ticks of 10 ms). */
function childrenCpuSeconds(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of proc(5) (cutime, cstime); the slice starts at field 3.
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
}

function measure(variant: Variant, args: string[], firstEvent: boolean): number {
  // After tsx's --import when there is one, so the probe can import TypeScript.
  const script = variant.node.length - 1;
  const probe = join(variant.repo, "bench/startup/firstEventProbe.mjs");
  const probeFlags = firstEvent ? ["--import", pathToFileURL(probe).href] : [];
  const node = [...variant.node.slice(0, script), ...probeFlags, ...variant.node.slice(script)];
  // Older probes (before the run-start channel) patch this scheduler module; newer ones ignore it.
  const env = {
    ...process.env,
    MESHSIM_PROBE_SCHEDULER: join(variant.repo, "dist/kernel/scheduler.js"),
  };
  const before = childrenCpuSeconds();
  const r = spawnSync(process.execPath, [...node, ...args], {
    cwd: variant.repo,
    env,
    encoding: "utf8",
  });
  const cpu = childrenCpuSeconds() - before;
  const probed = !firstEvent || r.stderr.includes("first-event at");
  if (r.status !== 0 || !probed) {
    throw new Error(`${variant.name} ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  }
  return cpu;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

for (const v of variants) {
  if (!existsSync(v.node.at(-1) ?? "")) throw new Error(`${v.name}: ${v.node.at(-1)} is missing`);
}
if (!existsSync(join(here, "dist/bin/main.js"))) throw new Error("dist/ is missing: npm run build");

const samples = cases.map(() => variants.map((): number[] => []));
const load = loadavg()[0];
for (let round = 0; round < RUNS; round++) {
  cases.forEach((c, ci) => {
    variants.forEach((v, vi) => {
      samples[ci][vi].push(measure(v, c.args, c.firstEvent === true));
    });
  });
  process.stderr.write(`round ${round + 1}/${RUNS} done\n`);
}

console.log(
  `CPU seconds (user+system) per process, median of ${RUNS} alternated runs; load average ${load.toFixed(2)} → ${loadavg()[0].toFixed(2)}; node ${process.version}`,
);
console.log(`| case | ${variants.map((v) => v.name).join(" | ")} |`);
console.log(`| --- | ${variants.map(() => "---").join(" | ")} |`);
cases.forEach((c, ci) => {
  const cells = samples[ci].map((xs) => {
    const lo = Math.min(...xs).toFixed(2);
    const hi = Math.max(...xs).toFixed(2);
    return `${median(xs).toFixed(2)} (${lo}–${hi})`;
  });
  console.log(`| ${c.name} | ${cells.join(" | ")} |`);
});
