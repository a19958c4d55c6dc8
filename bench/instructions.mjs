// Old code against new by instructions executed, a count that does not drift with the VM: runs
// `node bench/loopDist.mjs checkout-<n>` under valgrind's callgrind in two checkouts of meshsim
// (each with its dist/ built), at two sizes each, and takes the difference between the sizes per
// checkout, so that the process start, the parse and the build cancel out. V8 compiles on the main
// thread here (bench/callgrindRun.mjs), so a count repeats to about 0.05% and the difference to
// 0.5% (at the default sizes: at 10k,20k on a busy machine two runs of one code differed by 12%,
// the first tens of thousands of checkouts being optimised and collected differently each run).
// Instructions are not time: they see work taken away, not memory stalls or mispredicted branches,
// so a change must still be timed (bench/alternate.mjs). 59f7d97's checkout against session 11's
// main: 1.079x fewer instructions a checkout, 1.17-1.21x less CPU time (docs/performance.md). Needs
// valgrind (Debian's `valgrind` package); each count takes one to two minutes, two at a time.
// Run: node bench/instructions.mjs OLD_DIR NEW_DIR [--sizes 40k,100k]
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseSizes, requireBuilt, runCallgrind } from "./callgrindRun.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { sizes: { type: "string", default: "40k,100k" } },
});
if (positionals.length !== 2) {
  console.error("usage: node bench/instructions.mjs OLD_DIR NEW_DIR [--sizes 40k,100k]");
  process.exit(2);
}
const sizes = parseSizes(values.sizes);
const [oldDir, newDir] = positionals.map((dir) => resolve(dir));
requireBuilt(oldDir);
requireBuilt(newDir);

/** The instructions callgrind counted over `node bench/loopDist.mjs checkout-<size>` in `dir`. */
async function count(dir, size) {
  const report = await runCallgrind(dir, size, ["--callgrind-out-file=/dev/null"]);
  const refs = /I\s+refs:\s+([\d,]+)/.exec(report);
  if (refs === null)
    throw new Error(`valgrind gave no instruction count in ${dir}: ${report.slice(-400)}`);
  return Number(refs[1].replaceAll(",", ""));
}

/** Instructions a checkout: the difference between the two sizes' counts, per checkout. */
async function perCheckout(dir) {
  // The two sizes run at once (one core each); counts do not depend on the load.
  const [small, large] = await Promise.all(sizes.map((size) => count(dir, size.text)));
  return (large - small) / (sizes[1].checkouts - sizes[0].checkouts);
}

try {
  const oldCount = await perCheckout(oldDir);
  console.log(`old: ${oldCount.toFixed(0)} instructions a checkout (${oldDir})`);
  const newCount = await perCheckout(newDir);
  console.log(`new: ${newCount.toFixed(0)} instructions a checkout (${newDir})`);
  console.log(`new executes ${(oldCount / newCount).toFixed(3)}x fewer instructions a checkout`);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
