// The HorizontalPodAutoscaler spec (Kubernetes autoscaling/v2), in milliseconds. Built and checked in
// one place, hpaSpec(). Only per-pod metrics are modelled: `Utilization` (percent of the pod's
// request, resource metrics) or `AverageValue` (resource or pods metrics). One metric per HPA.
//
// What a scenario can set (min/max replicas, the target, the sync period, each direction's
// stabilization window and tolerance) is given in full: its Kubernetes defaults are in
// scenario/defaults.ts. What it cannot set keeps Kubernetes' defaults here
// (SetDefaults_HorizontalPodAutoscaler): scaleUp policies Pods 4 / 15 s and Percent 100 / 15 s,
// scaleDown Percent 100 / 15 s, selectPolicy Max both ways.

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

/** One direction's rules: the window and tolerance always; policies and selectPolicy default to Kubernetes'. */
export type HpaRulesInput = Pick<HpaScalingRules, "stabilizationWindowMs" | "tolerance"> &
  Partial<Pick<HpaScalingRules, "selectPolicy" | "policies">>;

export interface HpaSpecInput {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly target: HpaMetricTarget;
  readonly scaleUp: HpaRulesInput;
  readonly scaleDown: HpaRulesInput;
  readonly syncPeriodMs: number;
}

type HpaPolicies = Pick<HpaScalingRules, "selectPolicy" | "policies">;

/** Kubernetes' scale-up policies: Pods 4 / 15 s and Percent 100 / 15 s, the larger change wins. */
export const HPA_SCALE_UP_POLICIES: HpaPolicies = Object.freeze({
  selectPolicy: "Max",
  policies: Object.freeze([
    Object.freeze({ type: "Pods", value: 4, periodMs: 15_000 }),
    Object.freeze({ type: "Percent", value: 100, periodMs: 15_000 }),
  ]),
});

/** Kubernetes' scale-down policy: Percent 100 / 15 s. */
export const HPA_SCALE_DOWN_POLICIES: HpaPolicies = Object.freeze({
  selectPolicy: "Max",
  policies: Object.freeze([Object.freeze({ type: "Percent", value: 100, periodMs: 15_000 })]),
});

const MAX_PERIOD_MS = 1_800_000;
/** Kubernetes' limit on stabilizationWindowSeconds: one hour. */
export const HPA_MAX_STABILIZATION_WINDOW_MS = 3_600_000;
const MAX_WINDOW_MS = HPA_MAX_STABILIZATION_WINDOW_MS;

/** The one place an HpaSpec is built, defaulted and checked; errors name the field. */
export function hpaSpec(input: HpaSpecInput): HpaSpec {
  const { minReplicas, maxReplicas, syncPeriodMs } = input;
  if (!(Number.isSafeInteger(minReplicas) && minReplicas >= 1)) {
    throw new RangeError(`hpa minReplicas must be an integer >= 1, got ${minReplicas}`);
  }
  if (!(Number.isSafeInteger(maxReplicas) && maxReplicas >= minReplicas)) {
    throw new RangeError(
      `hpa maxReplicas must be an integer >= minReplicas (${minReplicas}), got ${maxReplicas}`,
    );
  }
  if (!(Number.isFinite(syncPeriodMs) && syncPeriodMs > 0)) {
    throw new RangeError(`hpa syncPeriodMs must be a number of ms > 0, got ${syncPeriodMs}`);
  }
  return Object.freeze({
    minReplicas,
    maxReplicas,
    target: checkTarget(input.target),
    scaleUp: rules("scaleUp", { ...HPA_SCALE_UP_POLICIES, ...input.scaleUp }),
    scaleDown: rules("scaleDown", { ...HPA_SCALE_DOWN_POLICIES, ...input.scaleDown }),
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
