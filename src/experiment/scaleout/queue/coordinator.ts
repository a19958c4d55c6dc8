// The coordinator's side of the queue: each run of the experiment is a BullMQ job whose id is the
// experiment's hash and the run's index ("<hash>-<index>": BullMQ refuses ':'), so enqueueing a
// run twice (a coordinator restarted, two coordinators of one experiment) adds it once. Results
// are collected as QueueEvents report them, and a watchdog every few seconds asks Redis for the
// state of every job still awaited, adding again any that vanished (a Redis restarted without
// its data): delivery is at least once and a run's bytes do not depend on who ran it, so
// duplicates are harmless. The engine orders results by run index, never by arrival.
import { type Job, Queue, QueueEvents } from "bullmq";
import type { RedisOptions } from "ioredis";
import type { Executor, RunTask } from "../../executor.ts";
import { runKey } from "../../runStore.ts";
import type { RunResult, Source } from "../../source.ts";
import {
  boundedRetry,
  QUEUE_NAME,
  QueueUnavailable,
  RECONNECT_ATTEMPTS,
  type RunJob,
  type RunReturn,
  redisOptions,
  type SwarmJob,
} from "./connection.ts";

/** How often the watchdog looks at the awaited jobs. */
export const WATCH_EVERY_MS = 3000;

interface Awaited {
  task: RunTask;
  data: RunJob;
  resolve: (result: RunResult) => void;
  reject: (error: Error) => void;
}

export interface QueueExecutor extends Executor {
  /** Runs done so far per worker name, in the order workers first answered. */
  perWorker(): Map<string, number>;
  /** Set once Redis was lost for longer than the reconnection limit. */
  lost(): QueueUnavailable | null;
}

export interface QueueExecutorOptions {
  /** Reconnection attempts in a row before giving up (default RECONNECT_ATTEMPTS; tests lower it). */
  reconnectAttempts?: number;
  /**
   * Makes each task a swarm seed's job (job name "swarm") instead of an experiment run's: the
   * answer is then the seed's result, not a RunResult (meshsim/testing's swarmQueue.ts).
   */
  swarm?: SwarmJob;
}

export function queueExecutor(
  url: string,
  source: Source,
  experiment: string,
  meshsim: string,
  options: QueueExecutorOptions = {},
): QueueExecutor {
  const attempts = options.reconnectAttempts ?? RECONNECT_ATTEMPTS;
  let lost: QueueUnavailable | null = null;
  const giveUp = () => {
    const span = attempts === RECONNECT_ATTEMPTS ? RECONNECT_LABEL : `${attempts} attempts`;
    lost ??= new QueueUnavailable(
      `lost Redis at ${url}: no connection after ${span} of reconnecting; the finished runs are kept (with --out, in runs/): run the same command again to resume`,
    );
    failAll(lost);
  };
  const connection: RedisOptions = {
    ...redisOptions(url),
    retryStrategy: boundedRetry(giveUp, attempts),
  };
  const queue = new Queue<RunJob, RunReturn>(QUEUE_NAME, {
    connection,
    // Completion events carry the run's result; keep the stream short, the watchdog covers gaps.
    streams: { events: { maxLen: 1000 } },
  });
  const events = new QueueEvents(QUEUE_NAME, {
    connection: { ...connection, maxRetriesPerRequest: null },
  });
  queue.on("error", () => {}); // connection trouble: retried, then giveUp
  events.on("error", () => {});
  const awaited = new Map<string, Awaited>();
  const tally = new Map<string, number>();

  function settle(id: string, outcome: { value: RunReturn } | { error: string }): void {
    const entry = awaited.get(id);
    if (entry === undefined) return;
    awaited.delete(id);
    if ("error" in outcome) {
      entry.reject(new Error(`failed on a worker: ${outcome.error}`));
      return;
    }
    const { value } = outcome;
    if (value?.key !== entry.data.key) {
      entry.reject(
        new Error(
          `job ${id} came back with run key ${value?.key}, expected ${entry.data.key}: a worker of another build?`,
        ),
      );
      return;
    }
    tally.set(value.worker, (tally.get(value.worker) ?? 0) + 1);
    entry.resolve(value.result as RunResult);
    queue.remove(id).catch(() => {}); // Redis keeps only the runs in flight
  }

  function failAll(error: Error): void {
    for (const [id, entry] of awaited) {
      awaited.delete(id);
      entry.reject(error);
    }
  }

  events.on("completed", ({ jobId, returnvalue }) =>
    settle(jobId, { value: returnvalue as unknown as RunReturn }),
  );
  events.on("failed", ({ jobId, failedReason }) => settle(jobId, { error: failedReason }));

  async function look(id: string, entry: Awaited): Promise<void> {
    const state = await queue.getJobState(id);
    if (state === "completed" || state === "failed") {
      const job: Job<RunJob, RunReturn> | undefined = await queue.getJob(id);
      if (job === undefined) return;
      if (state === "completed") settle(id, { value: job.returnvalue });
      else settle(id, { error: job.failedReason });
    } else if (state === "unknown") await add(id, entry.data);
  }

  const name = options.swarm === undefined ? "run" : "swarm";
  const add = (id: string, data: RunJob) =>
    queue.add(name, data, {
      jobId: id,
      attempts: 1, // a run that throws throws again: only a dead worker's job is run again
      removeOnComplete: false,
      removeOnFail: false,
    });

  let watching = false;
  const watchdog = setInterval(() => {
    if (watching || awaited.size === 0 || lost !== null) return;
    watching = true;
    Promise.all([...awaited].map(([id, entry]) => look(id, entry)))
      .catch(() => {}) // Redis away: ioredis retries, giveUp ends it
      .finally(() => {
        watching = false;
      });
  }, WATCH_EVERY_MS);

  return {
    run(task) {
      if (lost !== null) return Promise.reject(lost);
      const id = `${experiment}-${task.index}`;
      const data: RunJob = {
        meshsim,
        experiment,
        file: source.file,
        text: source.text,
        task,
        key: runKey(source, task.set, task.seed),
        ...(options.swarm === undefined ? {} : { swarm: options.swarm }),
      };
      return new Promise<RunResult>((resolve, reject) => {
        const entry = { task, data, resolve, reject };
        awaited.set(id, entry);
        // A job finished before this coordinator listened (enqueued by an earlier one) is found
        // by look(), at once rather than at the watchdog's next round.
        add(id, data)
          .then(() => look(id, entry))
          .catch(() => {}); // Redis away: the watchdog adds it again once it is back
      });
    },
    async close() {
      clearInterval(watchdog);
      // Jobs no longer awaited (a swarm stopped at --max-violations, an experiment that failed)
      // leave the queue unless a worker holds them already, so no worker runs them for nobody.
      // Bounded: a Redis away at that moment must not hold the close.
      if (lost === null && awaited.size > 0)
        await Promise.race([
          Promise.allSettled([...awaited.keys()].map((id) => queue.remove(id))),
          new Promise((resolve) => setTimeout(resolve, 2000).unref()),
        ]);
      failAll(new Error("the experiment was closed"));
      await Promise.allSettled([events.close(), queue.close()]);
    },
    perWorker: () => tally,
    lost: () => lost,
  };
}

const RECONNECT_LABEL = `about a minute (${RECONNECT_ATTEMPTS} attempts, back-off 0.2 s doubling to 5 s)`;
