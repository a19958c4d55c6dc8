// A pool worker (piscina's task module): holds the experiment's scenario text, parses each point
// once, runs the tasks it is handed, and reports each run's progress on a broadcast channel (every
// PROGRESS_EVERY-th slice, so the messages cost nothing next to the run). Loaded as worker.ts from
// the sources (tsx in the worker) or as worker.js from the build.
import { BroadcastChannel, workerData } from "node:worker_threads";
import { PointRunner, type RunTask } from "./executor.ts";
import type { RunResult } from "./source.ts";

export interface WorkerData {
  file: string;
  text: string;
  /** The BroadcastChannel progress goes to, or null when nobody watches. */
  channel: string | null;
}

export interface ProgressMessage {
  index: number;
  nowMs: number;
  durationMs: number;
  events: number;
}

const PROGRESS_EVERY = 10;

const data = workerData as WorkerData;
// The main thread parsed every point, paths checked, before it started the pool (plan.ts,
// capacity's evaluator), so the workers skip the path check.
const runner = new PointRunner({ file: data.file, text: data.text }, { pathsChecked: true });
const channel = data.channel === null ? null : new BroadcastChannel(data.channel);
channel?.unref();

export default function runTask(task: RunTask): RunResult {
  let slices = 0;
  const onProgress =
    channel === null
      ? undefined
      : (index: number, p: { nowMs: number; durationMs: number; events: number }) => {
          if (slices++ % PROGRESS_EVERY !== 0) return;
          const message: ProgressMessage = { index, ...p };
          channel.postMessage(message);
        };
  return runner.run(task, onProgress);
}
