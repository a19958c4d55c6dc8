// A swarm cut into shards (seed s to shard ((s − first) mod N) + 1) and merged gives the single
// process's report, minimal cases included, for any shard count, and with --max-violations (each
// shard stops at its own count, which never comes before the single process's stop); a shard run
// again reuses the seeds it wrote; merge names a missing shard. In-process, one seed at a time.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Shard } from "../../src/experiment/scaleout/shard.ts";
import { ScenarioError } from "../../src/experiment/source.ts";
import { fromFile } from "../../src/testing/source.ts";
import { type SwarmOptions, swarm } from "../../src/testing/swarm.ts";
import {
  mergeSwarm,
  runSwarmShard,
  type SwarmDefinitionOptions,
  swarmDefinition,
} from "../../src/testing/swarmShard.ts";

const root = resolve(import.meta.dirname, "../..");
const folder = () => mkdtempSync(join(tmpdir(), "meshsim-swarm-shards-"));
const podKills = { kinds: ["pod-kill"], maxFaults: 2, maxInstances: 1, determinismEvery: 2 };

/** Each shard of `count` into its own folder (or the folders given); the folders and seeds run. */
async function shards(
  file: string,
  options: SwarmDefinitionOptions & { seeds: number },
  count: number,
  dirs: string[] = Array.from({ length: count }, folder),
) {
  const source = fromFile(file);
  const def = swarmDefinition(file, source.baseText, options);
  let ran = 0;
  let reused = 0;
  for (const [i, out] of dirs.entries()) {
    const shard: Shard = { index: i + 1, count };
    const part = await runSwarmShard(def, shard, out, async (only, onResult) =>
      swarm(source, { ...(options as SwarmOptions), only, onResult }),
    );
    ran += part.ran;
    reused += part.reused;
  }
  return { dirs, ran, reused };
}

describe("a swarm cut into shards and merged", () => {
  const fixed = join(root, "scenarios/fragile-checkout-fixed.yaml");
  const options = { seeds: 5, ...podKills };
  const single = JSON.stringify(swarm(fromFile(fixed), options));

  for (const count of [1, 2, 3, 5, 7]) {
    it(`gives the single process's report with ${count} shard(s)`, async () => {
      const { dirs, ran } = await shards(fixed, options, count);
      expect(ran).toBe(5);
      expect(JSON.stringify(mergeSwarm(dirs, folder()))).toBe(single);
    });
  }

  it("names a missing shard", async () => {
    const { dirs } = await shards(fixed, options, 3);
    expect(() => mergeSwarm([dirs[0], dirs[2]], folder())).toThrow(ScenarioError);
    expect(() => mergeSwarm([dirs[0], dirs[2]], folder())).toThrow(
      /shard 2\/3 is missing: no part given is that shard \(seed 1 is needed\)/,
    );
  });
});

describe("a swarm that breaks an invariant, over shards", () => {
  // Seed 0 of the fragile checkout breaks its error threshold with one pod kill (test/cli/swarm.test.ts).
  const fragile = join(root, "scenarios/fragile-checkout.yaml");

  it("gives the single process's violations and minimal cases; a shard run again reuses its seeds", {
    timeout: 300_000,
  }, async () => {
    const options = { seeds: 3, ...podKills };
    const single = swarm(fromFile(fragile), options);
    expect(single.violations.map((v) => v.seed)).toContain(0);
    const { dirs } = await shards(fragile, options, 2);
    const merged = mergeSwarm(dirs, folder());
    expect(JSON.stringify(merged)).toBe(JSON.stringify(single));
    expect(merged.violations[0].text).toBe(single.violations[0].text);
    const again = await shards(fragile, options, 2, dirs);
    expect(again).toMatchObject({ ran: 0, reused: 3 });

    // --max-violations 1: the single process stops after seed 0; shard 1 stops there too, shard 2
    // runs its seeds; the merge stops where the single process does.
    const capped = { ...options, maxViolations: 1 };
    const cappedSingle = swarm(fromFile(fragile), capped);
    expect(cappedSingle.seeds).toBe(1);
    const cappedParts = await shards(fragile, capped, 2);
    expect(JSON.stringify(mergeSwarm(cappedParts.dirs, folder()))).toBe(
      JSON.stringify(cappedSingle),
    );
    expect(readFileSync(join(cappedParts.dirs[0], "shard.json"), "utf8")).toMatch(/"swarm"/);
  });
});
