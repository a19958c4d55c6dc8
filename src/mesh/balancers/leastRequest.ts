// Envoy LEAST_REQUEST (Istio's default policy), source/extensions/load_balancing_policies/least_request.
// Equal weights: draw `choiceCount` hosts uniformly *with replacement* (default 2, minimum 2) and
// take the one with the fewest active requests from this proxy; on a tie the earlier draw wins.
// With two hosts the busier one is therefore picked 25% of the time, as Envoy's proto notes.
// Unequal weights: an EDF schedule (edf.ts) over the dynamic weight w / (active + 1)^bias, bias =
// `activeRequestBias` (default 1.0; 0 makes it weighted round robin), so a host never fully drains.
//
// Keeping the EDF consistent as active counts move (Envoy's rule, kept): a host's deadline is fixed
// when it is queued. On a pick the picked host is re-queued at clock + (active + 1)^bias / w with its
// active count at that moment, before the new request is counted (Envoy's `pickAndAdd` runs before
// the request starts). Other hosts' counts changing does not move their deadlines; it counts when
// they are next picked. The schedule is built with the counts at build time, and rebuilt (as Envoy
// does on a host-set change) if the number of hosts changes. Whether the weights are all equal is
// decided at build time too. Slow start (slowStart.ts): with a host in its window when the view is
// built, Envoy takes the EDF path even over equal weights, the dynamic weight times the host's
// slow-start factor at the moment it is queued. Left out: FULL_SCAN selection.
import type { Rng } from "../../kernel/random.ts";
import type { Balancer, BalancerFactory, ClusterHosts, PickRequest } from "./balancer.ts";
import { EdfSchedule } from "./edf.ts";
import { anyInSlowStart, type SlowStartConfig, slowStartFactorOf } from "./slowStart.ts";

/** Envoy's names; the defaults are in scenario/defaults.ts. */
export interface LeastRequestConfig {
  /** Hosts drawn per pick with equal weights (Envoy `choice_count`): an integer >= 2. */
  readonly choiceCount: number;
  /** Exponent of (active + 1) dividing the weight with unequal weights (`active_request_bias`): >= 0. */
  readonly activeRequestBias: number;
  /** Envoy slow_start_config, or null: off. */
  readonly slowStart: SlowStartConfig | null;
}

export function createLeastRequest(config: LeastRequestConfig): BalancerFactory {
  const { choiceCount, slowStart } = config;
  const bias = config.activeRequestBias;
  if (!Number.isInteger(choiceCount) || choiceCount < 2) {
    throw new Error(`least-request choiceCount must be an integer >= 2, got ${choiceCount}`);
  }
  if (!(bias >= 0 && Number.isFinite(bias))) {
    throw new Error(`least-request activeRequestBias must be a finite number >= 0, got ${bias}`);
  }
  return (built: ClusterHosts): Balancer => {
    const weighted =
      !allEqual(built.weights, built.endpoints.length) || anyInSlowStart(slowStart, built);
    // Equal weights and no slow start: the pick reads nothing but the view's counts and the draws
    // (no schedule to keep, and no time or view to remember: a number kept in a closure is a new
    // heap number at every write).
    if (!weighted && slowStart === null)
      return {
        policy: "least-request",
        pick: (current: ClusterHosts, rng: Rng): number =>
          fewestActiveOfDraws(current, rng, choiceCount),
      };
    let hosts = built;
    let now = 0;
    const activeWeight = (i: number): number => {
      const w = hosts.weights[i];
      if (bias === 0) return w;
      const load = hosts.active[i] + 1;
      return bias === 1 ? w / load : w / load ** bias;
    };
    const dynamicWeight =
      slowStart === null
        ? activeWeight
        : (i: number) => activeWeight(i) * slowStartFactorOf(slowStart, hosts, i, now);
    let size = -1;
    let schedule: EdfSchedule | null = null;
    const rebuild = (): void => {
      size = hosts.endpoints.length;
      schedule = weighted ? new EdfSchedule(size, dynamicWeight) : null;
    };
    // With the counts at build time; with slow start, at the first pick, when the time is known.
    if (slowStart === null) rebuild();
    return {
      policy: "least-request",
      pick(current: ClusterHosts, rng: Rng, request: PickRequest): number {
        hosts = current;
        now = request.now;
        if (current.endpoints.length !== size) rebuild();
        if (schedule !== null) return schedule.pickAndAdd(dynamicWeight);
        return fewestActiveOfDraws(current, rng, choiceCount);
      },
    };
  };
}

/** N choices with replacement; strictly fewer active requests replaces the best so far. */
function fewestActiveOfDraws(hosts: ClusterHosts, rng: Rng, choiceCount: number): number {
  const n = hosts.endpoints.length;
  let best = Math.floor(rng.next() * n);
  for (let i = 1; i < choiceCount; i++) {
    const candidate = Math.floor(rng.next() * n);
    if (hosts.active[candidate] < hosts.active[best]) best = candidate;
  }
  return best;
}

function allEqual(weights: Float64Array, n: number): boolean {
  for (let i = 1; i < n; i++) if (weights[i] !== weights[0]) return false;
  return true;
}
