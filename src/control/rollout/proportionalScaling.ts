// A Deployment scaled while a rolling update is under way (an HPA changing spec.replicas, say):
// the deployment controller's proportional scaling (pkg/controller/deployment/sync.go `scale`,
// util/deployment_util.go GetProportion and getReplicaSetFraction). The change is spread over the
// ReplicaSets that have pods, each getting round(size × newMax / oldMax) − size, where max is
// replicas + maxSurge (the controller keeps the old one in the max-replicas annotation), never
// more in total than the change; larger sets go first, newer ones first on a tie when adding,
// older ones first when removing, and the rounding rest goes to the first set. With a single set
// that has pods, that set simply takes the new replica count. Pure: sizes in, sizes out.

export interface ReplicaSetSize {
  /** spec.replicas of the set (its pods that are not terminating). */
  readonly replicas: number;
  /** Larger is newer (creation order); the rollout's target set is the newest. */
  readonly age: number;
}

/**
 * The sets' sizes after the Deployment went from `oldMaxReplicas` (replicas + maxSurge before, the
 * annotation) to `replicas` with `maxSurge` resolved against it. Returns sizes in input order.
 */
export function proportionalSizes(
  sets: readonly ReplicaSetSize[],
  replicas: number,
  maxSurge: number,
  oldMaxReplicas: number,
): number[] {
  if (!(Number.isSafeInteger(replicas) && replicas >= 0))
    throw new RangeError(`replicas must be a whole number >= 0, got ${replicas}`);
  const sizes = sets.map((s) => s.replicas);
  const active = sets.map((s, i) => ({ ...s, i })).filter((s) => s.replicas > 0);
  if (active.length === 0) {
    // FindActiveOrLatest: no set has pods, so the newest takes them all.
    if (sets.length > 0) sizes[newest(sets)] = replicas;
    return sizes;
  }
  if (active.length === 1) {
    sizes[active[0].i] = replicas;
    return sizes;
  }
  const allowed = replicas > 0 ? replicas + maxSurge : 0;
  const toAdd = allowed - active.reduce((n, s) => n + s.replicas, 0);
  if (toAdd === 0) return sizes;
  // ReplicaSetsBySizeNewer when adding, BySizeOlder when removing.
  active.sort((a, b) =>
    a.replicas !== b.replicas ? b.replicas - a.replicas : toAdd > 0 ? b.age - a.age : a.age - b.age,
  );
  let added = 0;
  for (const set of active) {
    const proportion = proportionOf(set.replicas, replicas, allowed, oldMaxReplicas, toAdd, added);
    sizes[set.i] = set.replicas + proportion;
    added += proportion;
  }
  const first = active[0].i;
  sizes[first] = Math.max(0, sizes[first] + toAdd - added);
  return sizes;
}

/** GetProportion: the set's fraction, bounded by what is left to add (or remove). */
function proportionOf(
  size: number,
  replicas: number,
  allowed: number,
  oldMax: number,
  toAdd: number,
  added: number,
): number {
  if (size === 0 || toAdd === added) return 0;
  const fraction =
    replicas === 0 ? -size : oldMax > 0 ? Math.round((size * allowed) / oldMax) - size : 0;
  const left = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
}

function newest(sets: readonly ReplicaSetSize[]): number {
  let at = 0;
  sets.forEach((s, i) => {
    if (s.age > sets[at].age) at = i;
  });
  return at;
}
