// Old code against new in one sitting: runs `node bench/loopDist.mjs [case]` (the simulation loop
// from each checkout's compiled dist/: run `npm run build` in both first) in two checkouts of
// meshsim, alternating which goes first each round (the one run second in a pair was measured
// faster more often on this VM, whatever the code), each in a fresh process. Prints every run's
// CPU seconds and the load, then the medians, their ratio (old / new: above 1 means the new code is
// faster) and in how many pairs the new code was faster. CPU time, not wall time: other work on
// the machine disturbs it least (docs/performance.md, "The method"). With `--sources` each run is
// `node --import tsx bench/ratioCase.ts CASE` instead: any case of bench/cases.ts, from the
// TypeScript sources, as bench/ratios.ts runs it (checkout-recovery-1M has no compiled-loop form).
// Run: node bench/alternate.mjs OLD_DIR NEW_DIR [--rounds 6] [--case checkout-1M] [--sources]
// (no --case: the governed chain, bench/reference/governed-chain.yaml; a scenario file also works)
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: "string", default: "6" },
    case: { type: "string" },
    sources: { type: "boolean", default: false },
  },
});
if (positionals.length !== 2) {
  console.error(
    "usage: node bench/alternate.mjs OLD_DIR NEW_DIR [--rounds 6] [--case checkout-1M] [--sources]",
  );
  process.exit(2);
}
if (values.sources && values.case === undefined) {
  console.error("--sources: needs --case, a case name of bench/cases.ts (or meshsim-governed)");
  process.exit(2);
}
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`--rounds: expected a whole number >= 1, got ${values.rounds}`);
  process.exit(2);
}
const [oldDir, newDir] = positionals.map((dir) => resolve(dir));
const caseArgs = values.case === undefined ? [] : [values.case];
const runArgs = values.sources
  ? ["--import", "tsx", "bench/ratioCase.ts", ...caseArgs]
  : ["bench/loopDist.mjs", ...caseArgs];

/** One loop run in `dir`: its CPU seconds, as loopDist (or ratioCase) prints them on its last line. */
function loopSeconds(dir) {
  let out;
  try {
    out = execFileSync(process.execPath, runArgs, {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const lines = String(error.stderr ?? "").trim().split("\n");
    const said = lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.slice(-3).join("\n");
    console.error(`node ${runArgs.join(" ")} failed in ${dir}:\n${said}`);
    process.exit(1);
  }
  const last = out.trim().split("\n").at(-1);
  return JSON.parse(last).cpuSeconds;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const olds = [];
const news = [];
for (let round = 1; round <= rounds; round++) {
  // Odd rounds run the old code first, even rounds the new.
  const order = round % 2 === 1 ? ["old", "new"] : ["new", "old"];
  for (const which of order) {
    const seconds = loopSeconds(which === "old" ? oldDir : newDir);
    (which === "old" ? olds : news).push(seconds);
    console.log(
      `round ${round} ${which}: ${seconds.toFixed(3)} s CPU (load ${loadavg()[0].toFixed(1)})`,
    );
  }
}
const newFaster = olds.filter((old, i) => news[i] < old).length;
const oldMedian = median(olds);
const newMedian = median(news);
console.log(
  `medians: old ${oldMedian.toFixed(3)} s, new ${newMedian.toFixed(3)} s: new at ${(oldMedian / newMedian).toFixed(3)}x the old speed; new faster in ${newFaster} of ${rounds} pairs`,
);
