// When a config push reaches each proxy (src/control/config/propagation.ts): at + debounce + the
// start of its stage + its own delay, with stages of ⌈percent × proxies / 100⌉ proxies chosen by a
// seeded shuffle.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  deliveryTimes,
  stageOfProxies,
  stageStarts,
} from "../../../src/control/config/propagation.ts";
import type { RolloutStage } from "../../../src/control/spec.ts";
import { constant, exponential, uniform } from "../../../src/kernel/distributions.ts";
import { RandomStreams, type Rng } from "../../../src/kernel/random.ts";

function rngs(count: number, seed = 1): Rng[] {
  const streams = new RandomStreams(seed);
  return Array.from({ length: count }, (_, i) => streams.get(`config/proxy-${i}/propagation`));
}

function counts(stageOf: Int32Array, stages: number): number[] {
  const out = new Array<number>(stages).fill(0);
  for (const s of stageOf) out[s]++;
  return out;
}

describe("rollout stages", () => {
  it("give each stage ⌈percent × n / 100⌉ proxies in all, rounding up", () => {
    const stages: RolloutStage[] = [
      { percent: 10, afterMs: 0 },
      { percent: 50, afterMs: 1000 },
      { percent: 100, afterMs: 1000 },
    ];
    const rng = new RandomStreams(7).get("config/push/rollout");
    expect(counts(stageOfProxies(stages, 10, rng), 3)).toEqual([1, 4, 5]);
    expect(counts(stageOfProxies(stages, 4, new RandomStreams(7).get("r")), 3)).toEqual([1, 1, 2]);
    expect(counts(stageOfProxies(stages, 23, new RandomStreams(7).get("r")), 3)).toEqual([
      3, 9, 11,
    ]);
  });

  it("put every proxy in the one stage of an unstaged push", () => {
    expect([...stageOfProxies([{ percent: 100, afterMs: 0 }], 5, null)]).toEqual([0, 0, 0, 0, 0]);
  });

  it("pick the same proxies for the same seed and (almost always) others for another", () => {
    const stages: RolloutStage[] = [
      { percent: 30, afterMs: 0 },
      { percent: 100, afterMs: 0 },
    ];
    const pick = (seed: number) => [
      ...stageOfProxies(stages, 20, new RandomStreams(seed).get("config/x/rollout")),
    ];
    expect(pick(3)).toEqual(pick(3));
    const distinct = new Set([1, 2, 3, 4, 5].map((seed) => pick(seed).join(",")));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it("start one after the other: each stage's start is the sum of the `after`s so far", () => {
    expect(
      stageStarts([
        { percent: 10, afterMs: 5 },
        { percent: 60, afterMs: 1000 },
        { percent: 100, afterMs: 30_000 },
      ]),
    ).toEqual([5, 1005, 31_005]);
  });

  it("cover every proxy once whatever the percents (property)", () => {
    const stagesArb = fc
      .uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 4 })
      .map((ps) =>
        [...ps.sort((a, b) => a - b), 100].map(
          (percent): RolloutStage => ({ percent, afterMs: 0 }),
        ),
      );
    fc.assert(
      fc.property(
        stagesArb,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 1000 }),
        (stages, n, seed) => {
          const stageOf = stageOfProxies(stages, n, new RandomStreams(seed).get("r"));
          const perStage = counts(stageOf, stages.length);
          let cumulative = 0;
          stages.forEach((stage, k) => {
            cumulative += perStage[k];
            expect(cumulative).toBe(Math.min(n, Math.ceil((stage.percent * n) / 100)));
          });
          expect(cumulative).toBe(n);
        },
      ),
    );
  });
});

describe("delivery times", () => {
  it("are exactly at + debounce + stage start + delay with a constant delay", () => {
    const push = {
      atMs: 120_000,
      debounceMs: 100,
      rollout: [
        { percent: 50, afterMs: 0 },
        { percent: 100, afterMs: 60_000 },
      ],
      delay: constant(250),
    };
    const times = deliveryTimes(push, rngs(6), new RandomStreams(1).get("config/p/rollout"));
    const sorted = [...times].sort((a, b) => a - b);
    expect(sorted).toEqual([120_350, 120_350, 120_350, 180_350, 180_350, 180_350]);
  });

  it("with a random delay fall within the delay's range after the stage start, and differ between proxies", () => {
    const push = {
      atMs: 10_000,
      debounceMs: 100,
      rollout: [{ percent: 100, afterMs: 0 }],
      delay: uniform(0, 500),
    };
    const times = deliveryTimes(push, rngs(40), null);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(10_100);
      expect(t).toBeLessThan(10_600);
    }
    expect(new Set(times).size).toBe(40);
  });

  it("average debounce + the delay's mean over many proxies (exp(300ms): 2,000 proxies within 5%)", () => {
    const push = {
      atMs: 0,
      debounceMs: 100,
      rollout: [{ percent: 100, afterMs: 0 }],
      delay: exponential(300),
    };
    const times = deliveryTimes(push, rngs(2000, 11), null);
    const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
    // Standard error 300 / √2000 ≈ 6.7 ms; 5% of 300 ms is over 2 standard errors.
    expect(Math.abs(mean - 400)).toBeLessThan(15);
  });

  it("draw one delay per proxy whatever the stages, so later pushes see the same draws", () => {
    const staged = {
      atMs: 0,
      debounceMs: 0,
      rollout: [
        { percent: 20, afterMs: 0 },
        { percent: 100, afterMs: 1000 },
      ],
      delay: uniform(0, 10),
    };
    const flat = { ...staged, rollout: [{ percent: 100, afterMs: 0 }] };
    const a = rngs(10, 5);
    const b = rngs(10, 5);
    deliveryTimes(staged, a, new RandomStreams(5).get("r"));
    deliveryTimes(flat, b, null);
    expect(a.map((r) => r.next())).toEqual(b.map((r) => r.next()));
  });
});
