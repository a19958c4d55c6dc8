// The HPA's replica calculation for one per-pod metric: from the pods' samples to a recommended
// replica count. Follows Kubernetes' ReplicaCalculator (pkg/controller/podautoscaler/
// replica_calculator.go, GetResourceReplicas and calcPlainMetricReplicas) and metrics/utilization.go.
//
//   desired = ceil(usageRatio × pods counted),  usageRatio = current metric / target
//
// Rules kept from the code (the docs give the same rules in prose):
// - Pods are sorted by the caller into ready pods with a sample, pods not yet ready (Pending; for CPU
//   also pods still initialising or whose sample predates readiness) and ready pods missing a sample.
//   Failed and terminating pods are left out altogether.
// - Utilization is whole percent: floor(Σ usage × 100 / Σ requests), which with equal requests is the
//   floor of the mean percentage. Average values are compared in thousandths (milli-quantities).
// - With no missing samples and no scale-up blocked by unready pods: no change while the ratio is
//   within [1 − down tolerance, 1 + up tolerance], else ceil(ratio × ready pods with samples).
// - Otherwise the average is redone conservatively: on a scale-down missing pods count as using the
//   target (for Utilization max(100%, target)), on a scale-up as 0; unready pods count as 0 only on a
//   scale-up. If the new ratio is within tolerance, or reverses direction, or the new count would move
//   the other way, nothing changes; else ceil(new ratio × pods now counted).
// - No ready pod with a sample: no recommendation (the HPA does not scale; "FailedGetResourceMetric").
// The floors absorb binary floating-point error with a tiny relative epsilon, so 3 × 70% is 70%.

import type { HpaMetricTarget } from "./hpaSpec.ts";

export interface HpaMetricSample {
  /** Ready pods that reported a sample. */
  readonly readyPods: number;
  /** Mean of their samples: percent of the pod's request (Utilization) or the raw value (AverageValue). */
  readonly averageMetric: number;
  /** Pods set aside as not yet ready (default 0). */
  readonly unreadyPods?: number;
  /** Ready pods without a sample (default 0). */
  readonly missingPods?: number;
}

export interface HpaTolerances {
  readonly up: number;
  readonly down: number;
}

export type ReplicaReason =
  /** Ratio within tolerance: keep the current count. */
  | "within-tolerance"
  /** The conservative redo reversed the direction (or the count moved against it): keep the current count. */
  | "direction-reversed"
  /** A new count from the ratio. */
  | "scale"
  /** No ready pod reported a sample: no recommendation. */
  | "missing-metrics";

export interface ReplicaRecommendation {
  /** The recommended replica count; null without metrics. */
  readonly replicas: number | null;
  /** The metric as the HPA status reports it (before the conservative redo): whole percent, or the value. */
  readonly metric: number | null;
  /** current metric / target, before the conservative redo. */
  readonly ratio: number | null;
  readonly reason: ReplicaReason;
}

/** The recommendation for `currentReplicas` given one metric's samples. */
export function recommendReplicas(
  currentReplicas: number,
  sample: HpaMetricSample,
  target: HpaMetricTarget,
  tolerances: HpaTolerances,
): ReplicaRecommendation {
  const unready = sample.unreadyPods ?? 0;
  const missing = sample.missingPods ?? 0;
  checkSample(sample, unready, missing);
  if (sample.readyPods === 0)
    return { replicas: null, metric: null, ratio: null, reason: "missing-metrics" };

  const unit = target.type === "Utilization" ? 1 : 1000;
  const targetUnits =
    target.type === "Utilization"
      ? target.averageUtilization
      : Math.round(target.averageValue * 1000);
  const readySum = sample.averageMetric * sample.readyPods * unit;
  const usage = truncate(readySum / sample.readyPods);
  const ratio = usage / targetUnits;
  const metric = usage / unit;
  const within = (r: number): boolean => 1 - tolerances.down <= r && r <= 1 + tolerances.up;

  const scaleUpWithUnready = unready > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing === 0) {
    if (within(ratio))
      return { replicas: currentReplicas, metric, ratio, reason: "within-tolerance" };
    return { replicas: Math.ceil(ratio * sample.readyPods), metric, ratio, reason: "scale" };
  }

  // The conservative redo: fill in the pods set aside, then average again.
  let sum = readySum;
  let counted = sample.readyPods;
  if (missing > 0 && ratio !== 1) {
    const fill =
      ratio < 1 ? (target.type === "Utilization" ? Math.max(100, targetUnits) : targetUnits) : 0;
    sum += fill * missing;
    counted += missing;
  }
  if (scaleUpWithUnready) counted += unready;
  const newRatio = truncate(sum / counted) / targetUnits;
  if (within(newRatio))
    return { replicas: currentReplicas, metric, ratio, reason: "within-tolerance" };
  if ((ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
    return { replicas: currentReplicas, metric, ratio, reason: "direction-reversed" };
  }
  const replicas = Math.ceil(newRatio * counted);
  if (
    (newRatio < 1 && replicas > currentReplicas) ||
    (newRatio > 1 && replicas < currentReplicas)
  ) {
    return { replicas: currentReplicas, metric, ratio, reason: "direction-reversed" };
  }
  return { replicas, metric, ratio, reason: "scale" };
}

/** Mean of per-pod samples, summed in index order (deterministic). */
export function meanOf(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Kubernetes' integer division, with a relative epsilon so 209.99999999999997 counts as 210. */
function truncate(x: number): number {
  return Math.floor(x + Math.max(1, Math.abs(x)) * 1e-9);
}

function checkSample(sample: HpaMetricSample, unready: number, missing: number): void {
  const counts = [
    ["readyPods", sample.readyPods],
    ["unreadyPods", unready],
    ["missingPods", missing],
  ] as const;
  for (const [name, value] of counts) {
    if (!(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(`hpa observation ${name} must be a non-negative integer, got ${value}`);
    }
  }
  if (!(Number.isFinite(sample.averageMetric) && sample.averageMetric >= 0)) {
    throw new RangeError(
      `hpa observation averageMetric must be a finite number >= 0, got ${sample.averageMetric}`,
    );
  }
}
