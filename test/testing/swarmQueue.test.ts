// The swarm through the work queue (`meshsim swarm --queue`): seeds handed out and answered in any
// order are added to the report in seed order, with the one-thread stop at --max-violations; and,
// against a real redis-server (started here on a free loopback port), the queued swarm gives the
// local swarm's bytes (report, shrunk minimal case, its replay file) with one `meshsim worker`,
// and with three of which the one running the shrinking seed is killed (SIGKILL) mid-run, its job
// run again by another. A wall-clock budget, or --shard, with --queue is refused (exit 2).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fromFile } from "../../src/testing/source.ts";
import { type SeedResult, type SwarmOptions, swarm } from "../../src/testing/swarm.ts";
import { swarmOrdered } from "../../src/testing/swarmQueue.ts";
import { tree } from "../experiment/scaleout/files.ts";
import { type RedisServer, redisMissing, redisServer } from "../experiment/scaleout/redis.ts";
import { meshsim, root } from "../helpers/cli.ts";
import { Background, coordinate, type Running, until } from "../helpers/processes.ts";

const fixed = join(root, "scenarios/fragile-checkout-fixed.yaml");
const fragile = join(root, "scenarios/fragile-checkout.yaml");

describe("a swarm whose seeds are answered out of order", () => {
  const options: SwarmOptions = { seeds: 4, kinds: ["pod-kill"], maxFaults: 1, maxInstances: 1 };
  /** Seed s's result as a made-up SeedResult: a violation on the seeds in `broken`. */
  const made = (seed: number, broken: number[]): SeedResult => ({
    outcome: {
      seed,
      kinds: ["pod-kill"],
      faults: 1,
      reached: seed % 2 ? ["breaker-open"] : [],
      violation: null,
    },
    minimal: broken.includes(seed)
      ? ({ seed, invariant: "thresholds" } as SeedResult["minimal"])
      : null,
    determinismChecked: seed === 0,
    mismatch: false,
  });
  /** Answers each seed after a delay that makes later seeds come back first. */
  const reversed = (broken: number[], asked: number[]) => (seed: number) => {
    asked.push(seed);
    return new Promise<SeedResult>((resolve) =>
      setTimeout(() => resolve(made(seed, broken)), (10 - seed) * 5),
    );
  };

  it("adds them up in seed order, as one thread does", async () => {
    const asked: number[] = [];
    const report = await swarmOrdered(fromFile(fixed), options, reversed([1, 3], asked), 4);
    expect(asked).toEqual([0, 1, 2, 3]);
    expect(report.seeds).toBe(4);
    expect(report.violations.map((v) => v.seed)).toEqual([1, 3]);
    expect(report.coverage["breaker-open"]).toBe(2);
    expect(report.determinism.checked).toBe(1);
  });

  it("stops at --max-violations where one thread stops, and hands out at most the window", async () => {
    const asked: number[] = [];
    const report = await swarmOrdered(
      fromFile(fixed),
      { ...options, seeds: 10, maxViolations: 1 },
      reversed([2, 3], asked),
      2,
    );
    expect(report.seeds).toBe(3);
    expect(report.violations.map((v) => v.seed)).toEqual([2]);
    expect(asked.length).toBeLessThanOrEqual(5);
  });

  it("gives what the one-thread swarm gives, run for real", async () => {
    const source = fromFile(fixed);
    const local = swarm(source, { ...options, seeds: 2 });
    const seeds = new (await import("../../src/testing/swarm.ts")).SwarmSeeds(source, options);
    const queued = await swarmOrdered(source, { ...options, seeds: 2 }, async (s) => seeds.run(s));
    expect(JSON.stringify(queued)).toBe(JSON.stringify(local));
  });
});

// 3 seeds of the fragile checkout, pod kills only: seed 0 breaks its error threshold and is
// shrunk (most of the swarm's CPU, about 10 s here), seeds 1 and 2 do not (test/cli/swarm.test.ts).
const swarmArgs = [
  "swarm",
  fragile,
  "--seeds",
  "3",
  "--faults",
  "pod-kill",
  "--max-faults",
  "2",
  "--max-instances",
  "1",
  "--determinism-every",
  "2",
  "--json",
];
/** BullMQ's lock, renewed every 1 s; a dead worker's job is found stalled within about 2-4 s. */
const LOCK_MS = "2000";

const background = new Background();
const worker = (url: string): Running => background.worker(url, LOCK_MS);
/** Waits up to 2 minutes: the shrinking seed is most of the swarm's CPU. */
const SWARM_WAIT_MS = 120_000;

describe("meshsim swarm --queue: bad flags", () => {
  it("refuses --time-budget, since which seeds run would depend on timing (exit 2)", () => {
    const r = meshsim(...swarmArgs, "--queue", "redis://127.0.0.1:1", "--time-budget", "1m");
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("option '--time-budget <d>' argument '1m' is invalid");
    expect(r.stderr).toContain("give --seeds instead");
  });

  it("refuses --shard with --queue (exit 2)", () => {
    const out = mkdtempSync(join(tmpdir(), "meshsim-swarm-queue-"));
    const r = meshsim(
      ...swarmArgs,
      "--queue",
      "redis://127.0.0.1:1",
      "--shard",
      "1/2",
      "--out",
      out,
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("--shard and --queue do not go together");
  });
});

describe.skipIf(redisMissing !== null)(
  `meshsim swarm --queue${redisMissing === null ? "" : ` (skipped: ${redisMissing})`}`,
  () => {
    let redis: RedisServer;
    let database = 0;
    const url = () => `${redis.url}/${++database}`;
    /** One --out folder for every run, emptied in between, so stdout names the same files. */
    const out = join(mkdtempSync(join(tmpdir(), "meshsim-swarm-queue-")), "cases");
    let reference: { stdout: string; files: Record<string, string> };

    beforeAll(async () => {
      redis = await redisServer();
      await redis.start();
      const local = meshsim(...swarmArgs, "--out", out);
      expect(local.code, local.stderr).toBe(3);
      reference = { stdout: local.stdout, files: tree(out) };
      expect(Object.keys(reference.files)).toEqual(["fragile-checkout-seed0-thresholds.yaml"]);
    }, 180_000);

    afterEach(() => background.stopAll());
    afterAll(async () => {
      await background.stopAll();
      await redis?.stop();
    });

    async function queued(queue: string, extra: () => void = () => {}) {
      rmSync(out, { recursive: true, force: true });
      const run = coordinate([...swarmArgs, "--queue", queue, "--out", out]);
      extra();
      const result = await run;
      expect(result.status, result.stderr).toBe(3);
      return result;
    }

    it("gives the local swarm's report and minimal case with one worker", {
      timeout: 180_000,
    }, async () => {
      const queue = url();
      worker(queue);
      const result = await queued(queue);
      expect(result.stdout).toBe(reference.stdout);
      expect(tree(out)).toEqual(reference.files);
      expect(result.stderr).toMatch(/seeds per worker: \S+ 3\n/);
    });

    it("gives the local bytes when one of three workers is killed in the middle of the shrinking seed, its job run again by another", {
      timeout: 240_000,
    }, async () => {
      const queue = url();
      const workers = [worker(queue), worker(queue), worker(queue)];
      const shrinking = /started job (\S+-0) \(swarm seed 0\)/;
      let victim: Running | null = null;
      let job = "";
      const result = await queued(queue, () => {
        until(
          "a worker to start seed 0",
          () => workers.some((w) => shrinking.test(w.log())),
          SWARM_WAIT_MS,
        ).then(() => {
          victim = workers.find((w) => shrinking.test(w.log()))!;
          job = shrinking.exec(victim.log())![1];
          victim.child.kill("SIGKILL");
        });
      });
      expect(result.stdout).toBe(reference.stdout);
      expect(tree(out)).toEqual(reference.files);
      const killed = victim as unknown as Running;
      expect(killed.log()).not.toContain(`finished job ${job} `);
      const others = workers.filter((w) => w !== killed).map((w) => w.log());
      expect(others.join("")).toContain(`finished job ${job} `);
    });
  },
);
