// The experiment engine: runs that throw are reported with their point and seed while the others
// finish; sequential replication adds seeds in waves until the watched figures are precise; the
// pool reports progress across its workers; the output never depends on how runs are executed.
import { describe, expect, it } from "vitest";
import { compare } from "../../src/experiment/compare.ts";
import {
  type ExperimentProgress,
  ExperimentRunError,
  longestFirst,
} from "../../src/experiment/engine.ts";
import { type Executor, inlineExecutor } from "../../src/experiment/executor.ts";
import { sweep } from "../../src/experiment/sweep.ts";
import { mm1File } from "./helpers.ts";

const file = mm1File(0.5, 1100, 100);
const rates = { path: ["load", 0, "rate"], values: [0.3, 0.6] };

describe("a run that throws", () => {
  it("is reported with its point and seed, after every other run finished", async () => {
    const finished: number[] = [];
    const failing = (source: Parameters<typeof inlineExecutor>[0]): Executor => {
      const inner = inlineExecutor(source);
      return {
        async run(task) {
          if (task.seed === 8 && task.label.endsWith("=0.6")) throw new Error("boom");
          const result = await inner.run(task);
          finished.push(task.index);
          return result;
        },
        close: () => inner.close(),
      };
    };
    const error = await sweep(file, { vary: [rates], seeds: 3, workers: failing }).catch((e) => e);
    expect(error).toBeInstanceOf(ExperimentRunError);
    expect(error.failures).toHaveLength(1);
    expect(error.failures[0]).toMatchObject({ label: "point load[0].rate=0.6", seed: 8 });
    expect(error.failures[0].message).toMatch(/boom/);
    expect(finished.sort()).toEqual([0, 1, 2, 3, 5]);
  });
});

describe("sequential replication", () => {
  it("stops each point once its mean and p99 are within the precision, after the minimum seeds", async () => {
    const result = await sweep(file, { vary: [rates], precision: 0.2, workers: "inline" });
    for (const point of result.points) {
      expect(point.seeds).toBeGreaterThanOrEqual(5);
      expect(point.precision).toMatchObject({ target: 0.2, reached: true });
      const l = point.loads.customers.latencyMs;
      for (const [value, ci] of [
        [l.mean, l.meanCi95],
        [l.p99, l.p99Ci95],
      ] as const)
        expect((ci![1] - ci![0]) / 2).toBeLessThanOrEqual(0.2 * value * (1 + 1e-5));
    }
    // Each point stops on its own: measured 15 seeds at λ 0.3 (its p99 is the noisier relative to
    // its value over 1000 s runs) and 6 at λ 0.6.
    expect(result.points.map((p) => p.seeds)).toEqual([15, 6]);
  });

  it("gives the same seeds and bytes on the pool as inline (the rule sees results only)", async () => {
    const options = { vary: [rates], precision: 0.2, maxSeeds: 12 };
    const inline = JSON.stringify(await sweep(file, { ...options, workers: "inline" }));
    expect(JSON.stringify(await sweep(file, { ...options, workers: 2 }))).toBe(inline);
  });

  it("keeps a comparison's variants on the same seeds, so every difference stays paired", async () => {
    const c = await compare(file, {
      variants: [
        { name: "calm", set: [{ path: ["load", 0, "rate"], value: 0.3 }] },
        { name: "busy", set: [{ path: ["load", 0, "rate"], value: 0.6 }] },
      ],
      precision: 0.2,
      workers: "inline",
    });
    expect(c.variants[0].results.length).toBe(c.seeds.length);
    expect(c.variants[1].results.length).toBe(c.seeds.length);
    expect(c.variants[1].diff!.seeds).toBe(c.seeds.length);
  });
});

describe("the order runs start in", () => {
  it("is costliest first, ties in run order (the LPT rule)", () => {
    expect(longestFirst([5, 9, 5, 1, 9])).toEqual([1, 4, 0, 2, 3]);
    expect(longestFirst([])).toEqual([]);
  });

  it("hands a sweep's busiest point to the executor first, and answers in run order all the same", async () => {
    const started: number[] = [];
    const recording = (source: Parameters<typeof inlineExecutor>[0]): Executor => {
      const inner = inlineExecutor(source);
      return {
        run(task) {
          started.push(task.index);
          return inner.run(task);
        },
        close: () => inner.close(),
      };
    };
    const options = { vary: [rates], seeds: 2 };
    const recorded = await sweep(file, { ...options, workers: recording });
    // Rate 0.6 (runs 2 and 3) offers twice the requests of rate 0.3 (runs 0 and 1).
    expect(started).toEqual([2, 3, 0, 1]);
    const plain = await sweep(file, { ...options, workers: "inline" });
    expect(JSON.stringify(recorded)).toBe(JSON.stringify(plain));
  });
});

describe("progress across the pool", () => {
  it("counts runs done up to the total, and never changes the result", async () => {
    const seen: ExperimentProgress[] = [];
    const watched = await sweep(file, {
      vary: [rates],
      seeds: 2,
      workers: 2,
      onProgress: (p) => seen.push(p),
    });
    expect(seen.at(-1)).toMatchObject({ done: 4, total: 4, fraction: 1 });
    for (let i = 1; i < seen.length; i++)
      expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
    expect(seen.at(-1)!.plannedSimulatedMs).toBe(4 * 1_100_000);
    const quiet = await sweep(file, { vary: [rates], seeds: 2, workers: "inline" });
    expect(JSON.stringify(watched)).toBe(JSON.stringify(quiet));
  });
});
