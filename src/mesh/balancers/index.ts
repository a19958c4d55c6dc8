// The load-balancing policies by their Envoy/Istio names: one registration line per policy. The
// table must hold a factory for every member of LoadBalancerSpec, and each factory must accept its
// member (the compiler checks both). A factory is made once per upstream service and shared by all
// callers' proxies, so hashing tables are built once (each proxy still keeps its own state). The
// scenario format of each policy (schema, conversion) is src/scenario/schema/balancers/'s.
import type { LoadBalancerPolicy, LoadBalancerSpec } from "../spec.ts";
import { type BalancerFactory, type KeyHashing, keyHashing } from "./balancer.ts";
import { createLeastRequest } from "./leastRequest.ts";
import { createMaglev } from "./maglev.ts";
import { createPeakEwma } from "./peakEwma.ts";
import { createRandom } from "./random.ts";
import { createRingHash } from "./ringHash.ts";
import { createRoundRobin } from "./roundRobin.ts";
import type { SlowStartConfig } from "./slowStart.ts";
import { createWeightedRoundRobin } from "./weightedRoundRobin.ts";

type SpecOf<P extends LoadBalancerPolicy> = Extract<LoadBalancerSpec, { policy: P }>;

/** Every policy, in the order messages list them. */
const POLICIES = {
  random: createRandom,
  "round-robin": createRoundRobin,
  "weighted-round-robin": createWeightedRoundRobin,
  "least-request": createLeastRequest,
  "peak-ewma": createPeakEwma,
  "ring-hash": createRingHash,
  maglev: createMaglev,
} satisfies { [P in LoadBalancerPolicy]: (spec: SpecOf<P>) => BalancerFactory };

export const LB_POLICIES = Object.keys(POLICIES) as LoadBalancerPolicy[];

export function createBalancerFactory(spec: LoadBalancerSpec): BalancerFactory {
  const create = POLICIES[spec.policy] as (spec: LoadBalancerSpec) => BalancerFactory;
  return create(spec);
}

/** The slow start of a load-balancer spec, or null (off, or a policy without one). */
export function slowStartOfPolicy(spec: LoadBalancerSpec): SlowStartConfig | null {
  return "slowStart" in spec ? spec.slowStart : null;
}

/** The request key a hashing policy hashes and how, or null for policies that hash nothing. */
export function hashKeyOf(spec: LoadBalancerSpec): KeyHashing | null {
  return "hashKey" in spec ? keyHashing(spec.hashKey, spec.hashFunction) : null;
}
