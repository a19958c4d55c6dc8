// report.md's "Pods, rollouts and autoscaling": absent without a recovery section; with one, the
// pods per service, every change, each rollout's surge and unavailability as seen in the pod
// counts, and the HPA's syncs folded into runs with the same outcome, all from the result.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import {
  hpaRuns,
  MAX_POD_CHANGES,
  recoveryMarkdown,
  rolloutBounds,
  settledCounts,
} from "../../src/report/sections/recovery.ts";
import type { HpaDecision, RecoveryResult } from "../../src/result/recovery.ts";
import type { RunResult } from "../../src/result/run.ts";
import { fixtureRecovery } from "./controlPlaneFixtures.ts";
import { fixtureResult } from "./reportFixtures.ts";

const withRecovery = (recovery: RecoveryResult | null): RunResult => ({
  ...fixtureResult(),
  recovery,
});

describe("the recovery section of report.md", () => {
  it("is left out when the result has no recovery, records nothing, or predates it", () => {
    expect(renderMarkdown(withRecovery(null))).not.toContain("## Pods, rollouts and autoscaling");
    expect(recoveryMarkdown(withRecovery({ pods: {}, autoscaling: {}, rollouts: [] }))).toEqual([]);
    const old = fixtureResult() as unknown as Record<string, unknown>;
    delete old.recovery;
    expect(renderMarkdown(old as unknown as RunResult)).not.toContain("## Pods");
  });

  const md = renderMarkdown(withRecovery(fixtureRecovery()));

  it("sums up each service's pods: fewest and most ready and when, most starting and draining, the end", () => {
    expect(md).toContain("## Pods, rollouts and autoscaling");
    expect(md).toContain("| order | 6 | 4 | 3 at 10 s | 4 at 0 s | 2 | 2 | 4 / 0 / 0 |");
    expect(md).toContain("| payment | 2 | 2 | 2 at 0 s | 4 at 25 s | 2 | 0 | 4 / 0 / 0 |");
  });

  it("lists each instant's pods once, after every change at that instant", () => {
    expect(md).toContain("| order | 10 | 3 | 2 | 1 |");
    expect(md).not.toContain("| order | 10 | 4 | 1 | 0 |");
    expect(md).toContain("| order | 31 | 4 | 0 | 0 |");
  });

  it("gives each rollout its time, its duration and the surge and unavailability it caused", () => {
    expect(md).toContain("| order-v2 | order | v1 → v2 | 10 | 30 | 20 | 4 | 1 / 1 | 1 / 1 | 3 |");
    const unfinished = fixtureRecovery();
    unfinished.rollouts[0].finishedAtMs = null;
    expect(renderMarkdown(withRecovery(unfinished))).toContain(
      "| order-v2 | order | v1 → v2 | 10 | not finished | 30+ | 4 | 1 / 1 | 1 / 1 | 3 |",
    );
  });

  it("folds the HPA's syncs with the same outcome, giving the ranges of metric, recommendation and stabilised count", () => {
    expect(md).toContain(
      "| payment | 5–10 | 2 | 2 → 2 | 50–52 | 2 | 2 | WithinTolerance (within the tolerance: no change) |",
    );
    expect(md).toContain(
      "| payment | 15 | 1 | 2 → 4 | 160 | 4 | 4 | DesiredWithinRange (the recommendation) |",
    );
    expect(md).toContain(
      "| payment | 20–30 | 3 | 4 → 4 | 20–35 | 1–2 | 4 | ScaleDownStabilized (held by the scale-down stabilisation window) |",
    );
  });

  it("lists at most MAX_POD_CHANGES changes per service and says how many it left out", () => {
    const many = Array.from({ length: MAX_POD_CHANGES + 11 }, (_, i) => ({
      atMs: i * 1000,
      starting: i % 2,
      ready: 2,
      draining: 0,
    }));
    const text = recoveryMarkdown(
      withRecovery({ pods: { cart: many }, autoscaling: {}, rollouts: [] }),
    ).join("\n");
    expect(text.match(/^\| cart \| \d+ \| 2 \| [01] \| 0 \|$/gm)).toHaveLength(MAX_POD_CHANGES);
    expect(text).toContain(
      `10 later changes are left out (the first ${MAX_POD_CHANGES} per service are listed)`,
    );
  });
});

describe("a rollout's bounds", () => {
  const pods = fixtureRecovery().pods.order;

  it("count desired as the replicas just before it began, draining pods excluded", () => {
    const bounds = rolloutBounds(
      {
        name: "r",
        service: "order",
        fromVersions: ["v1"],
        toVersion: "v2",
        startedAtMs: 10_000,
        finishedAtMs: 30_000,
        desired: 4,
        maxSurge: 1,
        maxUnavailable: 1,
      },
      pods,
      40_000,
    );
    expect(bounds).toEqual({ desired: 4, surge: 1, unavailable: 1, minReady: 3 });
  });

  it("ignore what happened before it began and after it finished", () => {
    const before = [{ atMs: 0, starting: 3, ready: 1, draining: 0 }, ...pods.slice(1)];
    const late = rolloutBounds(
      {
        name: "r",
        service: "order",
        fromVersions: ["v1"],
        toVersion: "v2",
        startedAtMs: 31_000,
        finishedAtMs: 31_000,
        desired: 4,
        maxSurge: 1,
        maxUnavailable: 1,
      },
      before,
      40_000,
    );
    expect(late).toEqual({ desired: 4, surge: 0, unavailable: 0, minReady: 4 });
  });
});

const reasons: HpaDecision["reason"][] = [
  "WithinTolerance",
  "DesiredWithinRange",
  "ScaleDownStabilized",
  "TooFewReplicas",
];
const decisionArb = fc.record({
  currentReplicas: fc.integer({ min: 1, max: 3 }),
  desired: fc.integer({ min: 1, max: 3 }),
  reason: fc.constantFrom(...reasons),
  metric: fc.option(fc.integer({ min: 0, max: 200 })),
});

describe("the HPA's runs", () => {
  it("hold every sync exactly once, in order, each in a run of its own outcome whose ranges contain its figures", () => {
    fc.assert(
      fc.property(fc.array(decisionArb, { maxLength: 40 }), (raw) => {
        const decisions: HpaDecision[] = raw.map((d, i) => ({
          ...d,
          atMs: (i + 1) * 15_000,
          recommended: d.desired,
          stabilized: d.desired,
        }));
        const runs = hpaRuns({ pods: {}, autoscaling: { payment: decisions }, rollouts: [] });
        expect(runs.reduce((n, r) => n + r.syncs, 0)).toBe(decisions.length);
        let next = 0;
        runs.forEach((run, k) => {
          if (k > 0) {
            const prev = runs[k - 1];
            expect([prev.current, prev.desired, prev.reason]).not.toEqual([
              run.current,
              run.desired,
              run.reason,
            ]);
          }
          const own = decisions.slice(next, next + run.syncs);
          next += run.syncs;
          expect(run.fromMs).toBe(own[0].atMs);
          expect(run.toMs).toBe(own[own.length - 1].atMs);
          for (const d of own) {
            expect([d.currentReplicas, d.desired, d.reason]).toEqual([
              run.current,
              run.desired,
              run.reason,
            ]);
            if (d.metric !== null)
              expect(d.metric >= run.metric![0] && d.metric <= run.metric![1]).toBe(true);
          }
          const metrics = own.map((d) => d.metric).filter((m): m is number => m !== null);
          expect(run.metric).toEqual(
            metrics.length === 0 ? null : [Math.min(...metrics), Math.max(...metrics)],
          );
        });
      }),
    );
  });
});

describe("settled counts", () => {
  it("keep the last entry of each instant and every instant in order", () => {
    expect(settledCounts(fixtureRecovery().pods.order).map((c) => c.atMs)).toEqual([
      0, 10_000, 11_000, 20_000, 21_000, 30_000, 31_000,
    ]);
  });
});
