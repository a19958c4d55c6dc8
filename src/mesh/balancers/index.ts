// From a scenario's load-balancer spec to the policy's factory: the one place that knows every
// policy by its Envoy/Istio name. A factory is made once per upstream service and shared by all
// callers' proxies, so hashing tables are built once (each proxy still keeps its own state).
import type { LoadBalancerSpec, SlowStartSpec } from "../../scenario/types.ts";
import type { BalancerFactory } from "./balancer.ts";
import { createLeastRequest } from "./leastRequest.ts";
import { createMaglev } from "./maglev.ts";
import { createPeakEwma } from "./peakEwma.ts";
import { createRandom } from "./random.ts";
import { createRingHash } from "./ringHash.ts";
import { createRoundRobin } from "./roundRobin.ts";
import { type SlowStartConfig, slowStartConfig } from "./slowStart.ts";
import { createWeightedRoundRobin } from "./weightedRoundRobin.ts";

export function createBalancerFactory(spec: LoadBalancerSpec): BalancerFactory {
  switch (spec.policy) {
    case "random":
      return createRandom();
    case "round-robin":
      return createRoundRobin(slowStartOf(spec.slowStart));
    case "weighted-round-robin":
      return createWeightedRoundRobin(slowStartOf(spec.slowStart));
    case "least-request":
      return createLeastRequest({
        choiceCount: spec.choiceCount,
        activeRequestBias: spec.activeRequestBias,
        slowStart: slowStartOf(spec.slowStart),
      });
    case "peak-ewma":
      return createPeakEwma({ decayTimeMs: spec.decayTimeMs, defaultRttMs: spec.defaultRttMs });
    case "ring-hash":
      return createRingHash(spec);
    case "maglev":
      return createMaglev(spec);
  }
}

/** The policy's slow start, checked, or null when it has none (or cannot have one). */
export function slowStartOf(spec: SlowStartSpec | null | undefined): SlowStartConfig | null {
  return spec == null
    ? null
    : slowStartConfig(spec.windowMs, spec.aggression, spec.minWeightPercent);
}

/** The slow start of a load-balancer spec, or null. */
export function slowStartOfPolicy(spec: LoadBalancerSpec): SlowStartConfig | null {
  return "slowStart" in spec ? slowStartOf(spec.slowStart) : null;
}

/** The request key a hashing policy hashes, or null for policies that hash nothing. */
export function hashKeyOf(spec: LoadBalancerSpec): string | null {
  return spec.policy === "ring-hash" || spec.policy === "maglev" ? spec.hashKey : null;
}
