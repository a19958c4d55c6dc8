// Envoy ROUND_ROBIN with equal weights: a plain rotation over the hosts in id order. Each proxy
// keeps its own cursor, starting at host 0 (Envoy starts at a random offset per worker; meshsim
// starts every cursor at 0 so that runs are easy to read). Weights are ignored here; the
// `weighted-round-robin` policy (weightedRoundRobin.ts) runs Envoy's EDF schedule over them.
import type { Balancer, BalancerFactory, ClusterHosts } from "./balancer.ts";

export function createRoundRobin(): BalancerFactory {
  return (): Balancer => {
    let cursor = 0;
    return {
      policy: "round-robin",
      pick(hosts: ClusterHosts): number {
        const n = hosts.endpoints.length;
        if (cursor >= n) cursor = 0;
        return cursor++;
      },
    };
  };
}
