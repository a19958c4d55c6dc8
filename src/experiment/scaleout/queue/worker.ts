// `meshsim worker redis://HOST:PORT`: a BullMQ Worker that takes run jobs from the queue and runs
// each in a sandboxed processor on a worker thread (processor.ts), `concurrency` at a time. Its
// lock on a job is renewed every lockDuration / 2 from this thread, which the runs never block;
// if this process dies, the lock expires and another worker's stalled-job check (every
// lockDuration) puts the job back in the queue, up to MAX_STALLED times. Reconnects to a Redis
// that went away for as long as it takes, as BullMQ workers do.
import { hostname } from "node:os";
import { Worker } from "bullmq";
import { QUEUE_NAME, type RunJob, type RunReturn, redisOptions } from "./connection.ts";

export interface WorkerOptions {
  concurrency: number;
  /** BullMQ's lockDuration in ms (default 30 000, BullMQ's own); also the stalled-check period. */
  lockDurationMs?: number;
  /** One line per job started, finished or failed. */
  log?: (line: string) => void;
  /**
   * The sandboxed processor's file (default processor.ts/.js beside this one, experiment runs
   * only); `meshsim worker` gives meshsim/testing's, which takes swarm seeds too.
   */
  processor?: URL;
}

/** A job may lose its worker this many times and go back to the queue before it is failed. */
export const MAX_STALLED = 3;

/** The processor beside this file, as it is built (.js) or as the sources run under tsx (.ts). */
function processorFile(): URL {
  const ts = import.meta.url.endsWith(".ts");
  return new URL(ts ? "./processor.ts" : "./processor.js", import.meta.url);
}

export function startWorker(url: string, options: WorkerOptions): Worker<RunJob, RunReturn> {
  const lockDuration = options.lockDurationMs ?? 30_000;
  const name = `${hostname()}/${process.pid}`;
  const worker = new Worker<RunJob, RunReturn>(QUEUE_NAME, options.processor ?? processorFile(), {
    connection: { ...redisOptions(url), maxRetriesPerRequest: null },
    concurrency: options.concurrency,
    useWorkerThreads: true,
    lockDuration,
    stalledInterval: lockDuration,
    maxStalledCount: MAX_STALLED,
    name,
  });
  const log = options.log ?? (() => {});
  const what = (job: { id?: string; data: RunJob }) =>
    job.data.swarm === undefined
      ? `job ${job.id} (${job.data.task.label} seed ${job.data.task.seed})`
      : `job ${job.id} (swarm seed ${job.data.task.seed})`;
  worker.on("active", (job) => log(`started ${what(job)}`));
  worker.on("completed", (job) => log(`finished ${what(job)}`));
  worker.on("failed", (job, error) => {
    if (job !== undefined) log(`failed ${what(job)}: ${error.message}`);
  });
  worker.on("error", (error) => log(`error: ${error.message}`));
  return worker;
}
