// `meshsim merge DIR... --out DIR`: the parts' shard.json must name one experiment (same hash) cut
// into one number of shards; the experiment is then replayed on the parts' runs alone, nothing
// run, so the summary files are the single-process bytes and out/runs/ gets exactly the runs a
// single process would keep. A run found in two parts (a shard that ran twice, as a Kubernetes
// Indexed Job may) must have equal bytes there. Runs missing name the shard that owes them.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { WaveIncomplete } from "../engine.ts";
import { RunDeferred } from "../executor.ts";
import type { RunStore } from "../runStore.ts";
import { badInput, type RunResult, ScenarioError } from "../source.ts";
import { type ExperimentOutcome, runDefinition } from "./commands.ts";
import { differences } from "./definition.ts";
import { formatShard, shardOf } from "./shard.ts";
import { readShardRecord, type ShardRecord } from "./shardRecord.ts";

export type MergeOutcome =
  | { finished: true; outcome: ExperimentOutcome; parts: number }
  | {
      /** The precision rule wants another wave: out/runs/ holds every run so far. */
      finished: false;
      wave: number;
      runs: number;
      shards: number;
    };

export interface MergeOptions {
  onProgress?: Parameters<typeof runDefinition>[1]["onProgress"];
}

export interface Part {
  dir: string;
  record: ShardRecord;
}

/** The parts' records, checked to be shards of one experiment cut the same way (bad input if not). */
export function readParts(dirs: readonly string[], out: string): Part[] {
  const parts = dirs.map((dir): Part => ({ dir, record: readShardRecord(dir) }));
  checkSameExperiment(parts);
  if (parts.some((p) => resolve(p.dir) === resolve(out)))
    throw badInput(out, "--out must not be one of the parts: merge writes a new folder");
  return parts;
}

export async function merge(
  dirs: readonly string[],
  out: string,
  options: MergeOptions = {},
): Promise<MergeOutcome> {
  const parts = readParts(dirs, out);
  const [{ record }] = parts;
  const store = mergedStore(parts, join(out, "runs"));
  try {
    const outcome = await runDefinition(record.definition, {
      out,
      store,
      onProgress: options.onProgress,
      workers: () => ({
        run: (task) => Promise.reject(new RunDeferred(`run ${task.index} is in no part`)),
        close: async () => {},
      }),
    });
    return { finished: true, outcome, parts: parts.length };
  } catch (error) {
    if (!(error instanceof WaveIncomplete)) throw error;
    return missingRuns(parts, error, store.copied());
  }
}

export function describePart(part: Part): string {
  return `${part.dir} (shard ${formatShard(part.record.shard)} of experiment ${part.record.experiment})`;
}

function checkSameExperiment(parts: readonly Part[]): void {
  const [first] = parts;
  for (const part of parts.slice(1)) {
    if (part.record.experiment !== first.record.experiment) {
      const what = differences(first.record.definition, part.record.definition);
      throw badInput(
        part.dir,
        `belongs to another experiment than ${first.dir}: ${describePart(part)} against ${describePart(first)}; they differ in ${what.join(", ") || "their definition"}`,
      );
    }
    if (part.record.shard.count !== first.record.shard.count)
      throw badInput(
        part.dir,
        `is shard ${formatShard(part.record.shard)} but ${first.dir} is shard ${formatShard(first.record.shard)}: every part must come from the same --shard I/N`,
      );
    if (part.record.meshsim !== first.record.meshsim)
      throw badInput(
        part.dir,
        `was written by meshsim ${part.record.meshsim} but ${first.dir} by meshsim ${first.record.meshsim}: run every shard with one version`,
      );
  }
}

/**
 * Reads each run from every part that has it (equal bytes, or bad input naming both files) and
 * copies those bytes to the output's runs/ as the single process would have written them.
 */
function mergedStore(parts: readonly Part[], runs: string): RunStore & { copied: () => number } {
  mkdirSync(runs, { recursive: true });
  let copied = 0;
  return {
    read(key) {
      let found: { file: string; bytes: Buffer } | null = null;
      for (const part of parts) {
        const file = join(part.dir, "runs", `${key}.json`);
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch {
          continue;
        }
        if (found === null) found = { file, bytes };
        else if (!found.bytes.equals(bytes))
          throw badInput(
            file,
            `differs from ${found.file}: the same run with different bytes (parts from different builds, or a damaged file); run that shard again into an empty folder`,
          );
      }
      if (found === null) return null;
      let result: RunResult;
      try {
        result = JSON.parse(found.bytes.toString("utf8")) as RunResult;
      } catch (error) {
        throw badInput(found.file, `damaged run file: ${(error as Error).message}`);
      }
      if (result.histograms === undefined)
        throw badInput(found.file, "not a run file of an experiment (no histograms)");
      const temporary = join(runs, `.${key}.tmp-${process.pid}`);
      writeFileSync(temporary, found.bytes);
      renameSync(temporary, join(runs, `${key}.json`));
      copied++;
      return result;
    },
    write() {
      throw new Error("merge runs nothing, so it writes no run");
    },
    copied: () => copied,
  };
}

/**
 * Another wave when every shard that owes runs of the wave stopped before it (it never saw that
 * wave: a precision rule's next wave, or a capacity search whose last wave fell to other shards);
 * otherwise bad input naming the shards that are missing or stopped at that wave without its runs.
 */
function missingRuns(parts: readonly Part[], error: WaveIncomplete, copied: number): MergeOutcome {
  const count = parts[0].record.shard.count;
  const owed = new Map<number, typeof error.deferred>();
  for (const task of error.deferred) {
    const shard = shardOf(task.index, count);
    owed.set(shard, [...(owed.get(shard) ?? []), task]);
  }
  const lines = [...owed.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([shard, tasks]) => {
      const holders = parts.filter((p) => p.record.shard.index === shard);
      const example = `${tasks[0].label} seed ${tasks[0].seed}`;
      if (holders.length === 0)
        return [
          `shard ${shard}/${count} is missing: no part given is that shard (${tasks.length} of its runs of wave ${error.wave} are needed, e.g. ${example})`,
        ];
      const behind = holders.every((p) => p.record.wave !== null && p.record.wave < error.wave);
      if (behind) return [];
      return [
        `shard ${shard}/${count} (${holders.map((p) => p.dir).join(", ")}) lacks ${tasks.length} of its runs of wave ${error.wave}, e.g. ${example}: run it again (it reuses the runs it finished)`,
      ];
    });
  if (lines.length === 0) return { finished: false, wave: error.wave, runs: copied, shards: count };
  throw new ScenarioError(
    lines.map((message) => ({ file: "merge", line: null, column: null, path: "", message })),
  );
}
