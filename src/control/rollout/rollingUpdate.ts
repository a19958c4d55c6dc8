// The arithmetic of a Kubernetes Deployment's RollingUpdate strategy, as the deployment
// controller does it (pkg/controller/deployment/rolling.go and util/deployment_util.go): one
// old and one new ReplicaSet, `maxSurge` (default 25%, rounded up) pods over the desired count
// and `maxUnavailable` (default 25%, rounded down) pods under it. Each sync first scales the new
// set up to what the surge allows; when it did not, it scales old sets down: unavailable old pods
// first (cleanupUnhealthyReplicas), then available ones as far as `desired − maxUnavailable`
// available pods allow. Terminating pods no longer count as replicas, as in ReplicaSet status.
// Pure: counts in, counts out; the simulation (rolloutController.ts) starts and stops instances.

/** An absolute count, or a percentage of the desired replicas written "25%". */
export type IntOrPercent = number | `${number}%`;

export interface RollingUpdateStrategy {
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
}

/** Kubernetes' defaults for `spec.strategy.rollingUpdate`. */
export const DEFAULT_ROLLING_UPDATE: RollingUpdateStrategy = {
  maxSurge: "25%",
  maxUnavailable: "25%",
};

/**
 * maxSurge rounds up, maxUnavailable down (ResolveFenceposts); when both come to 0,
 * maxUnavailable becomes 1 so that the rollout can make progress.
 */
export function resolveFenceposts(
  strategy: RollingUpdateStrategy,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaled(strategy.maxSurge, desired, Math.ceil);
  const unavailable = scaled(strategy.maxUnavailable, desired, Math.floor);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

function scaled(value: IntOrPercent, desired: number, round: (x: number) => number): number {
  if (typeof value === "number") return value;
  return round((Number(value.slice(0, -1)) * desired) / 100);
}

/** The two ReplicaSets' pods as the controller sees them at a sync (terminating pods excluded). */
export interface RolloutState {
  desired: number;
  /** Pods of the old set, and how many of them are available (ready for minReadySeconds). */
  oldReplicas: number;
  oldAvailable: number;
  newReplicas: number;
  newAvailable: number;
}

/** What one sync does: how many new pods to create, how many old ones to delete (and of those, how many unavailable). */
export interface RolloutStep {
  scaleUpNew: number;
  scaleDownOld: number;
  /** Of `scaleDownOld`, unavailable old pods removed first. */
  cleanedUnavailable: number;
}

/** One sync of the deployment controller's rolloutRolling. */
export function rollingStep(state: RolloutState, strategy: RollingUpdateStrategy): RolloutStep {
  const { surge, unavailable } = resolveFenceposts(strategy, state.desired);
  const scaleUpNew = newReplicaSetScaleUp(state, surge);
  if (scaleUpNew > 0) return { scaleUpNew, scaleDownOld: 0, cleanedUnavailable: 0 };
  if (state.oldReplicas === 0) return { scaleUpNew: 0, scaleDownOld: 0, cleanedUnavailable: 0 };
  const allPods = state.oldReplicas + state.newReplicas;
  const minAvailable = state.desired - unavailable;
  const newUnavailable = state.newReplicas - state.newAvailable;
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return { scaleUpNew: 0, scaleDownOld: 0, cleanedUnavailable: 0 };
  // cleanupUnhealthyReplicas: unavailable old pods go first, as far as maxScaledDown allows.
  const cleaned = Math.min(maxScaledDown, state.oldReplicas - state.oldAvailable);
  // scaleDownOldReplicaSetsForRollingUpdate: available pods above minAvailable.
  const available = state.oldAvailable + state.newAvailable;
  const byAvailability =
    available <= minAvailable ? 0 : Math.min(available - minAvailable, state.oldReplicas - cleaned);
  return { scaleUpNew: 0, scaleDownOld: cleaned + byAvailability, cleanedUnavailable: cleaned };
}

/** NewRSNewReplicas: scale the new set up to desired + surge pods in all, never past desired. */
function newReplicaSetScaleUp(state: RolloutState, surge: number): number {
  const current = state.oldReplicas + state.newReplicas;
  const maxTotal = state.desired + surge;
  if (current >= maxTotal) return 0;
  return Math.max(0, Math.min(maxTotal - current, state.desired - state.newReplicas));
}
