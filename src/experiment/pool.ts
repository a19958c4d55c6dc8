// The worker pool: piscina worker threads, each loading worker.ts (from the sources, through
// workerSources.mjs, which registers tsx in the worker) or worker.js (from the build, as is), each
// handed the scenario text once as workerData. Progress arrives on a BroadcastChannel. A run that
// throws rejects its own task only; the others go on.

import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { BroadcastChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { Executor, RunTask, TaskProgress } from "./executor.ts";
import type { RunResult, Source } from "./source.ts";
import type { ProgressMessage, WorkerData } from "./worker.ts";

/** The default --workers: every core this process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Running from TypeScript sources (tsx), not from the compiled build. */
const fromSources = import.meta.url.endsWith(".ts");

/**
 * The worker's entry and the flags it needs: from the build none of its own, so the workers
 * inherit this process's (Node's default: given explicitly, a V8 flag such as
 * --max-old-space-size or --single-threaded-gc is refused with ERR_WORKER_INVALID_EXEC_ARGV,
 * since V8's flags are the process's); from the sources, `--import <tsx>` (resolved from here, so
 * it works whatever the working directory) unless this process already runs under tsx.
 */
function workerEntry(): { filename: string; execArgv?: string[] } {
  const entry = fromSources ? "./workerSources.mjs" : "./worker.js";
  const filename = new URL(entry, import.meta.url).href;
  if (!fromSources) return { filename };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const hasTsx = process.execArgv.some((arg, i, all) => {
    const value = arg.startsWith("--import=") ? arg.slice(9) : all[i - 1] === "--import" ? arg : "";
    return value === "tsx" || value === tsx;
  });
  return { filename, execArgv: hasTsx ? process.execArgv : [...process.execArgv, "--import", tsx] };
}

let channels = 0;

export function poolExecutor(source: Source, workers: number, onProgress?: TaskProgress): Executor {
  const name = onProgress === undefined ? null : `meshsim-experiment-${process.pid}-${++channels}`;
  const channel = name === null ? null : new BroadcastChannel(name);
  channel?.unref();
  if (channel !== null && onProgress !== undefined) {
    channel.onmessage = (event) => {
      const m = (event as { data: ProgressMessage }).data;
      onProgress(m.index, { nowMs: m.nowMs, durationMs: m.durationMs, events: m.events });
    };
  }
  const data: WorkerData = { file: source.file, text: source.text, channel: name };
  const pool = new Piscina({
    ...workerEntry(),
    // Workers start as tasks arrive (up to `workers` at once), not all with the pool: an experiment
    // of fewer runs than workers (a compare of one seed, a capacity wave of one candidate) starts
    // only the workers it uses, each about 0.3 s of CPU and 60 MB to start for nothing otherwise.
    // The first wave is queued as soon as the pool exists, so no run waits for this.
    minThreads: 0,
    maxThreads: workers,
    idleTimeout: 60_000,
    workerData: data,
  });
  return {
    run(task: RunTask): Promise<RunResult> {
      return pool.run(task);
    },
    async close() {
      await pool.destroy();
      channel?.close();
    },
  };
}
