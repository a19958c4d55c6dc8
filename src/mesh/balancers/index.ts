// From a scenario's load-balancer spec to the policy's factory: the one place that knows every
// policy by its Envoy/Istio name. A factory is made once per upstream service and shared by all
// callers' proxies, so hashing tables are built once (each proxy still keeps its own state).
import type { LoadBalancerSpec } from "../../scenario/types.ts";
import type { BalancerFactory } from "./balancer.ts";
import { createLeastRequest } from "./leastRequest.ts";
import { createMaglev } from "./maglev.ts";
import { createPeakEwma } from "./peakEwma.ts";
import { createRandom } from "./random.ts";
import { createRingHash } from "./ringHash.ts";
import { createRoundRobin } from "./roundRobin.ts";
import { createWeightedRoundRobin } from "./weightedRoundRobin.ts";

export function createBalancerFactory(spec: LoadBalancerSpec): BalancerFactory {
  switch (spec.policy) {
    case "random":
      return createRandom();
    case "round-robin":
      return createRoundRobin();
    case "weighted-round-robin":
      return createWeightedRoundRobin();
    case "least-request":
      return createLeastRequest({ choiceCount: spec.choiceCount, activeRequestBias: spec.activeRequestBias });
    case "peak-ewma":
      return createPeakEwma({ decayTimeMs: spec.decayTimeMs, defaultRttMs: spec.defaultRttMs });
    case "ring-hash":
      return createRingHash(spec);
    case "maglev":
      return createMaglev(spec);
  }
}

/** The request key a hashing policy hashes, or null for policies that hash nothing. */
export function hashKeyOf(spec: LoadBalancerSpec): string | null {
  return spec.policy === "ring-hash" || spec.policy === "maglev" ? spec.hashKey : null;
}
