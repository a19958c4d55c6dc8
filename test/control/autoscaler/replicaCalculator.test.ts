// The HPA replica calculation (src/control/autoscaler/replicaCalculator.ts): Kubernetes'
// ceil(ratio x pods), its tolerance, whole-percent utilization, and the conservative treatment of
// pods that are not ready or miss a sample.
import { describe, expect, it } from "vitest";
import type { HpaMetricTarget } from "../../../src/control/autoscaler/hpaSpec.ts";
import { recommendReplicas } from "../../../src/control/autoscaler/replicaCalculator.ts";

const tolerances = { up: 0.1, down: 0.1 };
const util = (averageUtilization: number): HpaMetricTarget => ({
  type: "Utilization",
  averageUtilization,
});
const value = (averageValue: number): HpaMetricTarget => ({ type: "AverageValue", averageValue });
const pods = (readyPods: number, averageMetric: number, unreadyPods = 0, missingPods = 0) => ({
  readyPods,
  averageMetric,
  unreadyPods,
  missingPods,
});

describe("HPA replica calculation", () => {
  it("doubles the replicas at 200m against a 100m target and halves them at 50m (Kubernetes docs)", () => {
    expect(recommendReplicas(4, pods(4, 0.2), value(0.1), tolerances)).toMatchObject({
      replicas: 8,
      ratio: 2,
      reason: "scale",
    });
    expect(recommendReplicas(4, pods(4, 0.05), value(0.1), tolerances)).toMatchObject({
      replicas: 2,
      ratio: 0.5,
    });
  });

  it("changes nothing within 10% of the target, bounds included: 108%, 110% and 90% hold, 111% and 89% move", () => {
    expect(recommendReplicas(4, pods(4, 108), util(100), tolerances)).toMatchObject({
      replicas: 4,
      reason: "within-tolerance",
    });
    expect(recommendReplicas(4, pods(4, 110), util(100), tolerances)).toMatchObject({
      replicas: 4,
      reason: "within-tolerance",
    });
    expect(recommendReplicas(10, pods(10, 90), util(100), tolerances)).toMatchObject({
      replicas: 10,
      reason: "within-tolerance",
    });
    expect(recommendReplicas(4, pods(4, 111), util(100), tolerances)).toMatchObject({
      replicas: 5,
      reason: "scale",
    });
    expect(recommendReplicas(10, pods(10, 115), util(100), tolerances)).toMatchObject({
      replicas: 12,
      reason: "scale",
    });
    expect(recommendReplicas(10, pods(10, 89), util(100), tolerances)).toMatchObject({
      replicas: 9,
      reason: "scale",
    });
  });

  it("works in whole percent: a mean of 110.9% is 110%, within tolerance", () => {
    expect(recommendReplicas(4, pods(4, 110.9), util(100), tolerances)).toMatchObject({
      metric: 110,
      replicas: 4,
    });
    expect(recommendReplicas(3, pods(3, (70 + 70 + 70) / 3), util(50), tolerances)).toMatchObject({
      metric: 70,
      replicas: 5,
    });
  });

  it("compares average values in thousandths, as milli-quantities", () => {
    expect(recommendReplicas(4, pods(4, 0.2004), value(0.1), tolerances)).toMatchObject({
      metric: 0.2,
      ratio: 2,
      replicas: 8,
    });
  });

  it("scales from the ready pods with samples, not from the current count", () => {
    // 6 replicas, 3 ready at 30% of a 60% target, 3 unready: a scale-down ignores the unready pods.
    expect(recommendReplicas(6, pods(3, 30, 3), util(60), tolerances)).toMatchObject({
      replicas: 2,
      reason: "scale",
    });
  });

  it("counts unready pods as 0% on a scale-up: 3 at 200% and 3 unready hold at 6", () => {
    expect(recommendReplicas(6, pods(3, 200, 3), util(100), tolerances)).toMatchObject({
      replicas: 6,
      ratio: 2,
      reason: "within-tolerance",
    });
    // 3 at 300% and 1 unready: (900 + 0) / 4 = 225% -> ceil(2.25 x 4) = 9.
    expect(recommendReplicas(4, pods(3, 300, 1), util(100), tolerances)).toMatchObject({
      replicas: 9,
      metric: 300,
    });
  });

  it("counts missing pods as at the target (at least 100%) on a scale-down and 0% on a scale-up", () => {
    // 4 at 50%, 2 missing: (200 + 2 x 100) / 6 = 66% -> ceil(0.66 x 6) = 4 instead of 2.
    expect(recommendReplicas(6, pods(4, 50, 0, 2), util(100), tolerances)).toMatchObject({
      replicas: 4,
      reason: "scale",
    });
    // 4 at 150%, 2 missing: (600 + 0) / 6 = 100%: no change.
    expect(recommendReplicas(6, pods(4, 150, 0, 2), util(100), tolerances)).toMatchObject({
      replicas: 6,
      reason: "within-tolerance",
    });
    // Target 150%: missing pods count at 150%; 2 at 60% and 2 missing: (120 + 300) / 4 = 105% -> ceil(0.7 x 4) = 3.
    expect(recommendReplicas(4, pods(2, 60, 0, 2), util(150), tolerances)).toMatchObject({
      replicas: 3,
    });
    // Average values: missing pods count at the target. 2 at 0.5, 2 missing: (1 + 2) / 4 = 0.75 -> 3, not 1.
    expect(recommendReplicas(4, pods(2, 0.5, 0, 2), value(1), tolerances)).toMatchObject({
      replicas: 3,
      reason: "scale",
    });
  });

  it("keeps the current count when the conservative redo reverses the direction", () => {
    // Target 50%: 1 pod at 40% (ratio 0.8), 4 missing at 100% -> 88%, ratio 1.76: a scale-down turned up.
    expect(recommendReplicas(5, pods(1, 40, 0, 4), util(50), tolerances)).toMatchObject({
      replicas: 5,
      reason: "direction-reversed",
    });
    // 3 at 50%, 3 missing: (150 + 300) / 6 = 75% -> ceil(0.75 x 6) = 5, more than the current 3.
    expect(recommendReplicas(3, pods(3, 50, 0, 3), util(100), tolerances)).toMatchObject({
      replicas: 3,
      reason: "direction-reversed",
    });
  });

  it("gives no recommendation when no ready pod reported a sample", () => {
    expect(recommendReplicas(3, pods(0, 0, 3), util(50), tolerances)).toEqual({
      replicas: null,
      metric: null,
      ratio: null,
      reason: "missing-metrics",
    });
  });

  it("applies separate up and down tolerances (KEP-4951)", () => {
    const asymmetric = { up: 0, down: 0.5 };
    expect(recommendReplicas(10, pods(10, 101), util(100), asymmetric).replicas).toBe(11);
    expect(recommendReplicas(10, pods(10, 51), util(100), asymmetric).replicas).toBe(10);
  });

  it("refuses impossible observations, naming the field", () => {
    expect(() => recommendReplicas(3, pods(-1, 5), util(50), tolerances)).toThrow(
      /readyPods must be a non-negative integer/,
    );
    expect(() => recommendReplicas(3, pods(1, Number.NaN), util(50), tolerances)).toThrow(
      /averageMetric must be a finite number/,
    );
    expect(() => recommendReplicas(3, pods(1, 5, 0.5), util(50), tolerances)).toThrow(
      /unreadyPods/,
    );
  });
});
