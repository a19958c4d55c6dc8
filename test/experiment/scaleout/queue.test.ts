// The work queue against a real redis-server (started here on a free loopback port, stopped after):
// a sweep through the queue gives the local run's bytes with 1 and 3 `meshsim worker` processes,
// also when one of 3 is killed (SIGKILL) in the middle of a run (BullMQ finds the job stalled and
// another worker runs it) and when Redis is stopped and started again mid-experiment. Redis gone
// for longer than the reconnection limit fails the experiment clearly with the finished runs kept
// for a resume; a job whose scenario fails validation on the worker is reported, run once only. A
// capacity search sends each wave through the queue once the last is back, with the local bytes.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExperimentRunError } from "../../../src/experiment/engine.ts";
import { meshsimVersion } from "../../../src/experiment/scaleout/definition.ts";
import { QUEUE_NAME, redisOptions } from "../../../src/experiment/scaleout/queue/connection.ts";
import { queueExecutor } from "../../../src/experiment/scaleout/queue/coordinator.ts";
import { type SweepOptions, sweep } from "../../../src/experiment/sweep.ts";
import { Background, coordinate, type Running, until } from "../../helpers/processes.ts";
import { file as capacityFile, station } from "../capacity/scenarios.ts";
import { meshsim, mm1File } from "../helpers.ts";
import { tree } from "./files.ts";
import { type RedisServer, redisMissing, redisServer } from "./redis.ts";

// 2 points × 3 seeds of M/M/1 over 400 000 s (about 200 000 requests, 1 s of CPU a run on this
// machine): long enough that a worker killed after it started a run dies in the middle of it.
const file = mm1File(0.5, 400_000, 20);
const sweepArgs = ["sweep", file, "--vary", "load[0].rate=0.3,0.7", "--seeds", "3"];
/** BullMQ's lock, renewed every 1 s; a dead worker's job is found stalled within about 2-4 s. */
const LOCK_MS = "2000";
const folder = () => mkdtempSync(join(tmpdir(), "meshsim-queue-"));

const background = new Background();
const worker = (url: string): Running => background.worker(url, LOCK_MS);

describe.skipIf(redisMissing !== null)(
  `a sweep through the queue${redisMissing === null ? "" : ` (skipped: ${redisMissing})`}`,
  () => {
    let redis: RedisServer;
    let database = 0;
    /** A Redis database of its own for each test, so no test sees another's jobs. */
    const url = () => `${redis.url}/${++database}`;
    let reference: { stdout: string; files: Record<string, string> };

    beforeAll(async () => {
      redis = await redisServer();
      await redis.start();
      const out = folder();
      const local = meshsim(
        ...sweepArgs,
        "--workers",
        "1",
        "--out",
        out,
        "--json",
        "--no-progress",
      );
      expect(local.status, local.stderr).toBe(0);
      reference = { stdout: local.stdout, files: tree(out) };
    }, 120_000);

    afterEach(() => background.stopAll());
    afterAll(async () => {
      await background.stopAll();
      await redis?.stop();
    });

    async function queued(queue: string, extra: () => void = () => {}) {
      const out = folder();
      const run = coordinate([
        ...sweepArgs,
        "--queue",
        queue,
        "--out",
        out,
        "--json",
        "--no-progress",
      ]);
      extra();
      const result = await run;
      expect(result.status, result.stderr).toBe(0);
      return { ...result, out };
    }

    it("gives the local bytes with one worker", { timeout: 120_000 }, async () => {
      const queue = url();
      worker(queue);
      const result = await queued(queue);
      expect(result.stdout).toBe(reference.stdout);
      expect(tree(result.out)).toEqual(reference.files);
      expect(result.stderr).toMatch(/runs per worker: \S+ 6\n/);
    });

    it("gives the local bytes with three workers", { timeout: 120_000 }, async () => {
      const queue = url();
      for (let i = 0; i < 3; i++) worker(queue);
      const result = await queued(queue);
      expect(result.stdout).toBe(reference.stdout);
      expect(tree(result.out)).toEqual(reference.files);
    });

    it("gives the local bytes when one of three workers is killed in the middle of a run, its job run again by another", {
      timeout: 180_000,
    }, async () => {
      const queue = url();
      const workers = [worker(queue), worker(queue), worker(queue)];
      let victim: { job: string; worker: Running } | null = null;
      const result = await queued(queue, () => {
        until("a worker to start a run", () =>
          workers.some((w) => /started job (\S+)/.test(w.log())),
        ).then(() => {
          const w = workers.find((w) => /started job (\S+)/.test(w.log()))!;
          victim = { job: /started job (\S+)/.exec(w.log())![1], worker: w };
          w.child.kill("SIGKILL");
        });
      });
      expect(result.stdout).toBe(reference.stdout);
      expect(tree(result.out)).toEqual(reference.files);
      const killed = victim as unknown as { job: string; worker: Running };
      expect(killed.worker.log()).not.toContain(`finished job ${killed.job} `);
      const others = workers.filter((w) => w !== killed.worker).map((w) => w.log());
      expect(others.join("")).toContain(`finished job ${killed.job} `);
    });

    it("fails a job whose worker died more often than BullMQ's maxStalledCount allows, saying so", {
      timeout: 180_000,
    }, async () => {
      // One job; each of 4 workers that takes it is killed in the middle of the run. The next
      // worker's stalled-job check puts it back (stalls 1..3); the fourth stall marks it failed
      // (BullMQ 5 defers the failure), and the fifth worker fails it without running it.
      const queue = url();
      const run = coordinate([
        ...sweepArgs.slice(0, 3),
        "load[0].rate=0.5",
        "--seeds",
        "1",
        "--queue",
        queue,
        "--out",
        folder(),
        "--no-progress",
      ]);
      for (let killed = 0; killed < 4; killed++) {
        const w = worker(queue);
        await until("a worker to start the run", () => w.log().includes("started job"));
        w.child.kill("SIGKILL");
        await w.exited;
      }
      const last = worker(queue);
      const result = await run;
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toMatch(
        /point load\[0\]\.rate=0\.5 seed \d+: Error: failed on a worker: job stalled more than allowable limit/,
      );
      await until("the last worker's report", () => last.log().includes("failed job"));
      expect(last.log()).toMatch(/failed job \S+ \(.*\): job stalled more than allowable limit/);
      expect(last.log()).not.toContain("finished job");
    });

    it("gives the local bytes when Redis is stopped and started again mid-experiment", {
      timeout: 180_000,
    }, async () => {
      const queue = url();
      const workers = [worker(queue), worker(queue)];
      const result = await queued(queue, () => {
        until("a first run to finish", () => workers.some((w) => w.log().includes("finished job")))
          .then(() => redis.stop())
          .then(() => new Promise((resolve) => setTimeout(resolve, 2000)))
          .then(() => redis.start());
      });
      expect(result.stdout).toBe(reference.stdout);
      expect(tree(result.out)).toEqual(reference.files);
    });

    it("fails clearly when Redis stays away beyond the reconnection limit, the finished runs kept for a resume", {
      timeout: 180_000,
    }, async () => {
      const queue = url();
      const w = worker(queue);
      const out = folder();
      const options: SweepOptions = {
        vary: [{ path: ["load", 0, "rate"], values: [0.3, 0.7] }],
        seeds: 3,
        out,
      };
      const experiment = sweep(file, {
        ...options,
        // 3 attempts: 0.2 + 0.4 + 0.8 s of back-off, where the command line allows a minute.
        workers: (source) =>
          queueExecutor(queue, source, "lost-redis", meshsimVersion(), { reconnectAttempts: 3 }),
      });
      const failure = experiment.then(
        () => null,
        (error: unknown) => error,
      );
      await until("two runs to finish", () => (w.log().match(/finished job/g) ?? []).length >= 2);
      await redis.stop();
      const error = await failure;
      await redis.start();
      expect(error).toBeInstanceOf(ExperimentRunError);
      expect((error as Error).message).toMatch(
        /lost Redis at redis:\/\/127\.0\.0\.1:\d+\/\d+: no connection after 3 attempts of reconnecting; the finished runs are kept/,
      );
      const kept = readdirSync(join(out, "runs")).filter((f) => f.endsWith(".json"));
      expect(kept.length).toBeGreaterThanOrEqual(1);
      expect(kept.length).toBeLessThan(6);
      await sweep(file, { ...options, workers: "inline" });
      expect(tree(out)).toEqual(reference.files);
    });

    it("runs a capacity search's waves through the queue with the local bytes", {
      timeout: 180_000,
    }, async () => {
      // 7 waves of M/M/c runs, each wave enqueued once the last is back (capacity.test.ts).
      const mmc = capacityFile(
        "mmc",
        station({ rate: 450, duration: "10s", threshold: "avg<11.8ms" }),
      );
      const args = ["capacity", mmc, "--vary", "services.server.concurrency=1..12", "--seeds", "3"];
      const localOut = folder();
      const local = meshsim(
        ...args,
        "--workers",
        "1",
        "--out",
        localOut,
        "--json",
        "--no-progress",
      );
      expect(local.status, local.stderr).toBe(0);
      const queue = url();
      worker(queue);
      worker(queue);
      const out = folder();
      const result = await coordinate([
        ...args,
        "--queue",
        queue,
        "--out",
        out,
        "--json",
        "--no-progress",
      ]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toBe(local.stdout);
      expect(tree(out)).toEqual(tree(localOut));
    });

    it("reports a job whose scenario fails validation on the worker, and runs it once only", {
      timeout: 120_000,
    }, async () => {
      const queue = url();
      const w = worker(queue);
      const broken = readFileSync(file, "utf8").replace("serviceTime: exp(1s)", "serviceTime: 1 s");
      const error = await sweep(file, {
        vary: [{ path: ["load", 0, "rate"], values: [0.3] }],
        seeds: 1,
        workers: (source) =>
          queueExecutor(queue, { file: source.file, text: broken }, "broken", meshsimVersion()),
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ExperimentRunError);
      expect((error as Error).message).toContain("failed on a worker");
      expect((error as Error).message).toContain("serviceTime");
      const jobs = new Queue(QUEUE_NAME, { connection: redisOptions(queue) });
      try {
        const job = await jobs.getJob("broken-0");
        expect(await job?.getState()).toBe("failed");
        expect(job?.attemptsMade).toBe(1);
      } finally {
        await jobs.close();
      }
      await until("the worker's report of the failure", () =>
        w.log().includes("failed job broken-0"),
      );
      expect(w.log().match(/started job broken-0/g)).toHaveLength(1);
    });
  },
);
