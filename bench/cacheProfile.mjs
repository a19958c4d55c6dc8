// Where a checkout's instructions and level-1 data-cache misses go, by function: a profile that
// repeats from run to run, unlike a sampled one. Runs `node bench/loopDist.mjs checkout-<n>` in DIR
// (its dist/ built) under valgrind's callgrind with its cache simulation, at two sizes, with V8
// compiling on the main thread (bench/callgrindRun.mjs) and writing the address ranges of its
// compiled code (--perf-basic-prof, to /tmp/perf-<pid>.map); names each range by that map and takes
// the difference between the sizes per checkout, so that the start, the parse and the build cancel
// out. A function's figures include what V8 inlined into it. The simulated caches are the host's
// (callgrind reads them from the CPU), so misses are a model's, not a measurement of time. Needs
// valgrind (Debian's `valgrind`); takes about four minutes, the two sizes side by side. Smaller
// sizes are not steady: the optimised code and the collections of the first tens of thousands of
// checkouts differ from run to run (at 10k,20k on a busy machine two runs of one code gave counts
// 12% apart in bench/instructions.mjs; at 40k,100k, 0.5%).
// `--l1 96k` simulates a level-1 data cache of that size instead of the host's (12-way, 64-byte
// lines, as the host's 48 KB): how the misses fall as the cache grows says how much state a
// checkout's calls touch between two visits to the same object.
// Run: node bench/cacheProfile.mjs [DIR] [--sizes 40k,100k] [--top 25] [--l1 96k]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseSizes, requireBuilt, runCallgrind } from "./callgrindRun.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sizes: { type: "string", default: "40k,100k" },
    top: { type: "string", default: "25" },
    l1: { type: "string" },
  },
});
const dir = resolve(positionals[0] ?? ".");
const sizes = parseSizes(values.sizes);
requireBuilt(dir);
const top = Number(values.top);
if (!Number.isInteger(top) || top < 1) {
  console.error(`--top: expected a whole number >= 1, got ${values.top}`);
  process.exit(2);
}

/** `--l1` as callgrind's --D1 option (size, ways, line), or none for the host's cache. */
function l1Option(text) {
  if (text === undefined) return [];
  const m = /^(\d+)k$/.exec(text);
  const kb = m === null ? Number.NaN : Number(m[1]);
  // callgrind needs the number of sets, size / (12 ways × 64 bytes), to be a power of two.
  const sets = (kb * 1024) / (12 * 64);
  if (!(sets >= 1 && Number.isInteger(Math.log2(sets)))) {
    console.error(
      `--l1: expected 12 × 64 bytes times a power of two, like 48k, 96k or 192k, got ${text}`,
    );
    process.exit(2);
  }
  return [`--D1=${kb * 1024},12,64`];
}
const l1 = l1Option(values.l1);

/** The events callgrind_annotate prints for each function, in its column order. */
const EVENTS = ["Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw"];

/** Runs one size under callgrind; resolves to its output file and the node process's perf map. */
async function profile(size, scratch) {
  const out = join(scratch, `callgrind-${size}.out`);
  const options = ["--cache-sim=yes", ...l1, `--callgrind-out-file=${out}`];
  const report = await runCallgrind(dir, size, options, ["--perf-basic-prof"]);
  const pid = /==(\d+)==/.exec(report)?.[1];
  if (pid === undefined)
    throw new Error(`valgrind named no process in ${dir}: ${report.slice(-400)}`);
  return { out, map: join(tmpdir(), `perf-${pid}.map`) };
}

/** The perf map's ranges (start, size, name), sorted by start. */
function readMap(file) {
  const ranges = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m === null) continue;
    ranges.push({ start: Number.parseInt(m[1], 16), size: Number.parseInt(m[2], 16), name: m[3] });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** The compiled function holding `address`, by binary search; "compiled code" when none does. */
function nameAt(ranges, address) {
  let lo = 0;
  let hi = ranges.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].start <= address) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const range = found < 0 ? null : ranges[found];
  if (range === null || address >= range.start + range.size) return "compiled code (unnamed)";
  return range.name.replace(/^(JS|LazyCompile):\s*/, "").replace(/file:\/\/\S*?\/dist\//, "");
}

/** Each function's event counts from callgrind_annotate, code V8 compiled named by the perf map. */
function costsByFunction({ out, map }) {
  const ranges = readMap(map);
  // (Its warnings about uninitialised values in its own Perl go nowhere: they say nothing here.)
  const text = execFileSync("callgrind_annotate", ["--threshold=100", out], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const costs = new Map();
  const value = /^\s*(?:([\d,]+) \(\s*[\d.]+%\)|(\d+)|(\.))/;
  for (const line of text.split("\n")) {
    let rest = line;
    const counts = [];
    for (let i = 0; i < EVENTS.length; i++) {
      const m = value.exec(rest);
      if (m === null) break;
      counts.push(m[3] === undefined ? Number((m[1] ?? m[2]).replaceAll(",", "")) : 0);
      rest = rest.slice(m[0].length);
    }
    const where = rest.trim();
    if (counts.length < EVENTS.length || where === "" || where.startsWith("PROGRAM TOTALS"))
      continue;
    const jit = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$/.exec(where);
    const name =
      jit === null
        ? where.replace(/ \[[^\]]*\]$/, "")
        : nameAt(ranges, Number.parseInt(jit[1], 16));
    const sum = costs.get(name) ?? new Array(EVENTS.length).fill(0);
    for (let i = 0; i < EVENTS.length; i++) sum[i] += counts[i];
    costs.set(name, sum);
  }
  return costs;
}

const scratch = mkdtempSync(join(tmpdir(), "meshsim-cache-"));
const runs = [];
try {
  // Each run is kept as it ends, so that its perf map is deleted even if the other run fails.
  const done = await Promise.all(
    sizes.map((size) =>
      profile(size.text, scratch).then((run) => {
        runs.push(run);
        return run;
      }),
    ),
  );
  const [small, large] = done.map(costsByFunction);
  const per = sizes[1].checkouts - sizes[0].checkouts;
  const rows = [];
  for (const name of new Set([...small.keys(), ...large.keys()])) {
    const a = small.get(name) ?? new Array(EVENTS.length).fill(0);
    const b = large.get(name) ?? new Array(EVENTS.length).fill(0);
    rows.push({ name, per: b.map((x, i) => (x - a[i]) / per) });
  }
  const total = EVENTS.map((_, i) => rows.reduce((sum, row) => sum + row.per[i], 0));
  const ir = EVENTS.indexOf("Ir");
  const d1r = EVENTS.indexOf("D1mr");
  const d1w = EVENTS.indexOf("D1mw");
  const span = `checkout-${sizes[1].text} less checkout-${sizes[0].text}`;
  console.log(
    `a checkout (${span}, per checkout): ${total[ir].toFixed(0)} instructions, ` +
      `${total[d1r].toFixed(0)} level-1 read misses, ${total[d1w].toFixed(0)} write misses`,
  );
  for (const [title, column] of [
    ["by instructions", ir],
    ["by level-1 read misses", d1r],
  ]) {
    console.log(`\n${title}:`);
    console.log(
      "| instructions | L1 read misses | L1 write misses | function (and what V8 inlined into it) |",
    );
    console.log("| ---: | ---: | ---: | --- |");
    for (const row of [...rows].sort((x, y) => y.per[column] - x.per[column]).slice(0, top))
      console.log(
        `| ${row.per[ir].toFixed(0)} | ${row.per[d1r].toFixed(1)} | ${row.per[d1w].toFixed(1)} ` +
          `| ${row.name} |`,
      );
  }
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
  for (const run of runs) rmSync(run.map, { force: true });
}
