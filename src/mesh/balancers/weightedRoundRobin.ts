// Envoy ROUND_ROBIN over unequal `load_balancing_weight`s: an EDF schedule (edf.ts) where a host
// of weight w is due every 1/w of virtual time, so over any window each host gets its share
// w/Σw of picks up to one pick. Ties go first-in first-out, hosts first queued in id order; with
// equal weights this is the plain rotation 0, 1, ..., n−1. Left out: Envoy's random start offset.
// With slow start (slowStart.ts) a host's weight is w × its slow-start factor, read when it is
// queued (Envoy's pickAndAdd recomputes the picked host's weight).
import type { Rng } from "../../kernel/random.ts";
import type { Balancer, BalancerFactory, ClusterHosts, PickRequest } from "./balancer.ts";
import { EdfSchedule } from "./edf.ts";
import { type SlowStartConfig, slowStartFactorOf } from "./slowStart.ts";

export function createWeightedRoundRobin(
  config: { readonly slowStart: SlowStartConfig | null } = { slowStart: null },
): BalancerFactory {
  return (built: ClusterHosts): Balancer =>
    edfRoundRobin("weighted-round-robin", built, (hosts, i) => hosts.weights[i], config.slowStart);
}

/**
 * Envoy's EDF round robin over `baseWeight` × the slow-start factor (when slow start is on), the
 * weight read when a host is queued. Shared with round-robin's slow-start mode (unit weights).
 */
export function edfRoundRobin(
  policy: string,
  built: ClusterHosts,
  baseWeight: (hosts: ClusterHosts, index: number) => number,
  slowStart: SlowStartConfig | null,
): Balancer {
  let hosts = built;
  let now = 0;
  // A re-queued host takes its weight as it is now (Envoy rebuilds on weight updates).
  const weightOf =
    slowStart === null
      ? (i: number) => baseWeight(hosts, i)
      : (i: number) => baseWeight(hosts, i) * slowStartFactorOf(slowStart, hosts, i, now);
  // Built at the first pick, when the time (and so each slow-start factor) is known.
  let schedule: EdfSchedule | null = null;
  return {
    policy,
    pick(current: ClusterHosts, _rng: Rng, request: PickRequest): number {
      hosts = current;
      now = request.now;
      // Envoy rebuilds its schedule when the host set changes; so does this.
      if (schedule === null || schedule.size !== current.endpoints.length)
        schedule = new EdfSchedule(current.endpoints.length, weightOf);
      return schedule.pickAndAdd(weightOf);
    },
  };
}
