// Envoy RANDOM: every host equally likely, one draw from the proxy's own stream per pick.
import type { Rng } from "../../kernel/random.ts";
import type { Balancer, ClusterHosts } from "./balancer.ts";

export function createRandom(): Balancer {
  return {
    policy: "random",
    pick(hosts: ClusterHosts, rng: Rng): number {
      return Math.floor(rng.next() * hosts.endpoints.length);
    },
  };
}
