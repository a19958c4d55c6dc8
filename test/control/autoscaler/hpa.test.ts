// The HorizontalPodAutoscaler controller (src/control/autoscaler/hpa.ts) on scripted metrics: the
// exact replica count at every 15 s sync, with Kubernetes' defaults unless a test says otherwise.
// The driver applies each decision at once (the next sync sees it as the current count).
import { describe, expect, it } from "vitest";
import { HorizontalPodAutoscaler, observationOf } from "../../../src/control/autoscaler/hpa.ts";
import { hpaSpec } from "../../../src/control/autoscaler/hpaSpec.ts";
import type { HpaMetricSample } from "../../../src/control/autoscaler/replicaCalculator.ts";
import type { HpaDecision } from "../../../src/result/recovery.ts";
import { type HpaTestInput, k8s } from "../../helpers/hpa.ts";

const SYNC = 15_000;

/**
 * Runs one sync per 15 s from t = 0. `metricAt(replicas, sync)` gives the samples the controller sees
 * with `replicas` running; returns the desired count after each sync.
 */
function drive(
  input: HpaTestInput,
  initialReplicas: number,
  syncs: number,
  metricAt: (replicas: number, sync: number) => HpaMetricSample,
): { desired: number[]; decisions: readonly HpaDecision[] } {
  const hpa = new HorizontalPodAutoscaler(k8s(input));
  let replicas = initialReplicas;
  const desired: number[] = [];
  for (let i = 0; i < syncs; i++) {
    const decision = hpa.sync(i * SYNC, { currentReplicas: replicas, ...metricAt(replicas, i) });
    replicas = decision.desired;
    desired.push(replicas);
  }
  return { desired, decisions: hpa.decisions };
}

const utilization = (averageUtilization: number) => ({
  type: "Utilization" as const,
  averageUtilization,
});
/** Every ready pod at the same utilization. */
const allAt = (utilization: number) => (replicas: number) => ({
  readyPods: replicas,
  averageMetric: utilization,
});
/** A fixed total of work spread over the ready pods (utilization = total / replicas). */
const totalWork = (percentTotal: number) => (replicas: number) => ({
  readyPods: replicas,
  averageMetric: percentTotal / replicas,
});

describe("HPA defaults (autoscaling/v2)", () => {
  it("takes min 1, 80% CPU, 15 s sync, 10% tolerance, 300 s scale-down window and the default policies", () => {
    const spec = hpaSpec(k8s({ maxReplicas: 10 }));
    expect(spec.minReplicas).toBe(1);
    expect(spec.target).toEqual({ type: "Utilization", averageUtilization: 80 });
    expect(spec.syncPeriodMs).toBe(15_000);
    expect(spec.scaleUp).toEqual({
      stabilizationWindowMs: 0,
      selectPolicy: "Max",
      policies: [
        { type: "Pods", value: 4, periodMs: 15_000 },
        { type: "Percent", value: 100, periodMs: 15_000 },
      ],
      tolerance: 0.1,
    });
    expect(spec.scaleDown).toEqual({
      stabilizationWindowMs: 300_000,
      selectPolicy: "Max",
      policies: [{ type: "Percent", value: 100, periodMs: 15_000 }],
      tolerance: 0.1,
    });
  });

  it("merges a partly given rules object field by field with the defaults, as the API server does", () => {
    const spec = hpaSpec(k8s({ maxReplicas: 10, scaleDown: { stabilizationWindowMs: 60_000 } }));
    expect(spec.scaleDown.policies).toEqual([{ type: "Percent", value: 100, periodMs: 15_000 }]);
    expect(spec.scaleDown.stabilizationWindowMs).toBe(60_000);
  });

  it("refuses bad specs, naming the field", () => {
    expect(() => hpaSpec(k8s({ maxReplicas: 0 }))).toThrow(
      /maxReplicas must be an integer >= minReplicas \(1\)/,
    );
    expect(() => hpaSpec(k8s({ minReplicas: 0, maxReplicas: 3 }))).toThrow(
      /minReplicas must be an integer >= 1/,
    );
    expect(() =>
      hpaSpec(k8s({ maxReplicas: 3, target: { type: "Utilization", averageUtilization: 0 } })),
    ).toThrow(/target.averageUtilization must be a whole percentage >= 1/);
    expect(() => hpaSpec(k8s({ maxReplicas: 3, scaleUp: { policies: [] } }))).toThrow(
      /scaleUp.policies must hold at least one policy/,
    );
    expect(() =>
      hpaSpec(
        k8s({
          maxReplicas: 3,
          scaleDown: { policies: [{ type: "Pods", value: 1, periodMs: 1_800_001 }] },
        }),
      ),
    ).toThrow(/scaleDown.policies\[0\].periodMs must be whole ms in \[1, 1800000\]/);
    expect(() =>
      hpaSpec(k8s({ maxReplicas: 3, scaleDown: { stabilizationWindowMs: -1 } })),
    ).toThrow(/stabilizationWindowMs/);
    expect(() =>
      hpaSpec(k8s({ maxReplicas: 3, scaleUp: { selectPolicy: "Most" as "Max" } })),
    ).toThrow(/selectPolicy must be/);
  });
});

describe("HPA on scripted utilization", () => {
  it("holds at 108% of the target and scales at 115%: desired = ceil(current x ratio)", () => {
    // Target 100%. 108% is within the 10% tolerance; 115% gives ceil(2 x 1.15) = 3; then 3 pods at 100%.
    const script = [108, 108, 115, 100, 100];
    const { desired, decisions } = drive(
      { maxReplicas: 10, target: utilization(100) },
      2,
      5,
      (n, i) => allAt(script[i])(n),
    );
    expect(desired).toEqual([2, 2, 3, 3, 3]);
    expect(decisions.map((d) => d.reason)).toEqual([
      "WithinTolerance",
      "WithinTolerance",
      "DesiredWithinRange",
      "WithinTolerance",
      "WithinTolerance",
    ]);
    expect(decisions[2]).toEqual({
      atMs: 30_000,
      currentReplicas: 2,
      metric: 115,
      recommended: 3,
      stabilized: 3,
      desired: 3,
      reason: "DesiredWithinRange",
    });
  });

  it("does not scale down on a dip until 300 s after the last higher recommendation", () => {
    // 4 pods at the 50% target, then load halves from the second sync on: every recommendation is 2,
    // but the 4 recommended at t = 0 holds the count until the window (t - 300 s, t] no longer holds it.
    const { desired, decisions } = drive(
      { minReplicas: 1, maxReplicas: 10, target: utilization(50) },
      4,
      22,
      (n, i) => (i === 0 ? allAt(50)(n) : totalWork(100)(n)),
    );
    expect(desired).toEqual([4, ...new Array(19).fill(4), 2, 2]);
    expect(decisions[1]).toMatchObject({
      recommended: 2,
      stabilized: 4,
      desired: 4,
      reason: "ScaleDownStabilized",
    });
    expect(decisions[20]).toMatchObject({
      atMs: 300_000,
      recommended: 2,
      stabilized: 2,
      desired: 2,
    });
  });

  it("restarts the 300 s wait when one sync in the middle recommends the higher count again", () => {
    const { desired } = drive({ maxReplicas: 10, target: utilization(50) }, 4, 32, (n, i) =>
      i === 0 || i === 10 ? allAt(50)(n) : totalWork(100)(n),
    );
    // The last recommendation of 4 is at t = 150 s (sync 10): the first scale-down is at t = 450 s (sync 30).
    expect(desired.indexOf(2)).toBe(30);
    expect(desired.slice(0, 30).every((d) => d === 4)).toBe(true);
  });

  it("clamps to maxReplicas (TooManyReplicas) and minReplicas (TooFewReplicas)", () => {
    const up = drive({ maxReplicas: 5, target: utilization(50) }, 4, 2, allAt(200));
    expect(up.desired).toEqual([5, 5]);
    expect(up.decisions[0]).toMatchObject({
      recommended: 16,
      stabilized: 16,
      desired: 5,
      reason: "TooManyReplicas",
    });
    const down = drive(
      {
        minReplicas: 2,
        maxReplicas: 10,
        scaleDown: { stabilizationWindowMs: 0 },
        target: utilization(50),
      },
      4,
      2,
      allAt(1),
    );
    expect(down.desired).toEqual([2, 2]);
    expect(down.decisions[0]).toMatchObject({
      recommended: 1,
      desired: 2,
      reason: "TooFewReplicas",
    });
  });

  it("resets a count outside [min, max] without looking at metrics", () => {
    const hpa = new HorizontalPodAutoscaler(k8s({ minReplicas: 2, maxReplicas: 6 }));
    expect(hpa.sync(0, observationOf(9, [10, 10]))).toMatchObject({
      desired: 6,
      reason: "AboveMaxReplicas",
      recommended: null,
    });
    expect(hpa.sync(15_000, observationOf(1, [500]))).toMatchObject({
      desired: 2,
      reason: "BelowMinReplicas",
    });
    expect(hpa.sync(30_000, observationOf(0, []))).toMatchObject({
      desired: 0,
      reason: "ScalingDisabled",
    });
  });

  it("scales up at most max(+4 pods, +100%) per 15 s: 1 -> 5 -> 10 -> 20 under a 20x load", () => {
    const { desired, decisions } = drive(
      { maxReplicas: 100, target: utilization(50) },
      1,
      5,
      totalWork(1000),
    );
    expect(desired).toEqual([5, 10, 20, 20, 20]);
    expect(decisions.map((d) => d.recommended)).toEqual([20, 20, 20, 20, 20]);
    expect(decisions.slice(0, 2).map((d) => d.reason)).toEqual(["ScaleUpLimit", "ScaleUpLimit"]);
  });

  it("counts not yet ready pods as idle on the way up, so an overload never shrinks the target", () => {
    // 5 replicas, 1 ready at 150% of a 50% target, 4 still starting. Ready pods alone say ceil(3 x 1) = 3,
    // a scale-down; with the starting pods at 0% the mean is 30%, below target: the direction reverses,
    // and the count holds at 5.
    const hpa = new HorizontalPodAutoscaler(k8s({ maxReplicas: 100, target: utilization(50) }));
    expect(
      hpa.sync(0, { currentReplicas: 5, readyPods: 1, averageMetric: 150, unreadyPods: 4 }),
    ).toMatchObject({
      metric: 150,
      recommended: 5,
      desired: 5,
      reason: "DirectionReversed",
    });
    // Once they are ready and busy the count moves: 5 at 150% -> ceil(3 x 5) = 15, limited to 10.
    expect(hpa.sync(15_000, observationOf(5, [150, 150, 150, 150, 150]))).toMatchObject({
      recommended: 15,
      desired: 10,
    });
  });

  it("follows the docs' 80 -> 10 scale-down under Pods 4 / 60 s and Percent 10 / 60 s: 8, 8 (7.2 rounded up), ..., then 4 at a time", () => {
    const { desired } = drive(
      {
        maxReplicas: 100,
        target: { type: "AverageValue", averageValue: 1 },
        scaleDown: {
          stabilizationWindowMs: 0,
          policies: [
            { type: "Pods", value: 4, periodMs: 60_000 },
            { type: "Percent", value: 10, periodMs: 60_000 },
          ],
        },
      },
      80,
      14 * 4 + 1,
      (n) => ({ readyPods: n, averageMetric: 10 / n }),
    );
    const everyMinute = desired.filter((_, i) => i % 4 === 0);
    expect(everyMinute).toEqual([72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12, 10, 10]);
    // Between the steps the policies' 60 s periods still hold the last removal.
    expect(desired.slice(0, 4)).toEqual([72, 72, 72, 72]);
  });

  it("does not scale without samples, and records no recommendation then", () => {
    const hpa = new HorizontalPodAutoscaler(k8s({ maxReplicas: 10 }));
    expect(
      hpa.sync(0, { currentReplicas: 3, readyPods: 0, averageMetric: 0, unreadyPods: 3 }),
    ).toMatchObject({
      desired: 3,
      reason: "MissingMetrics",
      recommended: null,
    });
  });

  it("never scales down with selectPolicy Disabled", () => {
    const { desired } = drive(
      {
        maxReplicas: 10,
        scaleDown: { selectPolicy: "Disabled", stabilizationWindowMs: 0 },
        target: utilization(50),
      },
      6,
      3,
      allAt(5),
    );
    expect(desired).toEqual([6, 6, 6]);
  });

  it("refuses time running backwards", () => {
    const hpa = new HorizontalPodAutoscaler(k8s({ maxReplicas: 10 }));
    hpa.sync(15_000, observationOf(2, [80, 80]));
    expect(() => hpa.sync(0, observationOf(2, [80, 80]))).toThrow(/non-decreasing/);
  });
});
