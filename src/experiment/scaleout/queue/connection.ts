// Where the queue lives: `redis://[user:password@]HOST:PORT[/DB]` (or rediss:// for TLS) turned
// into ioredis options, and a reachability check made before anything is enqueued or written, so
// an unreachable Redis is a clear error within seconds, never a hang (ioredis would otherwise
// retry forever). The run queue's name and the job's shape, shared by coordinator and workers.
import { Redis, type RedisOptions } from "ioredis";
import { ScenarioError } from "../../../scenario/errors.ts";
import type { RunTask } from "../../executor.ts";

/** BullMQ queue name (BullMQ refuses ':' in queue names and in custom job ids). */
export const QUEUE_NAME = "meshsim-runs";

/** One run as a job: everything a worker needs, so any meshsim of the same version can run it. */
export interface RunJob {
  meshsim: string;
  experiment: string;
  file: string;
  text: string;
  task: RunTask;
  /** The run's key (runStore.ts): the coordinator checks the worker computed the same. */
  key: string;
  /**
   * Set on a swarm seed's job (job name "swarm", `meshsim swarm --queue`): the source's overrides
   * and the swarm's options, plain data that meshsim/testing's processor rebuilds the seeds from;
   * `task.seed` is the seed. Absent on an experiment's run.
   */
  swarm?: SwarmJob;
}

/** A swarm seed's setup, opaque here (meshsim/testing's swarmWorker.ts WorkerSetup, less the text). */
export interface SwarmJob {
  overrides: unknown[];
  options: Record<string, unknown>;
}

/** A job's return value. */
export interface RunReturn {
  key: string;
  worker: string;
  result: unknown;
}

/** Bad --queue or worker URL: a message for the user. */
export class QueueUrlError extends Error {
  override readonly name = "QueueUrlError";
}

/** Redis cannot be reached, or was lost for longer than the retry limit: an environment failure. */
export class QueueUnavailable extends Error {
  override readonly name = "QueueUnavailable";
}

export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueUrlError(`expected redis://HOST:PORT[/DB], got "${url}"`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    throw new QueueUrlError(`expected a redis:// or rediss:// URL, got "${url}"`);
  if (parsed.hostname === "") throw new QueueUrlError(`the URL names no host: "${url}"`);
  const db = parsed.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db))
    throw new QueueUrlError(`the database after the port must be a number, got "/${db}"`);
  const port = parsed.port === "" ? 6379 : Number(parsed.port);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port,
    db: db === "" ? 0 : Number(db),
    username: parsed.username === "" ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === "" ? undefined : decodeURIComponent(parsed.password),
    tls: parsed.protocol === "rediss:" ? {} : undefined,
  };
}

/** Connects once, without retrying, and PINGs; rejects with QueueUnavailable within `timeoutMs`. */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let cause: Error | null = null;
  client.on("error", (error: Error) => {
    cause ??= error; // the socket's own error (ECONNREFUSED ...), clearer than connect()'s
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const why = (cause ?? (error as Error)).message;
    throw new QueueUnavailable(`cannot reach Redis at ${url}: ${why}`);
  } finally {
    // After a failed connect the client has ended; disconnect() would hold the process ~2 s.
    if (client.status !== "end") client.disconnect();
  }
}

/** checkRedis for a command line: a bad URL is bad input (ScenarioError, exit 2). */
export async function checkQueueUrl(url: string): Promise<void> {
  try {
    await checkRedis(url);
  } catch (error) {
    if (error instanceof QueueUrlError)
      throw new ScenarioError([
        { file: url, line: null, column: null, path: "", message: error.message },
      ]);
    throw error;
  }
}

/** Reconnection attempts in a row before the coordinator gives up on a lost Redis. */
export const RECONNECT_ATTEMPTS = 16;

/**
 * ioredis reconnection with back-off: 0.2 s doubling to 5 s between attempts, so the 16 attempts
 * in a row span about a minute (61 s) before `onGiveUp` is told and ioredis stops. Counted in
 * attempts, not read off a clock; ioredis starts the count again after a successful connect.
 */
export function boundedRetry(
  onGiveUp: () => void,
  attempts = RECONNECT_ATTEMPTS,
): (times: number) => number | null {
  return (times) => {
    if (times > attempts) {
      onGiveUp();
      return null;
    }
    return Math.min(200 * 2 ** (times - 1), 5000);
  };
}
