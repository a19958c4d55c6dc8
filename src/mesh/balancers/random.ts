// Envoy RANDOM: every host equally likely, one draw from the proxy's own stream per pick.
// Weights are ignored, as in Envoy's unweighted random policy; no per-proxy state.
import type { Rng } from "../../kernel/random.ts";
import type { Balancer, BalancerFactory, ClusterHosts } from "./balancer.ts";

const random: Balancer = {
  policy: "random",
  pick(hosts: ClusterHosts, rng: Rng): number {
    return Math.floor(rng.next() * hosts.endpoints.length);
  },
};

/** No settings (Envoy's RANDOM has none that meshsim models). */
export function createRandom(_config: Readonly<Record<never, never>> = {}): BalancerFactory {
  return () => random;
}
