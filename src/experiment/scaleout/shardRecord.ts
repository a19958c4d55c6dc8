// shard.json: what a `--shard I/N --out DIR` process leaves beside its runs/ once its part is
// done (removed when it starts, so a shard that died leaves none): the experiment's definition
// and hash, the shard, and the wave it finished (null: the whole experiment finished here).
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { badInput } from "../source.ts";
import { type ExperimentDefinition, experimentHash } from "./definition.ts";
import type { Shard } from "./shard.ts";

export const SHARD_FILE = "shard.json";
const FORMAT = "meshsim-shard-1";

export interface ShardRecord {
  format: typeof FORMAT;
  meshsim: string;
  experiment: string;
  shard: Shard;
  /** The last wave whose runs of this shard are all in runs/; null when the experiment finished. */
  wave: number | null;
  definition: ExperimentDefinition;
}

export function shardRecord(
  def: ExperimentDefinition,
  shard: Shard,
  wave: number | null,
  meshsim: string,
): ShardRecord {
  return { format: FORMAT, meshsim, experiment: experimentHash(def), shard, wave, definition: def };
}

export function removeShardRecord(dir: string): void {
  rmSync(join(dir, SHARD_FILE), { force: true });
}

export function writeShardRecord(dir: string, record: ShardRecord): void {
  const temporary = join(dir, `.${SHARD_FILE}.tmp-${process.pid}`);
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, join(dir, SHARD_FILE));
}

/** The record of a part given to merge; bad input (exit 2) naming the folder when there is none. */
export function readShardRecord(dir: string): ShardRecord {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error("not a folder");
    entries = readdirSync(dir);
  } catch (error) {
    throw badInput(dir, `cannot read the part: ${(error as Error).message}`);
  }
  if (entries.length === 0)
    throw badInput(dir, "the folder is empty: a part is the --out DIR of a --shard I/N run");
  let text: string;
  try {
    text = readFileSync(join(dir, SHARD_FILE), "utf8");
  } catch {
    throw badInput(
      dir,
      `no ${SHARD_FILE}: not the --out DIR of a --shard I/N run, or that shard did not finish (run it again: it reuses the runs it finished)`,
    );
  }
  let record: ShardRecord;
  try {
    record = JSON.parse(text) as ShardRecord;
  } catch (error) {
    throw badInput(join(dir, SHARD_FILE), `not JSON: ${(error as Error).message}`);
  }
  if (record.format !== FORMAT || typeof record.experiment !== "string")
    throw badInput(
      join(dir, SHARD_FILE),
      `not a shard record of this meshsim (format ${JSON.stringify(record.format)}, expected ${FORMAT})`,
    );
  if (experimentHash(record.definition) !== record.experiment)
    throw badInput(
      join(dir, SHARD_FILE),
      "damaged: its definition does not hash to its experiment",
    );
  return record;
}
