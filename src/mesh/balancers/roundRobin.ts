// Envoy ROUND_ROBIN with equal weights: a plain rotation over the hosts in id order. Each proxy
// keeps its own cursor, starting at host 0 (Envoy starts at a random offset per worker; meshsim
// starts every cursor at 0 so that runs are easy to read). Weights are ignored here; the
// `weighted-round-robin` policy (weightedRoundRobin.ts) runs Envoy's EDF schedule over them.
// With slow start (slowStart.ts) and a host in its window when the view was built, Envoy leaves
// the rotation for its EDF scheduler over weight 1 × the slow-start factor, read at each pick.
import type { Balancer, BalancerFactory, ClusterHosts } from "./balancer.ts";
import { anyInSlowStart, type SlowStartConfig } from "./slowStart.ts";
import { edfRoundRobin } from "./weightedRoundRobin.ts";

export function createRoundRobin(
  config: { readonly slowStart: SlowStartConfig | null } = { slowStart: null },
): BalancerFactory {
  const { slowStart } = config;
  return (built: ClusterHosts): Balancer => {
    if (anyInSlowStart(slowStart, built))
      return edfRoundRobin("round-robin", built, () => 1, slowStart);
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
