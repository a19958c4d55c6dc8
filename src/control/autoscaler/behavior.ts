// The HPA's scaling behavior (autoscaling/v2 `behavior`): the stabilization window and the rate limits
// of the scaling policies, as pure functions of the recorded past. Follows Kubernetes' HorizontalController
// (pkg/controller/podautoscaler/horizontal.go: stabilizeRecommendationWithBehaviors,
// convertDesiredReplicasWithBehaviorRate, calculateScaleUpLimitWithScalingRules,
// calculateScaleDownLimitWithBehaviors, getReplicasChangePerPeriod).
//
// Rules kept from the code:
// - A record counts in a window or period only if strictly newer than now − length (Go's
//   `After(cutoff)`): a recommendation made exactly 300 s ago no longer holds a scale-down back, and
//   with a 15 s period and a 15 s sync every sync starts a fresh period.
// - Stabilization: up = min of the recommendations in the scale-up window and the new one, down = max of
//   those in the scale-down window and the new one; the result is the current count pulled up to `up`,
//   then down to `down`. So a scale-down goes no lower than the highest recommendation in the window.
// - Rate limits: a period's start count = current − added in the period + removed in the period.
//   Scale up: Pods p → start + p, Percent p → ceil(start × (1 + p/100)); Max takes the largest
//   (Min the smallest); never below current. Scale down: Pods p → start − p, Percent p →
//   trunc(start × (1 − p/100)); Max takes the smallest (Min the largest); never above current.
//   Disabled keeps the current count. Then the count is clamped to [minReplicas, maxReplicas].

import type { HpaScalingRules, HpaSpec } from "./hpaSpec.ts";

export interface TimedRecommendation {
  readonly atMs: number;
  readonly replicas: number;
}

export interface ScaleEvent {
  readonly atMs: number;
  /** Pods added (scale-up events) or removed (scale-down events), > 0. */
  readonly change: number;
}

export type LimitReason =
  | "DesiredWithinRange"
  | "ScaleUpLimit"
  | "ScaleDownLimit"
  | "TooManyReplicas"
  | "TooFewReplicas";

/** The stabilized recommendation: `current` pulled into [min over the up window, max over the down window]. */
export function stabilize(
  nowMs: number,
  currentReplicas: number,
  recommended: number,
  past: readonly TimedRecommendation[],
  scaleUp: HpaScalingRules,
  scaleDown: HpaScalingRules,
): number {
  const upCutoff = nowMs - scaleUp.stabilizationWindowMs;
  const downCutoff = nowMs - scaleDown.stabilizationWindowMs;
  let up = recommended;
  let down = recommended;
  for (const r of past) {
    if (r.atMs > upCutoff) up = Math.min(up, r.replicas);
    if (r.atMs > downCutoff) down = Math.max(down, r.replicas);
  }
  let result = currentReplicas;
  if (result < up) result = up;
  if (result > down) result = down;
  return result;
}

/** Net change recorded strictly after now − periodMs. */
export function changeInPeriod(
  nowMs: number,
  periodMs: number,
  events: readonly ScaleEvent[],
): number {
  const cutoff = nowMs - periodMs;
  let change = 0;
  for (const e of events) if (e.atMs > cutoff) change += e.change;
  return change;
}

/** The most replicas the scale-up policies allow now (may be below current; the caller keeps current then). */
export function scaleUpLimit(
  nowMs: number,
  currentReplicas: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: HpaScalingRules,
): number {
  if (rules.selectPolicy === "Disabled") return currentReplicas;
  let result = rules.selectPolicy === "Min" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const policy of rules.policies) {
    const start =
      currentReplicas -
      changeInPeriod(nowMs, policy.periodMs, upEvents) +
      changeInPeriod(nowMs, policy.periodMs, downEvents);
    const proposed =
      policy.type === "Pods" ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    result = rules.selectPolicy === "Min" ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** The fewest replicas the scale-down policies allow now (may be above current; the caller keeps current then). */
export function scaleDownLimit(
  nowMs: number,
  currentReplicas: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: HpaScalingRules,
): number {
  if (rules.selectPolicy === "Disabled") return currentReplicas;
  let result = rules.selectPolicy === "Min" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies) {
    const start =
      currentReplicas -
      changeInPeriod(nowMs, policy.periodMs, upEvents) +
      changeInPeriod(nowMs, policy.periodMs, downEvents);
    const proposed =
      policy.type === "Pods" ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    result = rules.selectPolicy === "Min" ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** The stabilized count after the rate limits and [minReplicas, maxReplicas], with Kubernetes' reason. */
export function limitReplicas(
  nowMs: number,
  currentReplicas: number,
  stabilized: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  spec: HpaSpec,
): { readonly replicas: number; readonly reason: LimitReason } {
  if (stabilized > currentReplicas) {
    const limit = Math.max(
      currentReplicas,
      scaleUpLimit(nowMs, currentReplicas, upEvents, downEvents, spec.scaleUp),
    );
    const rateBound = spec.maxReplicas > limit;
    const allowed = rateBound ? limit : spec.maxReplicas;
    if (stabilized > allowed)
      return { replicas: allowed, reason: rateBound ? "ScaleUpLimit" : "TooManyReplicas" };
  } else if (stabilized < currentReplicas) {
    const limit = Math.min(
      currentReplicas,
      scaleDownLimit(nowMs, currentReplicas, upEvents, downEvents, spec.scaleDown),
    );
    const rateBound = spec.minReplicas < limit;
    const allowed = rateBound ? limit : spec.minReplicas;
    if (stabilized < allowed)
      return { replicas: allowed, reason: rateBound ? "ScaleDownLimit" : "TooFewReplicas" };
  }
  return { replicas: stabilized, reason: "DesiredWithinRange" };
}
