// A capacity search over shards: each wave of the search needs every earlier wave's results, so a
// shard replays the search on the runs it has, runs its share of the first wave it cannot finish
// alone and stops; merge joins the parts and exits 75 while the search wants another wave. Run
// round by round (the merged runs copied back into each shard), the merged folder is the single
// process's bytes for any shard count, also when a wave falls wholly to one shard (which then runs
// ahead while the others wait). In-process, one run at a time.
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CapacityOptions, capacity } from "../../../src/experiment/capacity/capacity.ts";
import { definition } from "../../../src/experiment/scaleout/definition.ts";
import { merge } from "../../../src/experiment/scaleout/merge.ts";
import { runShard } from "../../../src/experiment/scaleout/shardRun.ts";
import { file, station } from "../capacity/scenarios.ts";
import { tree } from "./files.ts";

// M/M/c at 450/s on exp(10 ms) slots, 10 s runs: the cheapest c under a mean of 11.8 ms is 7
// (theory.test.ts); the search takes 7 waves of 3 runs or more.
const mmc = file("mmc", station({ rate: 450, duration: "10s", threshold: "avg<11.8ms" }));
const concurrency = {
  path: ["services", "server", "concurrency"],
  values: [...Array(12)].map((_, i) => i + 1),
};
const folder = () => mkdtempSync(join(tmpdir(), "meshsim-capacity-shards-"));

async function single(options: CapacityOptions, scenario = mmc): Promise<string> {
  const out = folder();
  await capacity(scenario, { ...options, workers: "inline", out });
  return out;
}

/** Rounds of `count` shards and a merge until merge finishes; the merged folder and the rounds. */
async function sharded(options: CapacityOptions, count: number, scenario = mmc) {
  const def = definition("capacity", scenario, readFileSync(scenario, "utf8"), options);
  const parts = Array.from({ length: count }, folder);
  const merged = folder();
  /** round:shard:the wave it stopped at (or done), for the runs-ahead case. */
  const stops: string[] = [];
  for (let round = 1; round <= 100; round++) {
    for (const [i, out] of parts.entries()) {
      if (round > 1) cpSync(join(merged, "runs"), join(out, "runs"), { recursive: true });
      const part = await runShard(def, { index: i + 1, count }, { out, workers: "inline" });
      stops.push(`${round}:${i + 1}:${part.finished ? "done" : part.wave}`);
    }
    const outcome = await merge(parts, merged);
    if (outcome.finished) return { merged, rounds: round, outcome, stops };
  }
  throw new Error("no end after 100 rounds");
}

describe("a capacity search cut into shards and merged round by round", () => {
  const options: CapacityOptions = { vary: [concurrency], seeds: 3 };
  let reference: Record<string, string>;

  for (const count of [1, 2, 3, 5]) {
    it(`gives the single process's files byte for byte with ${count} shard(s)`, {
      timeout: 120_000,
    }, async () => {
      reference ??= tree(await single(options));
      const { merged, rounds, outcome } = await sharded(options, count);
      expect(tree(merged)).toEqual(reference);
      expect(outcome.finished && outcome.outcome.command).toBe("capacity");
      // One shard finishes the whole search in one round; more shards need a round per wave
      // (measured: 7 waves, all of 3 runs or more, so every shard stops at each).
      expect(rounds).toBe(count === 1 ? 1 : 7);
    });
  }

  it("gives the single process's files for a --max-rate bracket over 4 shards", {
    timeout: 120_000,
  }, async () => {
    const maxRate: CapacityOptions = { maxRate: "customers", seeds: 2, maxSeeds: 4 };
    const expected = tree(await single(maxRate));
    const { merged } = await sharded(maxRate, 4);
    expect(tree(merged)).toEqual(expected);
  });
});

describe("a wave that falls wholly to one shard", () => {
  it("lets that shard run ahead while merge waits for the others, with the single process's bytes", {
    timeout: 120_000,
  }, async () => {
    // c = 7 has a mean sojourn near 10.9 ms: undecided on 2 seeds, it gets a third seed alone in
    // wave 2, which round robin gives to shard 1 only; shard 1 goes on to wave 3 while shard 2
    // stops at wave 2 (measured: round 2 stops shard 1 at wave 3 and shard 2 at wave 2).
    const edge = file("edge", station({ rate: 450, duration: "10s", threshold: "avg<10.9ms" }));
    const options: CapacityOptions = {
      vary: [{ path: ["services", "server", "concurrency"], values: [6, 7, 8] }],
      seeds: 2,
      maxSeeds: 3,
    };
    const expected = tree(await single(options, edge));
    const { merged, stops } = await sharded(options, 2, edge);
    expect(stops).toContain("2:1:3");
    expect(stops).toContain("2:2:2");
    expect(tree(merged)).toEqual(expected);
  });
});
