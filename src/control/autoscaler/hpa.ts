// A Kubernetes HorizontalPodAutoscaler (autoscaling/v2) for one scale target, driven by the caller:
// call `sync(nowMs, observation)` every `spec.syncPeriodMs` (15 s) and apply `decision.desired` to the
// target. Follows HorizontalController.reconcileAutoscaler (pkg/controller/podautoscaler/horizontal.go);
// the arithmetic lives in replicaCalculator.ts and behavior.ts, the defaults in hpaSpec.ts.
//
// One sync, in Kubernetes' order:
// 1. current = the target's replica count (`scale.spec.replicas`, which the caller reports).
//    current 0 with minReplicas > 0: autoscaling is off for the target ("ScalingDisabled").
//    current above max / below min: desired = max / min, no metrics, no stabilization.
// 2. Otherwise the metric gives a recommendation (no samples: keep current, record nothing).
// 3. The recommendation is stabilized against the window of past ones, then recorded.
// 4. The scaling policies and [min, max] limit the change; a change is recorded as a scale event.
// Left out: several metrics per HPA (Kubernetes takes the largest recommendation), object and
// external metrics, scale to zero, the v1 API without `behavior`. Memory is bounded: records older
// than the longest window or policy period are dropped.

import type { HpaDecision, HpaReason } from "../../result/recovery.ts";
import {
  type LimitReason,
  limitReplicas,
  type ScaleEvent,
  stabilize,
  type TimedRecommendation,
} from "./behavior.ts";
import { type HpaSpec, type HpaSpecInput, hpaSpec } from "./hpaSpec.ts";
import {
  type HpaMetricSample,
  meanOf,
  type ReplicaReason,
  recommendReplicas,
} from "./replicaCalculator.ts";

/** What the controller sees at a sync. */
export interface HpaObservation extends HpaMetricSample {
  /** The scale target's replica count (what the last decision set, or the initial count). */
  readonly currentReplicas: number;
}

export class HorizontalPodAutoscaler {
  readonly spec: HpaSpec;
  private readonly recommendations: TimedRecommendation[] = [];
  private readonly upEvents: ScaleEvent[] = [];
  private readonly downEvents: ScaleEvent[] = [];
  private readonly retentionMs: number;
  private lastSyncMs = Number.NEGATIVE_INFINITY;
  private readonly log: HpaDecision[] = [];

  /** Takes a spec input (defaulted and checked here) or a built HpaSpec. */
  constructor(spec: HpaSpecInput) {
    this.spec = hpaSpec(spec);
    const periods = [...this.spec.scaleUp.policies, ...this.spec.scaleDown.policies].map(
      (p) => p.periodMs,
    );
    const windows = [
      this.spec.scaleUp.stabilizationWindowMs,
      this.spec.scaleDown.stabilizationWindowMs,
    ];
    this.retentionMs = Math.max(...windows, ...periods);
  }

  /** Every decision so far, oldest first. */
  get decisions(): readonly HpaDecision[] {
    return this.log;
  }

  /** Runs one sync at `nowMs` (non-decreasing) and returns its decision. */
  sync(nowMs: number, observation: HpaObservation): HpaDecision {
    if (!(Number.isFinite(nowMs) && nowMs >= this.lastSyncMs)) {
      throw new RangeError(
        `hpa sync time must be finite and non-decreasing: ${nowMs} after ${this.lastSyncMs}`,
      );
    }
    const current = observation.currentReplicas;
    if (!(Number.isSafeInteger(current) && current >= 0)) {
      throw new RangeError(
        `hpa observation currentReplicas must be a non-negative integer, got ${current}`,
      );
    }
    this.lastSyncMs = nowMs;
    this.forget(nowMs);
    const decision = this.decide(nowMs, current, observation);
    if (decision.desired > current)
      this.upEvents.push({ atMs: nowMs, change: decision.desired - current });
    if (decision.desired < current)
      this.downEvents.push({ atMs: nowMs, change: current - decision.desired });
    this.log.push(decision);
    return decision;
  }

  private decide(nowMs: number, current: number, observation: HpaObservation): HpaDecision {
    const { minReplicas, maxReplicas, scaleUp, scaleDown } = this.spec;
    const fixed = (desired: number, reason: HpaReason): HpaDecision => ({
      atMs: nowMs,
      currentReplicas: current,
      metric: null,
      recommended: null,
      stabilized: null,
      desired,
      reason,
    });
    if (current === 0) return fixed(0, "ScalingDisabled");
    if (current > maxReplicas) return fixed(maxReplicas, "AboveMaxReplicas");
    if (current < minReplicas) return fixed(minReplicas, "BelowMinReplicas");

    const tolerances = { up: scaleUp.tolerance, down: scaleDown.tolerance };
    const rec = recommendReplicas(current, observation, this.spec.target, tolerances);
    if (rec.replicas === null) return fixed(current, "MissingMetrics");
    const stabilized = stabilize(
      nowMs,
      current,
      rec.replicas,
      this.recommendations,
      scaleUp,
      scaleDown,
    );
    this.recommendations.push({ atMs: nowMs, replicas: rec.replicas });
    const limited = limitReplicas(
      nowMs,
      current,
      stabilized,
      this.upEvents,
      this.downEvents,
      this.spec,
    );
    return {
      atMs: nowMs,
      currentReplicas: current,
      metric: rec.metric,
      recommended: rec.replicas,
      stabilized,
      desired: limited.replicas,
      reason: reasonOf(rec.reason, rec.replicas, stabilized, limited.reason),
    };
  }

  /** Drops records no window or period can reach any more (they are only read after now − retention). */
  private forget(nowMs: number): void {
    const cutoff = nowMs - this.retentionMs;
    for (const list of [this.recommendations, this.upEvents, this.downEvents]) {
      let stale = 0;
      while (stale < list.length && list[stale].atMs <= cutoff) stale++;
      if (stale > 0) list.splice(0, stale);
    }
  }
}

/** Builds the observation from per-pod samples of the ready pods (summed in order). */
export function observationOf(
  currentReplicas: number,
  readyPodMetrics: readonly number[],
  setAside: { readonly unreadyPods?: number; readonly missingPods?: number } = {},
): HpaObservation {
  return {
    currentReplicas,
    readyPods: readyPodMetrics.length,
    averageMetric: meanOf(readyPodMetrics),
    unreadyPods: setAside.unreadyPods ?? 0,
    missingPods: setAside.missingPods ?? 0,
  };
}

function reasonOf(
  replicaReason: ReplicaReason,
  recommended: number,
  stabilized: number,
  limit: LimitReason,
): HpaReason {
  if (limit !== "DesiredWithinRange") return limit;
  // Held below a higher recommendation by the scale-up window, or above a lower one by the scale-down window.
  if (stabilized < recommended) return "ScaleUpStabilized";
  if (stabilized > recommended) return "ScaleDownStabilized";
  if (replicaReason === "within-tolerance") return "WithinTolerance";
  return replicaReason === "direction-reversed" ? "DirectionReversed" : "DesiredWithinRange";
}
