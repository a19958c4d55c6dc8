// The control plane's own settings, as the loader hands them over typed and defaulted: how each
// service's pods run (Kubernetes pod lifecycle and a HorizontalPodAutoscaler), rolling updates,
// config pushes (each the version it creates, numbered 1 for the file, then 2, 3, ... in time
// order and cumulative; versions hold whole traffic policies, so a proxy that skips one misses
// nothing) and the service registry. Times are simulated ms.
import type { Distribution } from "../kernel/distribution.ts";
import type { TrafficPolicy } from "../mesh/spec.ts";
import type { RollingUpdateStrategy } from "./rollout/rollingUpdate.ts";

export type { RegistryKind, RegistrySpec } from "./registry/presets.ts";

/** How the control plane runs one service's pods (a Deployment's pod lifecycle and its HPA). */
export interface DeploymentSpec {
  /**
   * Pod lifecycle (startup, preStop, grace period, restarts; Kubernetes' defaults if an HPA or
   * rollout manages the pods), or null: ready at once, no supervisor.
   */
  lifecycle: LifecycleSpec | null;
  /** A HorizontalPodAutoscaler on the instances' utilization, or null. */
  autoscaling: AutoscalingSpec | null;
}

/** Kubernetes pod lifecycle (control/recovery/workload.ts runs it; LIFECYCLE_DEFAULTS there). */
export interface LifecycleSpec {
  /** From container start to the app accepting connections. */
  startupTimeMs: number;
  /** preStop hook: how long a deleted pod keeps serving before SIGTERM (0: none). */
  preStopDelayMs: number;
  /** Kubernetes terminationGracePeriodSeconds (default 30 s), from deletion to SIGKILL. */
  terminationGracePeriodMs: number;
  /**
   * Kubernetes restartPolicy: Always restarts dead containers with CrashLoopBackOff; Never leaves
   * them.
   */
  restartPolicy: "Always" | "Never";
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) on CPU utilization (control/autoscaler/scaler.ts runs
 * it).
 */
export interface AutoscalingSpec {
  minReplicas: number;
  maxReplicas: number;
  targetCPUUtilizationPercentage: number;
  syncPeriodMs: number;
  scaleUp: { stabilizationWindowMs: number; tolerance: number };
  scaleDown: { stabilizationWindowMs: number; tolerance: number };
}

/** A Kubernetes rolling update of one service to one of its versions (control/rollout/). */
export interface RolloutSpec {
  name: string;
  atMs: number;
  service: string;
  /** The version the service moves to (its slots are standby until the rollout starts them). */
  toVersion: string;
  strategy: RollingUpdateStrategy;
}

/**
 * One stage of a staged rollout: from `afterMs` after the previous stage, `percent` of all proxies
 * have the push.
 */
export interface RolloutStage {
  /** Cumulative share of proxies, in (0, 100]; increasing over the stages, the last one 100. */
  percent: number;
  afterMs: number;
}

export interface ConfigPushSpec {
  kind: "config-push";
  name: string;
  /** When the operator publishes it (before the debounce). */
  atMs: number;
  /** The version it creates: 2 for the earliest push (ties in file order), 3 for the next, .... */
  version: number;
  /**
   * Values put at paths of the file, in the order written: the path as written (`key`) and as
   * segments.
   */
  set: { key: string; path: (string | number)[]; value: unknown }[];
  /** Istio's PILOT_DEBOUNCE_AFTER: every proxy's delivery waits this long first. */
  debounceMs: number;
  /** Each proxy's own delivery delay after the debounce and its stage's start. */
  delay: Distribution;
  /** Stages in order; one stage of 100% when the push is not staged. */
  rollout: RolloutStage[];
  /**
   * Every service's traffic policy in this version (this push and every earlier one applied), by
   * service index.
   */
  trafficPolicies: TrafficPolicy[];
}
