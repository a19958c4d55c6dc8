// What bench/instructions.mjs and bench/cacheProfile.mjs share: the checkout's sizes from the
// command line, the check that a folder holds a built meshsim, and one run of
// `node bench/loopDist.mjs checkout-<size>` under valgrind's callgrind. V8 compiles on the main
// thread there (--no-concurrent-recompilation, --single-threaded), so that when code is optimised
// does not depend on timing and a count repeats.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** 40k → 40000, 1M → 1000000; NaN for anything else. */
export function checkoutsOf(text) {
  const m = /^(\d+)(k|M)$/.exec(text);
  return m === null ? Number.NaN : Number(m[1]) * (m[2] === "k" ? 1e3 : 1e6);
}

/** `--sizes` ("40k,100k") as two sizes, the smaller first; exits 2 with a message otherwise. */
export function parseSizes(text) {
  const sizes = text.split(",").map((size) => ({ text: size, checkouts: checkoutsOf(size) }));
  if (sizes.length !== 2 || !(sizes[0].checkouts < sizes[1].checkouts)) {
    console.error(`--sizes: expected two sizes, the smaller first (like 40k,100k), got ${text}`);
    process.exit(2);
  }
  return sizes;
}

/** Exits 2 with a message unless `dir` is a meshsim checkout with its dist/ built. */
export function requireBuilt(dir) {
  for (const needed of ["bench/loopDist.mjs", "dist/scenario/build.js"]) {
    if (!existsSync(join(dir, needed))) {
      console.error(
        `${dir}: no ${needed}; give a meshsim checkout with its dist/ built (npm run build)`,
      );
      process.exit(2);
    }
  }
}

/**
 * Runs the checkout of `size` in `dir` under callgrind with `options` (more callgrind options) and
 * `nodeOptions` (more node options); resolves to valgrind's report (its stderr), rejects with a
 * message naming the run.
 */
export function runCallgrind(dir, size, options, nodeOptions = []) {
  const args = [
    "--tool=callgrind",
    "--smc-check=all-non-file",
    ...options,
    process.execPath,
    "--no-concurrent-recompilation",
    "--single-threaded",
    ...nodeOptions,
    "bench/loopDist.mjs",
    `checkout-${size}`,
  ];
  return new Promise((done, fail) => {
    execFile("valgrind", args, { cwd: dir, maxBuffer: 1 << 24 }, (error, _stdout, stderr) => {
      if (error === null) return done(stderr);
      const why = error.code === "ENOENT" ? "valgrind is not installed" : stderr.slice(-400);
      fail(new Error(`valgrind ... loopDist.mjs checkout-${size} failed in ${dir}: ${why}`));
    });
  });
}
