// The run result's `recovery`: pods per phase over time, every HorizontalPodAutoscaler sync's
// decision and every rolling update, as control/recovery/, control/autoscaler/ and
// control/rollout/ record them. Types only, with Kubernetes' names for the HPA's reasons.

/**
 * The run result's `recovery` section: pods per phase over time, HPA decisions and rollouts, by
 * service.
 */
export interface RecoveryResult {
  /** Per service whose pods change: pods per phase after each change (the first entry is t = 0). */
  pods: Record<string, { atMs: number; starting: number; ready: number; draining: number }[]>;
  /** Per autoscaled service: every HPA sync's decision. */
  autoscaling: Record<string, HpaDecision[]>;
  rollouts: RolloutRecord[];
}

/** Why an HPA sync decided what it did (control/autoscaler/hpa.ts). */
export type HpaReason =
  /** current is 0 while minReplicas > 0: the HPA leaves the target alone. */
  | "ScalingDisabled"
  /** current was above maxReplicas: set to max. */
  | "AboveMaxReplicas"
  /** current was below minReplicas: set to min. */
  | "BelowMinReplicas"
  /** No ready pod reported the metric: no change. */
  | "MissingMetrics"
  /** The recommendation was held by the stabilization window. */
  | "ScaleUpStabilized"
  | "ScaleDownStabilized"
  /** A scaling policy or [min, max] limited the change (control/autoscaler/behavior.ts). */
  | "ScaleUpLimit"
  | "ScaleDownLimit"
  | "TooManyReplicas"
  | "TooFewReplicas"
  /** The ratio was within tolerance: no change. */
  | "WithinTolerance"
  /** Counting unready or missing pods conservatively reversed the direction: no change. */
  | "DirectionReversed"
  /** desired is the recommendation itself. */
  | "DesiredWithinRange";

/** One sync's decision: plain data with a fixed key order, for the run result. */
export interface HpaDecision {
  readonly atMs: number;
  readonly currentReplicas: number;
  /**
   * The metric as the HPA status reports it (whole percent for Utilization); null without samples.
   */
  readonly metric: number | null;
  /**
   * The metric's recommendation before stabilization (may lie outside [min, max]); null if none.
   */
  readonly recommended: number | null;
  /** After the stabilization window; null if there was no recommendation. */
  readonly stabilized: number | null;
  /** The count the target should be set to. */
  readonly desired: number;
  readonly reason: HpaReason;
}

/** When a rollout started and, if it did, finished; the pods it rolled and its resolved bounds. */
export interface RolloutRecord {
  name: string;
  service: string;
  /** The versions the service ran when the rollout began (the ones it replaces), in slot order. */
  fromVersions: string[];
  toVersion: string;
  startedAtMs: number;
  finishedAtMs: number | null;
  /**
   * Replicas when it began (Deployment spec.replicas), and maxSurge / maxUnavailable resolved
   * against them (Kubernetes' fenceposts).
   */
  desired: number;
  maxSurge: number;
  maxUnavailable: number;
}
