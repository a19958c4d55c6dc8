// Envoy ROUND_ROBIN over unequal `load_balancing_weight`s: an EDF schedule (edf.ts) where a host
// of weight w is due every 1/w of virtual time, so over any window each host gets its share
// w/Σw of picks up to one pick. Ties go first-in first-out, hosts first queued in id order; with
// equal weights this is the plain rotation 0, 1, ..., n−1. Left out: Envoy's random start offset.
import type { Balancer, BalancerFactory, ClusterHosts } from "./balancer.ts";
import { EdfSchedule } from "./edf.ts";

export function createWeightedRoundRobin(): BalancerFactory {
  return (built: ClusterHosts): Balancer => {
    let hosts = built;
    // A re-queued host takes its weight as it is now (Envoy rebuilds on weight updates).
    const weightOf = (i: number) => hosts.weights[i];
    let schedule = new EdfSchedule(hosts.endpoints.length, weightOf);
    return {
      policy: "weighted-round-robin",
      pick(current: ClusterHosts): number {
        hosts = current;
        // Envoy rebuilds its schedule when the host set changes; so does this.
        if (schedule.size !== current.endpoints.length) schedule = new EdfSchedule(current.endpoints.length, weightOf);
        return schedule.pickAndAdd(weightOf);
      },
    };
  };
}
