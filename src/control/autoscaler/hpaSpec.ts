// The HorizontalPodAutoscaler spec (Kubernetes autoscaling/v2) with the API server's and the
// kube-controller-manager's defaults, in milliseconds. Built and checked in one place, hpaSpec().
//
// Defaults (Kubernetes' SetDefaults_HorizontalPodAutoscaler and controller flags):
// - minReplicas 1; maxReplicas required; a single metric, target 80% average CPU utilization when none
//   is given (the v2 default). Only per-pod metrics are modelled: `Utilization` (percent of the pod's
//   request, resource metrics) or `AverageValue` (resource or pods metrics). One metric per HPA.
// - scaleUp: stabilization window 0, policies Pods 4 / 15 s and Percent 100 / 15 s, selectPolicy Max.
// - scaleDown: stabilization window 300 s (`--horizontal-pod-autoscaler-downscale-stabilization`),
//   policy Percent 100 / 15 s, selectPolicy Max.
// - tolerance 0.1 both ways (`--horizontal-pod-autoscaler-tolerance`; per direction since
//   KEP-4951's `behavior.scaleUp/scaleDown.tolerance`); sync period 15 s
//   (`--horizontal-pod-autoscaler-sync-period`).
// A rules object given in part is merged field by field with the defaults, as the API server does.

export type HpaMetricTarget =
  /** Mean utilization over pods, in whole percent of the request (> 0; may exceed 100). */
  | { readonly type: "Utilization"; readonly averageUtilization: number }
  /** Mean raw value over pods (> 0), compared in thousandths as Kubernetes' milli-quantities. */
  | { readonly type: "AverageValue"; readonly averageValue: number };

export interface HpaScalingPolicy {
  /** Pods: add/remove at most `value` pods per period; Percent: at most `value`% of the period's start. */
  readonly type: "Pods" | "Percent";
  /** Integer > 0. */
  readonly value: number;
  /** The look-back period, whole ms in (0, 1800 s] (Kubernetes `periodSeconds`). */
  readonly periodMs: number;
}

export type HpaSelectPolicy = "Max" | "Min" | "Disabled";

export interface HpaScalingRules {
  /** Whole ms in [0, 3600 s] (Kubernetes `stabilizationWindowSeconds`). */
  readonly stabilizationWindowMs: number;
  /** Max: the policy allowing the largest change wins; Min: the smallest; Disabled: never scale this way. */
  readonly selectPolicy: HpaSelectPolicy;
  readonly policies: readonly HpaScalingPolicy[];
  /** No scaling this way while the usage ratio is within this fraction of 1 (>= 0). */
  readonly tolerance: number;
}

export interface HpaSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly target: HpaMetricTarget;
  readonly scaleUp: HpaScalingRules;
  readonly scaleDown: HpaScalingRules;
  /** How often the controller syncs, ms (the caller drives `sync` at this period). */
  readonly syncPeriodMs: number;
}

export interface HpaSpecInput {
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  readonly target?: HpaMetricTarget;
  readonly scaleUp?: Partial<HpaScalingRules>;
  readonly scaleDown?: Partial<HpaScalingRules>;
  readonly syncPeriodMs?: number;
}

export const HPA_SYNC_PERIOD_MS = 15_000;
export const HPA_TOLERANCE = 0.1;
export const HPA_DOWNSCALE_STABILIZATION_MS = 300_000;

export const HPA_SCALE_UP_DEFAULTS: HpaScalingRules = Object.freeze({
  stabilizationWindowMs: 0,
  selectPolicy: "Max",
  policies: Object.freeze([
    Object.freeze({ type: "Pods", value: 4, periodMs: 15_000 }),
    Object.freeze({ type: "Percent", value: 100, periodMs: 15_000 }),
  ]),
  tolerance: HPA_TOLERANCE,
});

export const HPA_SCALE_DOWN_DEFAULTS: HpaScalingRules = Object.freeze({
  stabilizationWindowMs: HPA_DOWNSCALE_STABILIZATION_MS,
  selectPolicy: "Max",
  policies: Object.freeze([Object.freeze({ type: "Percent", value: 100, periodMs: 15_000 })]),
  tolerance: HPA_TOLERANCE,
});

const MAX_PERIOD_MS = 1_800_000;
const MAX_WINDOW_MS = 3_600_000;

/** The one place an HpaSpec is built, defaulted and checked; errors name the field. */
export function hpaSpec(input: HpaSpecInput): HpaSpec {
  const minReplicas = input.minReplicas ?? 1;
  const { maxReplicas } = input;
  if (!(Number.isSafeInteger(minReplicas) && minReplicas >= 1)) {
    throw new RangeError(`hpa minReplicas must be an integer >= 1, got ${minReplicas}`);
  }
  if (!(Number.isSafeInteger(maxReplicas) && maxReplicas >= minReplicas)) {
    throw new RangeError(
      `hpa maxReplicas must be an integer >= minReplicas (${minReplicas}), got ${maxReplicas}`,
    );
  }
  const syncPeriodMs = input.syncPeriodMs ?? HPA_SYNC_PERIOD_MS;
  if (!(Number.isFinite(syncPeriodMs) && syncPeriodMs > 0)) {
    throw new RangeError(`hpa syncPeriodMs must be a number of ms > 0, got ${syncPeriodMs}`);
  }
  return Object.freeze({
    minReplicas,
    maxReplicas,
    target: checkTarget(input.target ?? { type: "Utilization", averageUtilization: 80 }),
    scaleUp: rules("scaleUp", { ...HPA_SCALE_UP_DEFAULTS, ...input.scaleUp }),
    scaleDown: rules("scaleDown", { ...HPA_SCALE_DOWN_DEFAULTS, ...input.scaleDown }),
    syncPeriodMs,
  });
}

function checkTarget(target: HpaMetricTarget): HpaMetricTarget {
  if (target.type === "Utilization") {
    const u = target.averageUtilization;
    if (!(Number.isSafeInteger(u) && u >= 1)) {
      throw new RangeError(
        `hpa target.averageUtilization must be a whole percentage >= 1, got ${u}`,
      );
    }
    return Object.freeze({ type: "Utilization", averageUtilization: u });
  }
  if (target.type === "AverageValue") {
    const v = target.averageValue;
    if (!(Number.isFinite(v) && Math.round(v * 1000) >= 1)) {
      throw new RangeError(`hpa target.averageValue must be a number >= 0.001, got ${v}`);
    }
    return Object.freeze({ type: "AverageValue", averageValue: v });
  }
  const type = String((target as { type: unknown }).type);
  throw new RangeError(`hpa target.type must be "Utilization" or "AverageValue", got ${type}`);
}

function rules(field: string, r: HpaScalingRules): HpaScalingRules {
  const w = r.stabilizationWindowMs;
  if (!(Number.isSafeInteger(w) && w >= 0 && w <= MAX_WINDOW_MS)) {
    throw new RangeError(
      `hpa ${field}.stabilizationWindowMs must be whole ms in [0, ${MAX_WINDOW_MS}], got ${w}`,
    );
  }
  if (r.selectPolicy !== "Max" && r.selectPolicy !== "Min" && r.selectPolicy !== "Disabled") {
    throw new RangeError(
      `hpa ${field}.selectPolicy must be "Max", "Min" or "Disabled", got ${String(r.selectPolicy)}`,
    );
  }
  if (!(Number.isFinite(r.tolerance) && r.tolerance >= 0)) {
    throw new RangeError(`hpa ${field}.tolerance must be a number >= 0, got ${r.tolerance}`);
  }
  if (r.policies.length === 0 && r.selectPolicy !== "Disabled") {
    throw new RangeError(
      `hpa ${field}.policies must hold at least one policy unless selectPolicy is "Disabled"`,
    );
  }
  const policies = r.policies.map((p, i) => {
    const at = `hpa ${field}.policies[${i}]`;
    if (p.type !== "Pods" && p.type !== "Percent") {
      throw new RangeError(`${at}.type must be "Pods" or "Percent", got ${String(p.type)}`);
    }
    if (!(Number.isSafeInteger(p.value) && p.value >= 1)) {
      throw new RangeError(`${at}.value must be an integer >= 1, got ${p.value}`);
    }
    if (!(Number.isSafeInteger(p.periodMs) && p.periodMs >= 1 && p.periodMs <= MAX_PERIOD_MS)) {
      throw new RangeError(
        `${at}.periodMs must be whole ms in [1, ${MAX_PERIOD_MS}], got ${p.periodMs}`,
      );
    }
    return Object.freeze({ type: p.type, value: p.value, periodMs: p.periodMs });
  });
  return Object.freeze({
    stabilizationWindowMs: w,
    selectPolicy: r.selectPolicy,
    policies: Object.freeze(policies),
    tolerance: r.tolerance,
  });
}
