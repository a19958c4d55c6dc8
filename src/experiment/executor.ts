// Where an experiment's runs execute: in the calling thread one after another (inline), or on a
// pool of worker threads (pool.ts). Either way a task is (point, seed) and its answer the run
// result; the engine orders answers by run index, so the choice never changes the output.
import type { RunProgress } from "../run/progress.ts";
import {
  type Assignment,
  parsePoint,
  type RunResult,
  runReplication,
  type Source,
} from "./source.ts";

export interface RunTask {
  /** Position in the experiment's list of runs. */
  index: number;
  set: Assignment[];
  label: string;
  seed: number;
}

/**
 * An executor rejects a task with this to leave the run to another process (a shard that does
 * not own it, a merge that only reads): not a failure, the wave ends incomplete (engine.ts).
 */
export class RunDeferred extends Error {
  override readonly name = "RunDeferred";
}

/** A running task's progress, as its run reports it between slices of events. */
export type TaskProgress = (index: number, progress: RunProgress) => void;

export interface Executor {
  /** Resolves with the run's result (with its histograms); rejects with the error the run threw. */
  run(task: RunTask): Promise<RunResult>;
  close(): Promise<void>;
}

/**
 * Parses each point once (keyed by its values) and runs it: the work of one worker, also what
 * the inline executor does. At most `limit` parsed points are kept, the oldest dropped first.
 * `pathsChecked`: the points come from a planner in this process that has parsed them, paths
 * checked, already (a pool worker's), so the path check is skipped (parsePoint).
 */
export class PointRunner {
  private readonly parsed = new Map<string, ReturnType<typeof parsePoint>>();
  private readonly limit: number;
  private readonly pathsChecked: boolean;
  constructor(
    private readonly source: Source,
    options: { limit?: number; pathsChecked?: boolean } = {},
  ) {
    this.limit = options.limit ?? 256;
    this.pathsChecked = options.pathsChecked ?? false;
  }

  run(task: RunTask, onProgress?: TaskProgress): RunResult {
    const key = JSON.stringify(task.set);
    let scenario = this.parsed.get(key);
    if (scenario === undefined) {
      scenario = parsePoint(this.source, task.set, task.label, this.pathsChecked);
      if (this.parsed.size >= this.limit) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(key, scenario);
    }
    const watch = onProgress && ((p: RunProgress) => onProgress(task.index, p));
    return runReplication(scenario, task.seed, watch);
  }
}

/** Runs every task in the calling thread, one at a time, in the order asked. */
export function inlineExecutor(source: Source, onProgress?: TaskProgress): Executor {
  const runner = new PointRunner(source);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    run(task) {
      const next = queue.then(() => runner.run(task, onProgress));
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      await queue;
    },
  };
}
