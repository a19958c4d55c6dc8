// When a config push reaches each proxy: at + debounce + the start of the proxy's rollout stage +
// the proxy's own delivery delay. The debounce is Istio's PILOT_DEBOUNCE_AFTER quiet period, taken
// once per push; the merging of pushes that fall within one debounce window (and PILOT_DEBOUNCE_MAX)
// is left out: a proxy that gets a newer version first simply ignores the older one. Stages follow
// Argo Rollouts' steps: stage k starts `after` the previous one and brings the share of proxies
// with the push to `percent` (rounded up, so a 10% stage of 4 proxies is 1 proxy). Which proxies
// go first is a seeded Fisher–Yates shuffle of the proxies in build order, one shuffle per push.
import type { Rng } from "../../kernel/random.ts";
import type { RolloutStage } from "../spec.ts";

/** The stage of each proxy (by build index) for a rollout over `count` proxies; `rng` shuffles (unused for one stage). */
export function stageOfProxies(
  stages: readonly RolloutStage[],
  count: number,
  rng: Rng | null,
): Int32Array {
  const stageOf = new Int32Array(count);
  if (stages.length === 1 || rng === null) return stageOf;
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let rank = 0;
  stages.forEach((stage, k) => {
    const upTo = Math.min(count, Math.ceil((stage.percent * count) / 100));
    for (; rank < upTo; rank++) stageOf[order[rank]] = k;
  });
  for (; rank < count; rank++) stageOf[order[rank]] = stages.length - 1;
  return stageOf;
}

/** When each stage starts, after the push's debounce: the running sum of the stages' `after`. */
export function stageStarts(stages: readonly RolloutStage[]): number[] {
  let start = 0;
  return stages.map((stage) => (start += stage.afterMs));
}

export interface PushTiming {
  atMs: number;
  debounceMs: number;
  rollout: readonly RolloutStage[];
  delay: { sample(rng: Rng): number };
}

/**
 * The delivery time of `push` at each proxy. One delay is drawn from every proxy's own stream,
 * whatever its stage, so a proxy's draws for later pushes do not depend on this push's stages.
 */
export function deliveryTimes(
  push: PushTiming,
  delayRngs: readonly Rng[],
  rolloutRng: Rng | null,
): Float64Array {
  const stageOf = stageOfProxies(push.rollout, delayRngs.length, rolloutRng);
  const starts = stageStarts(push.rollout);
  const published = push.atMs + push.debounceMs;
  return Float64Array.from(
    delayRngs,
    (rng, p) => published + starts[stageOf[p]] + push.delay.sample(rng),
  );
}
