// meshsim's speed as a ratio to the reference simulator (bench/reference/), measured in one sitting:
// each round runs every measurement once, in a fixed order, each in a fresh process (the reference
// and meshsim alternate, so the VM's drift hits both alike), and a ratio is taken within each round;
// the medians over rounds are printed. Ratios are speeds: reference seconds / meshsim seconds, so
// 0.5× means meshsim takes twice as long. They are given on CPU time (user + system of the
// process), which a machine shared with other work disturbs least, and on wall time beside it.
// - the governed chain's simulation loop: meshsim's event loop on bench/reference/governed-chain.yaml
//   (parse and build left out) against the reference's loop on the same chain (bench/ratioCase.ts);
// - the governed chain as a whole process: `node bin/meshsim.js run FILE --json` (the compiled CLI)
//   against the reference compiled by tsc, `node main.js` (bench/reference/main.ts);
// - the checkout and checkout-recovery cases' loops (bench/cases.ts) against the reference's loop:
//   a different model, so the ratio is only an index, compared with the index recorded in
//   bench/baselines/<case>.json (today's code, measured the same way), which makes "faster than
//   the code of that day" measurable in a later sitting without checking the old code out.
// `--record` writes every measurement's ratio to bench/baselines/. The reference is the yardstick:
// a baseline records its sources' SHA-256, and a changed reference is reported (re-record then).
// Run: npx tsx bench/ratios.ts [--rounds 5] [--record] [--only meshsim-governed,checkout-1M]
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { distIsStale } from "../test/helpers/buildDist.ts";
import {
  GOVERNED_CHAIN_FILE,
  type LoopMeasurement,
  REFERENCE_REQUESTS,
  REFERENCE_SEED,
} from "./ratioSetup.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    record: { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const ROUNDS = Number(values.rounds);
const root = resolve(import.meta.dirname, "..");
const BASELINES = join(root, "bench/baselines");
const REFERENCE_DIR = join(root, "bench/reference");

interface Sample {
  wallSeconds: number;
  cpuSeconds: number;
}

/** What meshsim is measured against, and what is recorded for it. */
interface Comparison {
  /** The baseline file's name and the printed label. */
  name: string;
  label: string;
  subject: string;
  yardstick: string;
  /** The target for the speed ratio to the reference, where it sets one. */
  target?: number;
  /** The target for the speed-up over the recorded baseline, where it sets one. */
  targetVsBaseline?: number;
  /** Files whose content defines what is measured (recorded as SHA-256, so a change shows). */
  definition: string[];
}

const REFERENCE_SOURCES = readdirSync(REFERENCE_DIR)
  .filter((f) => f.endsWith(".ts") || f === "tsconfig.json")
  .sort()
  .map((f) => join("bench/reference", f));

const COMPARISONS: Comparison[] = [
  {
    name: "governed-chain-loop",
    label: "governed chain, simulation loop",
    subject: "meshsim-governed",
    yardstick: "reference-governed",
    target: 0.9,
    definition: ["bench/reference/governed-chain.yaml"],
  },
  {
    name: "governed-chain-process",
    label: "governed chain, whole process (compiled)",
    subject: "meshsim-process",
    yardstick: "reference-process",
    target: 0.8,
    definition: ["bench/reference/governed-chain.yaml"],
  },
  {
    name: "checkout-1M",
    label: "checkout-1M, simulation loop",
    subject: "checkout-1M",
    yardstick: "reference-governed",
    targetVsBaseline: 1.4,
    definition: ["bench/cases.ts", "scenarios/checkout.yaml"],
  },
  {
    name: "checkout-recovery-1M",
    label: "checkout-recovery-1M, simulation loop",
    subject: "checkout-recovery-1M",
    yardstick: "reference-governed",
    definition: ["bench/cases.ts", "scenarios/checkout.yaml"],
  },
].filter((c) => values.only === undefined || values.only.split(",").includes(c.subject));

/** Measurements in the order each round runs them: every yardstick right before its subjects. */
const ORDER = [
  "reference-bare",
  "reference-governed",
  "meshsim-governed",
  "checkout-1M",
  "checkout-recovery-1M",
  "reference-process",
  "meshsim-process",
].filter(
  (m) =>
    COMPARISONS.some((c) => c.subject === m || c.yardstick === m) ||
    (m === "reference-bare" && COMPARISONS.some((c) => c.yardstick === "reference-governed")),
);

function sha256(paths: readonly string[]): string {
  const hash = createHash("sha256");
  for (const path of paths)
    hash
      .update(path)
      .update("\0")
      .update(readFileSync(join(root, path)));
  return hash.digest("hex");
}

/** CPU seconds of the children this process has waited for (Linux /proc/self/stat, 10 ms ticks). */
function childrenCpuSeconds(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
}

/** A loop measured inside a fresh `node --import tsx` process (bench/ratioCase.ts). */
function loop(name: string): Sample {
  const stdout = execFileSync(
    process.execPath,
    ["--import", "tsx", join(root, "bench/ratioCase.ts"), name],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as LoopMeasurement;
}

/** A whole process, from spawn to exit: its wall time and the CPU time it used. */
function wholeProcess(args: string[]): Sample {
  const cpu = childrenCpuSeconds();
  const start = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  const wallSeconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  return { wallSeconds, cpuSeconds: childrenCpuSeconds() - cpu };
}

function measure(name: string, referenceJs: string): Sample {
  if (name === "reference-process")
    return wholeProcess([
      join(referenceJs, "main.js"),
      "--mode",
      "governed",
      "--requests",
      String(REFERENCE_REQUESTS),
      "--seed",
      String(REFERENCE_SEED),
    ]);
  if (name === "meshsim-process")
    return wholeProcess([
      join(root, "bin/meshsim.js"),
      "run",
      GOVERNED_CHAIN_FILE,
      "--json",
      "--no-progress",
    ]);
  return loop(name);
}

/** Compiles the reference with tsc into a scratch folder, as an ES module package with our node_modules. */
function compileReference(): string {
  const out = mkdtempSync(join(tmpdir(), "meshsim-reference-"));
  execFileSync(
    process.execPath,
    [
      join(root, "node_modules/typescript/bin/tsc"),
      "-p",
      join(REFERENCE_DIR, "tsconfig.json"),
      "--outDir",
      out,
    ],
    { cwd: root, stdio: "inherit" },
  );
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  // The reference imports xxhash-wasm (its ring's xxHash64): resolve it from this repository.
  symlinkSync(join(root, "node_modules"), join(out, "node_modules"), "dir");
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The last commit that changed meshsim's code (src/), and whether src/ has changed since. */
function gitCommit(): string {
  const head = execFileSync("git", ["log", "-1", "--format=%H", "--", "src"], {
    cwd: root,
    encoding: "utf8",
  }).trim();
  const dirty =
    execFileSync("git", ["status", "--porcelain", "--", "src"], {
      cwd: root,
      encoding: "utf8",
    }).trim() !== "";
  return dirty ? `${head} (with uncommitted changes)` : head;
}

interface Baseline {
  name: string;
  subject: string;
  yardstick: string;
  /** Median over rounds of (yardstick seconds / subject seconds) within each round. */
  speedRatioCpu: number;
  speedRatioWall: number;
  medianSeconds: { subject: Sample; yardstick: Sample };
  rounds: number;
  recordedOn: string;
  /** The last commit that changed src/ when this was measured. */
  commit: string;
  loadAverage: { min: number; median: number; max: number };
  node: string;
  referenceSha256: string;
  definitionSha256: string;
}

// ---------------------------------------------------------------------------------------------

if (distIsStale()) {
  process.stderr.write("dist/ is older than src/: npm run build\n");
  execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
}
const referenceJs = compileReference();
const samples = new Map<string, Sample[]>(ORDER.map((m) => [m, []]));
const loads: number[] = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    loads.push(loadavg()[0]);
    for (const name of ORDER) {
      const s = measure(name, referenceJs);
      samples.get(name)!.push(s);
      process.stderr.write(
        `round ${round}/${ROUNDS} ${name}: ${s.cpuSeconds.toFixed(2)} s CPU, ${s.wallSeconds.toFixed(2)} s wall (load ${loadavg()[0].toFixed(1)})\n`,
      );
    }
  }
} finally {
  rmSync(referenceJs, { recursive: true, force: true });
}
loads.push(loadavg()[0]);

const ratios = (c: Comparison, of: keyof Sample): number =>
  median(samples.get(c.subject)!.map((s, i) => samples.get(c.yardstick)![i][of] / s[of]));
const medianSample = (name: string): Sample => ({
  cpuSeconds: median(samples.get(name)!.map((s) => s.cpuSeconds)),
  wallSeconds: median(samples.get(name)!.map((s) => s.wallSeconds)),
});
const loadAverage = { min: Math.min(...loads), median: median(loads), max: Math.max(...loads) };
const referenceSha256 = sha256(REFERENCE_SOURCES);

console.log(
  `meshsim's speed as a ratio to the reference simulator (bench/reference/), median of ${ROUNDS} alternated rounds; ` +
    `1-minute load average ${loadAverage.min.toFixed(1)}–${loadAverage.max.toFixed(1)} (median ${loadAverage.median.toFixed(1)}) on ${availableParallelism()} cores; node ${process.version}`,
);
console.log(
  "| measurement | meshsim s (CPU / wall) | reference s (CPU / wall) | speed ratio, CPU | wall |",
);
console.log("| --- | --- | --- | --- | --- |");
const fresh: Baseline[] = [];
for (const c of COMPARISONS) {
  const subject = medianSample(c.subject);
  const yardstick = medianSample(c.yardstick);
  const cpu = ratios(c, "cpuSeconds");
  const wall = ratios(c, "wallSeconds");
  const secs = (s: Sample) => `${s.cpuSeconds.toFixed(2)} / ${s.wallSeconds.toFixed(2)}`;
  console.log(
    `| ${c.label} | ${secs(subject)} | ${secs(yardstick)} | ${cpu.toFixed(2)}× | ${wall.toFixed(2)}× |`,
  );
  fresh.push({
    name: c.name,
    subject: c.subject,
    yardstick: c.yardstick,
    speedRatioCpu: Number(cpu.toFixed(4)),
    speedRatioWall: Number(wall.toFixed(4)),
    medianSeconds: { subject, yardstick },
    rounds: ROUNDS,
    recordedOn: new Date().toISOString().slice(0, 10),
    commit: gitCommit(),
    loadAverage,
    node: process.version,
    referenceSha256,
    definitionSha256: sha256(c.definition),
  });
}

if (samples.has("reference-bare")) {
  const bare = medianSample("reference-bare").cpuSeconds;
  const governed = medianSample("reference-governed").cpuSeconds;
  console.log(
    `For scale: the reference's bare chain (no governance, one instance per service, λ = 3.2/ms) took ${bare.toFixed(2)} s of CPU for 1 M requests, its governed chain ${governed.toFixed(2)} s (${(governed / bare).toFixed(2)}× the bare).`,
  );
}
console.log("");
for (const [i, c] of COMPARISONS.entries()) {
  const now = fresh[i];
  const path = join(BASELINES, `${c.name}.json`);
  const base = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Baseline) : null;
  if (c.target !== undefined)
    console.log(
      `${now.speedRatioCpu >= c.target ? "PASS" : "MISS"} ${c.label}: ${now.speedRatioCpu.toFixed(2)}× the reference's speed (target ≥ ${c.target}×)`,
    );
  if (base === null) {
    console.log(`     ${c.label}: no baseline yet (npx tsx bench/ratios.ts --record)`);
    continue;
  }
  const speedup = now.speedRatioCpu / base.speedRatioCpu;
  const verdict =
    c.targetVsBaseline === undefined ? "    " : speedup >= c.targetVsBaseline ? "PASS" : "MISS";
  const target = c.targetVsBaseline === undefined ? "" : ` (target ≥ ${c.targetVsBaseline}×)`;
  console.log(
    `${verdict} ${c.label}: ${speedup.toFixed(2)}× the speed of the baseline of ${base.recordedOn} ` +
      `(${now.speedRatioCpu.toFixed(3)} against ${base.speedRatioCpu.toFixed(3)} of the reference's speed)${target}`,
  );
  if (base.referenceSha256 !== referenceSha256)
    console.log(
      "     warning: the reference simulator changed since this baseline was recorded; the comparison is not like for like (re-record it against the old code)",
    );
  if (base.definitionSha256 !== now.definitionSha256)
    console.log(
      `     warning: ${c.definition.join(" or ")} changed since this baseline was recorded`,
    );
}

if (values.record) {
  mkdirSync(BASELINES, { recursive: true });
  for (const b of fresh)
    writeFileSync(join(BASELINES, `${b.name}.json`), `${JSON.stringify(b, null, 2)}\n`);
  console.log(`\nrecorded ${fresh.length} baselines in bench/baselines/`);
}
