// Which instructions of one compiled function miss the level-1 data cache, and how often: the
// step below bench/cacheProfile.mjs, which gives misses by function. Runs
// `node bench/loopDist.mjs checkout-<size>` in DIR (its dist/ built) once under valgrind's
// callgrind with its cache simulation and per-instruction counts (--dump-instr=yes), while V8
// writes the machine code it optimises for functions named NAME, with its comments, to a file
// (--print-opt-code with --redirect-code-traces-to). The compiled code of NAME that ran most is
// printed instruction by instruction with how often each ran and how often each missed, per run of
// the function. V8's comments name the hidden classes ("Map[232]": an object of 232 bytes) its
// checks compare against, which tells which object a load reads; the "Inlined functions" list says
// what was compiled into the code. V8 compiles on the main thread here (bench/callgrindRun.mjs),
// so the code can differ from a timed run's (a function optimised there may stay in baseline code
// here). The misses are the simulated cache's (the host's sizes), not a measurement of time.
// Needs valgrind (Debian's `valgrind`); takes about four minutes.
// Run: node bench/loadMisses.mjs [DIR] --function NAME [--size 100k] [--min 0.1]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkoutsOf, requireBuilt, runCallgrind } from "./callgrindRun.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    function: { type: "string" },
    size: { type: "string", default: "100k" },
    min: { type: "string", default: "0.1" },
  },
});
const dir = resolve(positionals[0] ?? ".");
requireBuilt(dir);
const name = values.function;
if (name === undefined || !/^[A-Za-z_$][\w$]*$/.test(name)) {
  console.error(`--function: expected a function's name (like send), got ${name ?? "nothing"}`);
  process.exit(2);
}
const size = values.size;
// Below tens of thousands of checkouts the optimised code is not yet steady (bench/cacheProfile.mjs).
if (!(checkoutsOf(size) >= 10000)) {
  console.error(`--size: expected a size of at least 10k checkouts (like 100k), got ${size}`);
  process.exit(2);
}
const min = Number(values.min);
if (!(min >= 0 && min <= 1)) {
  console.error(`--min: expected misses per run of the function from 0 to 1, got ${values.min}`);
  process.exit(2);
}

/** Self counts by instruction address from callgrind's output: [instructions, L1 read misses]. */
function costsByAddress(file) {
  const text = readFileSync(file, "utf8");
  const events = /^events: (.*)$/m.exec(text)[1].split(" ");
  const ir = events.indexOf("Ir");
  const d1mr = events.indexOf("D1mr");
  const costs = new Map();
  let address = 0;
  let callCost = false;
  for (const line of text.split("\n")) {
    // The line after `calls=` is the call's inclusive cost, not the instruction's own.
    if (line.startsWith("calls=")) {
      callCost = true;
      continue;
    }
    const m = /^(0x[0-9a-f]+|[+-]\d+|\*)\s+\S+((?:\s+\d+)*)\s*$/.exec(line);
    if (m === null) continue;
    // Addresses are written relative to the line before (+n, -n, * for the same) after the first.
    if (m[1].startsWith("0x")) address = Number.parseInt(m[1], 16);
    else if (m[1] !== "*") address += Number.parseInt(m[1], 10);
    if (callCost) {
      callCost = false;
      continue;
    }
    const counts = m[2].trim().split(/\s+/).map(Number);
    const cost = costs.get(address) ?? [0, 0];
    cost[0] += counts[ir] || 0;
    cost[1] += counts[d1mr] || 0;
    costs.set(address, cost);
  }
  return costs;
}

/** The compiled versions of NAME in V8's code trace: each its instructions and what was inlined. */
function compiledVersions(file) {
  const versions = [];
  let version = null;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("--- Raw source ---")) {
      version = { source: null, instructions: [], inlined: [], inInlined: false };
      versions.push(version);
      continue;
    }
    if (version === null) continue;
    if (version.source === null && line.trim() !== "") version.source = line.trim();
    const m = /^0x([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+(.*)$/.exec(line);
    if (m !== null) {
      version.instructions.push({ address: Number.parseInt(m[1], 16), offset: m[2], text: m[3] });
    } else if (line.startsWith("Inlined functions")) version.inInlined = true;
    else if (version.inInlined) {
      const inlined = /<SharedFunctionInfo ([^>]*)>/.exec(line);
      if (inlined === null) version.inInlined = false;
      else version.inlined.push(inlined[1]);
    }
  }
  return versions;
}

const scratch = mkdtempSync(join(tmpdir(), "meshsim-misses-"));
try {
  const out = join(scratch, "callgrind.out");
  const trace = join(scratch, "code.asm");
  await runCallgrind(
    dir,
    size,
    ["--cache-sim=yes", "--dump-instr=yes", `--callgrind-out-file=${out}`],
    [
      "--print-opt-code",
      `--print-opt-code-filter=${name}`,
      "--code-comments",
      "--redirect-code-traces",
      `--redirect-code-traces-to=${trace}`,
    ],
  );
  const costs = costsByAddress(out);
  const runs = (version) => costs.get(version.instructions[0]?.address)?.[0] ?? 0;
  const versions = compiledVersions(trace).filter((v) => v.instructions.length > 0);
  if (versions.length === 0)
    throw new Error(`V8 optimised no function named ${name} in checkout-${size}`);
  const code = versions.reduce((best, v) => (runs(v) > runs(best) ? v : best));
  const calls = runs(code);
  if (calls === 0) throw new Error(`the optimised code of ${name} never ran in checkout-${size}`);
  let instructions = 0;
  let misses = 0;
  const rows = code.instructions.map((instruction) => {
    const [ran, missed] = costs.get(instruction.address) ?? [0, 0];
    instructions += ran;
    misses += missed;
    return { ...instruction, ran: ran / calls, missed: missed / calls };
  });
  console.log(`${name}: ${code.source}`);
  console.log(`inlined: ${code.inlined.join(", ") || "nothing"}`);
  console.log(
    `ran ${calls} times in checkout-${size} (${versions.length} compiled version(s), this one ran most); ` +
      `a run: ${(instructions / calls).toFixed(0)} instructions, ${(misses / calls).toFixed(1)} level-1 read misses`,
  );
  console.log(
    "\nmisses a run | runs a run | offset | instruction (instructions run in under 5% of runs left out)",
  );
  for (const row of rows) {
    if (row.ran < 0.05) continue;
    const missed = row.missed >= min ? row.missed.toFixed(2) : "";
    console.log(
      `${missed.padStart(6)} | ${row.ran.toFixed(2).padStart(5)} | ${row.offset.padStart(4)} | ${row.text}`,
    );
  }
  console.log(`\nthe loads that missed most (at least ${min} a run):`);
  for (const row of [...rows].sort((a, b) => b.missed - a.missed)) {
    if (row.missed < min) break;
    console.log(`${row.missed.toFixed(2).padStart(6)} | ${row.offset.padStart(4)} | ${row.text}`);
  }
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
