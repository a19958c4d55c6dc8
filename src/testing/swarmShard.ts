// A swarm cut into shards (`meshsim swarm --shard I/N --out DIR`, then `meshsim merge`): seeds are
// independent, so seed s belongs to shard ((s − first) mod N) + 1, the rule of experiment shards
// (experiment/scaleout/shard.ts). A shard runs its seeds and writes each seed's whole result to
// DIR/seeds/<seed>.json (reused when the shard runs again) and shard.json last; merge adds the
// results up in seed order with the single process's stop rule (--max-violations), so the report
// and the minimal cases are the single process's bytes. A wall-clock budget cannot be sharded.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ExperimentDefinition, meshsimVersion } from "../experiment/scaleout/definition.ts";
import { describePart, readParts } from "../experiment/scaleout/merge.ts";
import { type Shard, shardOf } from "../experiment/scaleout/shard.ts";
import {
  removeShardRecord,
  shardRecord,
  writeShardRecord,
} from "../experiment/scaleout/shardRecord.ts";
import { badInput, ScenarioError } from "../experiment/source.ts";
import { ScenarioSource } from "./source.ts";
import {
  addSeed,
  type SeedResult,
  type SwarmOptions,
  type SwarmReport,
  SwarmSeeds,
} from "./swarm.ts";

/** What decides a swarm's seeds and report (hashed into the experiment): plain data only. */
export type SwarmDefinitionOptions = Pick<
  SwarmOptions,
  | "seeds"
  | "firstSeed"
  | "kinds"
  | "maxFaults"
  | "maxInstances"
  | "maxDuration"
  | "determinismEvery"
  | "maxViolations"
>;

export function swarmDefinition(
  file: string,
  text: string,
  options: SwarmDefinitionOptions,
): ExperimentDefinition {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined) plain[key] = value;
  return { command: "swarm", file, text, options: plain };
}

const seedFile = (dir: string, seed: number) => join(dir, "seeds", `${seed}.json`);

function readSeed(file: string): SeedResult | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    return JSON.parse(text) as SeedResult;
  } catch (error) {
    throw badInput(file, `damaged seed file: ${(error as Error).message}`);
  }
}

export interface SwarmShardOutcome {
  ran: number;
  reused: number;
}

/**
 * Runs one shard's seeds (those not already in DIR/seeds/) with `run`, the swarm in this thread
 * or on workers, told which seeds to run and where each result goes.
 */
export async function runSwarmShard(
  def: ExperimentDefinition,
  shard: Shard,
  out: string,
  run: (only: (seed: number) => boolean, onResult: SwarmOptions["onResult"]) => Promise<unknown>,
): Promise<SwarmShardOutcome> {
  removeShardRecord(out);
  mkdirSync(join(out, "seeds"), { recursive: true });
  const first = (def.options.firstSeed as number | undefined) ?? 0;
  let reused = 0;
  let ran = 0;
  const decided = new Map<number, boolean>(); // the pool asks about a seed more than once
  const only = (seed: number) => {
    let runs = decided.get(seed);
    if (runs === undefined) {
      const own = shardOf(seed - first, shard.count) === shard.index;
      runs = own && readSeed(seedFile(out, seed)) === null;
      if (own && !runs) reused++;
      decided.set(seed, runs);
    }
    return runs;
  };
  await run(only, (seed, result) => {
    const temporary = join(out, "seeds", `.${seed}.tmp-${process.pid}`);
    writeFileSync(temporary, `${JSON.stringify(result)}\n`);
    renameSync(temporary, seedFile(out, seed));
    ran++;
  });
  writeShardRecord(out, shardRecord(def, shard, null, meshsimVersion()));
  return { ran, reused };
}

/** The parts' seeds added up in order: the single process's report, byte for byte. */
export function mergeSwarm(dirs: readonly string[], out: string): SwarmReport {
  const parts = readParts(dirs, out);
  const { definition: def, shard } = parts[0].record;
  if (def.command !== "swarm")
    throw badInput(parts[0].dir, `is a part of a ${def.command}, not of a swarm`);
  const options = def.options as SwarmDefinitionOptions;
  const seeds = new SwarmSeeds(new ScenarioSource(def.text, def.file), options);
  const report = seeds.emptyReport();
  const missing: string[] = [];
  for (let seed = seeds.first; seed < seeds.first + options.seeds; seed++) {
    if (report.violations.length >= (options.maxViolations ?? Infinity)) break;
    const owner = shardOf(seed - seeds.first, shard.count);
    let found: { file: string; text: string } | null = null;
    for (const part of parts.filter((p) => p.record.shard.index === owner)) {
      const file = seedFile(part.dir, seed);
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch {
        continue;
      }
      if (found === null) found = { file, text };
      else if (found.text !== text)
        throw badInput(file, `differs from ${found.file}: the same seed with different results`);
    }
    if (found === null) {
      const holders = parts.filter((p) => p.record.shard.index === owner);
      missing.push(
        holders.length === 0
          ? `shard ${owner}/${shard.count} is missing: no part given is that shard (seed ${seed} is needed)`
          : `${holders.map(describePart).join(", ")} lacks seed ${seed}: run that shard again (it reuses the seeds it finished)`,
      );
      if (missing.length >= 5) break;
      continue;
    }
    if (missing.length === 0) addSeed(report, readSeed(found.file)!);
  }
  if (missing.length > 0)
    throw new ScenarioError(
      missing.map((message) => ({ file: "merge", line: null, column: null, path: "", message })),
    );
  return report;
}
