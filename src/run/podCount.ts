// How many pods of a service were serving over the measured time: the fewest, the time average and
// the most, from each pod's serving flips (model/instance.ts: serving from t = 0 until its first
// flip, then alternating). Kubernetes' Deployment status reports ready replicas the same way, as a
// count at each moment; here it is reduced over [warm-up, end]. A moment of zero length (two flips
// at one time) does not count toward the min or max.
import { roundSig } from "../result/round.ts";
import type { PodCount } from "../result/run.ts";

/** `flips[i]`: pod i's flip times in order; `servingMs[i]`: its serving time after warm-up. */
export function podCount(
  flips: readonly (readonly number[])[],
  servingMs: readonly number[],
  fromMs: number,
  toMs: number,
): PodCount {
  const changes: { atMs: number; by: number }[] = [];
  let level = 0;
  flips.forEach((times) => {
    let on = true;
    level++;
    for (const atMs of times) {
      on = !on;
      changes.push({ atMs, by: on ? 1 : -1 });
    }
  });
  changes.sort((a, b) => a.atMs - b.atMs);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let at = 0;
  const visit = (untilMs: number) => {
    if (Math.min(untilMs, toMs) > Math.max(at, fromMs)) {
      min = Math.min(min, level);
      max = Math.max(max, level);
    }
  };
  for (const change of changes) {
    visit(change.atMs);
    at = change.atMs;
    level += change.by;
  }
  visit(toMs);
  // A run that ended at its warm-up has no measured time: the count at the end stands for it.
  if (min === Number.POSITIVE_INFINITY) min = max = level;
  const measuredMs = toMs - fromMs;
  const total = servingMs.reduce((sum, ms) => sum + ms, 0);
  return { min, mean: measuredMs > 0 ? roundSig(total / measuredMs) : level, max };
}
