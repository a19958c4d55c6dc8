// Envoy LEAST_REQUEST with equal weights (Istio's default policy): draw `choiceCount` hosts
// uniformly *with replacement* (default 2, minimum 2) and take the one with the fewest active
// requests from this proxy; on a tie the earlier draw wins. With two hosts the busier one is
// therefore picked 25% of the time, as Envoy's proto notes. Weighted hosts (EDF) come later.
import type { Rng } from "../../kernel/random.ts";
import type { Balancer, ClusterHosts } from "./balancer.ts";

export function createLeastRequest(choiceCount = 2): Balancer {
  if (!Number.isInteger(choiceCount) || choiceCount < 2) {
    throw new Error(`least-request choiceCount must be an integer >= 2, got ${choiceCount}`);
  }
  return {
    policy: "least-request",
    pick(hosts: ClusterHosts, rng: Rng): number {
      const n = hosts.endpoints.length;
      let best = Math.floor(rng.next() * n);
      for (let i = 1; i < choiceCount; i++) {
        const candidate = Math.floor(rng.next() * n);
        if (hosts.active[candidate] < hosts.active[best]) best = candidate;
      }
      return best;
    },
  };
}
