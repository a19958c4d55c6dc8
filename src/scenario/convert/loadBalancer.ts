// A traffic policy's `loadBalancer` → LoadBalancerSpec: Envoy's parameter names with times in ms,
// optional settings made explicit (no slow start: null; no bounded load: null).
import type { ScenarioFile } from "../schema/scenario.ts";
import type { LoadBalancerSpec, SlowStartSpec } from "../types.ts";

type RawLoadBalancer = NonNullable<ScenarioFile["mesh"]["defaults"]["loadBalancer"]>;

type RawSlowStart = Extract<RawLoadBalancer, { policy: "least-request" }>["slowStartConfig"];

/** Istio's default policy when neither mesh.services.<name> nor mesh.defaults names one. */
export const DEFAULT_LOAD_BALANCER: LoadBalancerSpec = {
  policy: "least-request",
  choiceCount: 2,
  activeRequestBias: 1,
  slowStart: null,
};

function slowStartOf(raw: RawSlowStart): SlowStartSpec | null {
  return raw === undefined
    ? null
    : {
        windowMs: raw.slowStartWindow,
        aggression: raw.aggression,
        minWeightPercent: raw.minWeightPercent,
      };
}

export function toLoadBalancer(raw: RawLoadBalancer): LoadBalancerSpec {
  switch (raw.policy) {
    case "random":
      return { policy: raw.policy };
    case "round-robin":
    case "weighted-round-robin":
      return { policy: raw.policy, slowStart: slowStartOf(raw.slowStartConfig) };
    case "least-request":
      return {
        policy: raw.policy,
        choiceCount: raw.choiceCount,
        activeRequestBias: raw.activeRequestBias,
        slowStart: slowStartOf(raw.slowStartConfig),
      };
    case "peak-ewma":
      return { policy: raw.policy, decayTimeMs: raw.decayTime, defaultRttMs: raw.defaultRtt };
    case "ring-hash":
      return {
        policy: raw.policy,
        hashKey: raw.hashKey,
        minimumRingSize: raw.minimumRingSize,
        maximumRingSize: raw.maximumRingSize,
        hashBalanceFactor: raw.hashBalanceFactor ?? null,
      };
    case "maglev":
      return {
        policy: raw.policy,
        hashKey: raw.hashKey,
        tableSize: raw.tableSize,
        hashBalanceFactor: raw.hashBalanceFactor ?? null,
      };
  }
}
