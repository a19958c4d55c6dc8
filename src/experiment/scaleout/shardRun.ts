// One shard of an experiment: the experiment replayed in full order, its own runs executed (on the
// pool or inline), runs already in DIR/runs/ read back (a re-run after a failure, or the merged
// runs of earlier waves), the others left to their shards. With a precision rule the shard stops
// at the first wave that needs the other shards' results: merge them, then run the shards again.
import { join } from "node:path";
import { WaveIncomplete } from "../engine.ts";
import { type Executor, inlineExecutor, RunDeferred, type RunTask } from "../executor.ts";
import { defaultWorkers, poolExecutor } from "../pool.ts";
import { type RunStore, runStore } from "../runStore.ts";
import { type ExperimentOutcome, runDefinition } from "./commands.ts";
import { type ExperimentDefinition, meshsimVersion } from "./definition.ts";
import { type Shard, shardOf } from "./shard.ts";
import { removeShardRecord, shardRecord, writeShardRecord } from "./shardRecord.ts";

export interface ShardOptions {
  out: string;
  workers?: number | "inline";
  onProgress?: Parameters<typeof runDefinition>[1]["onProgress"];
}

export type ShardOutcome =
  | { finished: true; outcome: ExperimentOutcome; ran: number; reused: number }
  | { finished: false; wave: number; ran: number; reused: number; leftToOthers: number };

export async function runShard(
  def: ExperimentDefinition,
  shard: Shard,
  options: ShardOptions,
): Promise<ShardOutcome> {
  removeShardRecord(options.out);
  const store = countingStore(runStore(join(options.out, "runs")));
  let executor: (Executor & { ran: () => number }) | null = null;
  const workers = options.workers ?? defaultWorkers();
  try {
    const outcome = await runDefinition(def, {
      out: options.out,
      store,
      onProgress: options.onProgress,
      workers: (source, onTask) => {
        const inner =
          workers === "inline"
            ? inlineExecutor(source, onTask)
            : poolExecutor(source, workers, options.onProgress && onTask);
        executor = shardExecutor(inner, shard);
        return executor;
      },
    });
    writeShardRecord(options.out, shardRecord(def, shard, null, meshsimVersion()));
    return { finished: true, outcome, ran: ranBy(executor), reused: store.hits() };
  } catch (error) {
    if (!(error instanceof WaveIncomplete)) throw error;
    writeShardRecord(options.out, shardRecord(def, shard, error.wave, meshsimVersion()));
    return {
      finished: false,
      wave: error.wave,
      ran: ranBy(executor),
      reused: store.hits(),
      leftToOthers: error.deferred.length,
    };
  }
}

function ranBy(executor: { ran: () => number } | null): number {
  return executor === null ? 0 : executor.ran();
}

function countingStore(store: RunStore): RunStore & { hits: () => number } {
  let hits = 0;
  return {
    read(key) {
      const result = store.read(key);
      if (result !== null) hits++;
      return result;
    },
    write: (key, result) => store.write(key, result),
    hits: () => hits,
  };
}

/** Runs the shard's own tasks on `inner`; leaves the others to their shards (RunDeferred). */
export function shardExecutor(inner: Executor, shard: Shard): Executor & { ran: () => number } {
  let ran = 0;
  return {
    async run(task: RunTask) {
      if (shardOf(task.index, shard.count) !== shard.index)
        throw new RunDeferred(
          `run ${task.index} belongs to shard ${shardOf(task.index, shard.count)}`,
        );
      const result = await inner.run(task);
      ran++;
      return result;
    },
    close: () => inner.close(),
    ran: () => ran,
  };
}
