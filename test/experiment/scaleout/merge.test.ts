// Shards merged give the single process's bytes: a sweep cut into 1, 2, 4, 7 (uneven) and 16
// parts (more shards than runs: some parts are empty), any count fast-check draws, a compare, and a precision rule's waves run shard by shard. merge refuses, as bad
// input naming the culprit, a missing shard, parts of another experiment, and a run whose two
// copies differ; a doubled shard with equal bytes is harmless. In-process, one run at a time.

import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type CompareOptions, compare } from "../../../src/experiment/compare.ts";
import { definition, type ExperimentCommand } from "../../../src/experiment/scaleout/definition.ts";
import { merge } from "../../../src/experiment/scaleout/merge.ts";
import { parseShard, type Shard } from "../../../src/experiment/scaleout/shard.ts";
import { runShard } from "../../../src/experiment/scaleout/shardRun.ts";
import { ScenarioError } from "../../../src/experiment/source.ts";
import { type SweepOptions, sweep } from "../../../src/experiment/sweep.ts";
import { mm1File } from "../helpers.ts";
import { tree } from "./files.ts";

// 3 points × 4 seeds = 12 runs of M/M/1 (400 s each, ~200 requests): cheap, and enough runs for
// 7 shards of sizes 2, 2, 2, 2, 2, 1, 1.
const file = mm1File(0.5, 400, 20);
const text = readFileSync(file, "utf8");
const sweepOptions: SweepOptions = {
  vary: [{ path: ["load", 0, "rate"], values: [0.3, 0.5, 0.7] }],
  seeds: 4,
};

const folder = () => mkdtempSync(join(tmpdir(), "meshsim-merge-"));
const shard = (text: string) => parseShard(text, {}) as Shard;

async function single(command: ExperimentCommand, options: SweepOptions | CompareOptions) {
  const out = folder();
  if (command === "sweep") await sweep(file, { ...options, workers: "inline", out });
  else await compare(file, { ...(options as CompareOptions), workers: "inline", out });
  return out;
}

/** Each shard of N into its own folder; returns the folders in shard order. */
async function shards(
  command: ExperimentCommand,
  options: object,
  count: number,
): Promise<string[]> {
  const def = definition(command, file, text, options);
  const dirs: string[] = [];
  for (let i = 1; i <= count; i++) {
    const out = folder();
    await runShard(def, { index: i, count }, { out, workers: "inline" });
    dirs.push(out);
  }
  return dirs;
}

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as Error).message;
}

describe("a sweep cut into shards and merged", async () => {
  const reference = tree(await single("sweep", sweepOptions));

  const runsIn = (dir: string) =>
    existsSync(join(dir, "runs")) ? readdirSync(join(dir, "runs")).length : 0;

  it.each([1, 2, 4, 7, 16])(
    "gives the single process's files byte for byte with %i shard(s)",
    async (n) => {
      const dirs = await shards("sweep", sweepOptions, n);
      const sizes = dirs.map(runsIn);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(12);
      if (n === 7) expect(sizes).toEqual([2, 2, 2, 2, 2, 1, 1]);
      if (n === 16) expect(sizes).toEqual([...new Array(12).fill(1), 0, 0, 0, 0]);
      const out = folder();
      const merged = await merge(dirs, out);
      expect(merged.finished).toBe(true);
      expect(tree(out)).toEqual(reference);
    },
  );

  // Each case runs the 12 runs once more (about 0.5 s inline), so a few cases.
  const countAndOrder = fc.integer({ min: 1, max: 20 }).chain((n) =>
    fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n, maxLength: n },
    ),
  );
  test.prop([countAndOrder], { numRuns: 6 })(
    "gives the single process's files for any shard count, the parts given in any order",
    async (order) => {
      const dirs = await shards("sweep", sweepOptions, order.length);
      const out = folder();
      await merge(
        order.map((i) => dirs[i]),
        out,
      );
      expect(tree(out)).toEqual(reference);
    },
  );

  it("accepts a shard given twice with equal bytes (a Kubernetes index that ran twice)", async () => {
    const dirs = await shards("sweep", sweepOptions, 3);
    const twice = folder();
    cpSync(dirs[1], twice, { recursive: true });
    const out = folder();
    await merge([...dirs, twice], out);
    expect(tree(out)).toEqual(reference);
  });

  it("refuses a shard given twice with different bytes, naming both files", async () => {
    const dirs = await shards("sweep", sweepOptions, 3);
    const twice = folder();
    cpSync(dirs[1], twice, { recursive: true });
    const [run] = readdirSync(join(twice, "runs"));
    const path = join(twice, "runs", run);
    writeFileSync(path, readFileSync(path, "utf8").replace(/"events": (\d)/, '"events": 9$1'));
    const message = await refusal(merge([...dirs, twice], folder()));
    expect(message).toContain(`${path}: differs from ${join(dirs[1], "runs", run)}`);
    expect(message).toContain("the same run with different bytes");
  });

  it("refuses a missing shard, naming it and one of its runs", async () => {
    const dirs = await shards("sweep", sweepOptions, 3);
    const message = await refusal(merge([dirs[0], dirs[2]], folder()));
    expect(message).toBe(
      "merge: shard 2/3 is missing: no part given is that shard (4 of its runs of wave 1 are needed, e.g. point load[0].rate=0.3 seed 8)",
    );
  });

  it("refuses a shard that did not finish, and a re-run of it reuses what it had done", async () => {
    const def = definition("sweep", file, text, sweepOptions);
    const dirs = await shards("sweep", sweepOptions, 2);
    const runs = readdirSync(join(dirs[1], "runs"));
    rmSync(join(dirs[1], "runs", runs[0]));
    const message = await refusal(merge(dirs, folder()));
    expect(message).toMatch(
      /^merge: shard 2\/2 \(.*\) lacks 1 of its runs of wave 1, e\.g\. point .* seed \d+: run it again/,
    );
    const again = await runShard(def, shard("2/2"), { out: dirs[1], workers: "inline" });
    expect(again).toMatchObject({ finished: false, wave: 1, ran: 1, reused: 5 });
    const out = folder();
    await merge(dirs, out);
    expect(tree(out)).toEqual(reference);
  });

  it("refuses parts of another experiment, saying what differs", async () => {
    const [first] = await shards("sweep", sweepOptions, 2);
    const [, other] = await shards("sweep", { ...sweepOptions, seeds: 3 }, 2);
    const message = await refusal(merge([first, other], folder()));
    expect(message).toMatch(/belongs to another experiment than .*they differ in seeds \(4 vs 3\)/);
  });

  it("refuses parts of a scenario whose text differs", async () => {
    const [first] = await shards("sweep", sweepOptions, 2);
    const def = definition("sweep", file, `${text}\n# edited\n`, sweepOptions);
    const other = folder();
    await runShard(def, { index: 2, count: 2 }, { out: other, workers: "inline" });
    const message = await refusal(merge([first, other], folder()));
    expect(message).toMatch(
      /belongs to another experiment .*they differ in the scenario text \(sha256 [0-9a-f]{12} vs [0-9a-f]{12}\)/,
    );
  });

  it("refuses parts cut into different numbers of shards", async () => {
    const [first] = await shards("sweep", sweepOptions, 2);
    const [, , third] = await shards("sweep", sweepOptions, 3);
    const message = await refusal(merge([first, third], folder()));
    expect(message).toMatch(
      /is shard 3\/3 but .* is shard 1\/2: every part must come from the same --shard I\/N/,
    );
  });
});

describe("a compare cut into shards and merged", () => {
  it("gives the single process's files byte for byte", async () => {
    const options: CompareOptions = {
      variants: [
        { name: "one", set: [{ path: ["services", "server", "concurrency"], value: 1 }] },
        { name: "two", set: [{ path: ["services", "server", "concurrency"], value: 2 }] },
      ],
      seeds: 3,
    };
    const reference = tree(await single("compare", options));
    const out = folder();
    await merge(await shards("compare", options, 4), out);
    expect(tree(out)).toEqual(reference);
  });
});

describe("sequential replication over shards", () => {
  it("stops each shard at the wave that needs the others, and merges wave by wave to the single process's bytes", async () => {
    // The rule adds seeds until each mean and p99 is within 10%: 2 seeds first, then 4, then 8
    // (measured: 3 waves for both points, 16 runs).
    const options: SweepOptions = {
      vary: [{ path: ["load", 0, "rate"], values: [0.3, 0.7] }],
      seeds: 2,
      precision: 0.1,
      minSeeds: 2,
      maxSeeds: 8,
    };
    const reference = tree(await single("sweep", options));
    const def = definition("sweep", file, text, options);
    const parts = [folder(), folder(), folder()];
    const merged = folder();
    let waves = 0;
    for (;;) {
      for (const [i, out] of parts.entries()) {
        if (waves > 0) cpSync(join(merged, "runs"), join(out, "runs"), { recursive: true });
        const part = await runShard(def, { index: i + 1, count: 3 }, { out, workers: "inline" });
        expect(part.finished).toBe(false);
      }
      const outcome = await merge(parts, merged);
      waves++;
      if (outcome.finished) break;
      expect(outcome.wave).toBe(waves + 1);
    }
    expect(waves).toBe(3);
    expect(tree(merged)).toEqual(reference);
  });
});
