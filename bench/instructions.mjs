// Old code against new by instructions executed, a count that does not drift with the VM: runs
// `node bench/loopDist.mjs checkout-<n>` under valgrind's callgrind in two checkouts of meshsim
// (each with its dist/ built), at two sizes each, and takes the difference between the sizes per
// checkout, so that the process start, the parse and the build cancel out. V8 compiles on the main
// thread here (--no-concurrent-recompilation, --single-threaded), so a count repeats to about
// 0.05% and the difference to 0.5%. Instructions are not time: they see work taken away, not
// memory stalls or mispredicted branches, so a change must still be timed (bench/alternate.mjs).
// 59f7d97's checkout against session 11's main: 1.079x fewer instructions a checkout, 1.17-1.21x
// less CPU time (docs/performance.md).
// Needs valgrind (Debian's `valgrind` package); each count takes one to two minutes, two at a time.
// Run: node bench/instructions.mjs OLD_DIR NEW_DIR [--sizes 40k,100k]
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { sizes: { type: "string", default: "40k,100k" } },
});
if (positionals.length !== 2) {
  console.error("usage: node bench/instructions.mjs OLD_DIR NEW_DIR [--sizes 40k,100k]");
  process.exit(2);
}
const sizes = values.sizes.split(",").map((text) => ({ text, checkouts: checkoutsOf(text) }));
if (sizes.length !== 2 || !(sizes[0].checkouts < sizes[1].checkouts)) {
  console.error(
    `--sizes: expected two sizes, the smaller first (like 40k,100k), got ${values.sizes}`,
  );
  process.exit(2);
}
const [oldDir, newDir] = positionals.map((dir) => resolve(dir));
for (const dir of [oldDir, newDir]) {
  for (const needed of ["bench/loopDist.mjs", "dist/scenario/build.js"]) {
    if (!existsSync(join(dir, needed))) {
      console.error(
        `${dir}: no ${needed}; give a meshsim checkout with its dist/ built (npm run build)`,
      );
      process.exit(2);
    }
  }
}

/** 40k → 40000, 1M → 1000000; NaN for anything else. */
function checkoutsOf(text) {
  const m = /^(\d+)(k|M)$/.exec(text);
  return m === null ? Number.NaN : Number(m[1]) * (m[2] === "k" ? 1e3 : 1e6);
}

/** The instructions callgrind counted over `node bench/loopDist.mjs checkout-<size>` in `dir`. */
function count(dir, size) {
  const args = [
    "--tool=callgrind",
    "--callgrind-out-file=/dev/null",
    "--smc-check=all-non-file",
    process.execPath,
    "--no-concurrent-recompilation",
    "--single-threaded",
    "bench/loopDist.mjs",
    `checkout-${size}`,
  ];
  return new Promise((done, fail) => {
    execFile("valgrind", args, { cwd: dir, maxBuffer: 1 << 24 }, (error, _stdout, stderr) => {
      const refs = /I\s+refs:\s+([\d,]+)/.exec(stderr);
      if (error !== null || refs === null) {
        const why = error?.code === "ENOENT" ? "valgrind is not installed" : stderr.slice(-400);
        fail(new Error(`valgrind ... loopDist.mjs checkout-${size} failed in ${dir}: ${why}`));
      } else done(Number(refs[1].replaceAll(",", "")));
    });
  });
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
