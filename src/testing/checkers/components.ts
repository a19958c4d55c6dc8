// Reading the state changes' component names (`breaker gateway-0->payment`, `outlier
// gateway-0->payment-2`) and the scenario's settings for one upstream, shared by the checkers.
import type { ResilienceSpec, Scenario } from "../../scenario/types.ts";

/** `breaker P->S` or `outlier P->I` → [P, S or I], or null for other components. */
export function edgeOf(component: string, prefix: "breaker" | "outlier"): [string, string] | null {
  if (!component.startsWith(`${prefix} `)) return null;
  const rest = component.slice(prefix.length + 1);
  const arrow = rest.lastIndexOf("->");
  return arrow < 0 ? null : [rest.slice(0, arrow), rest.slice(arrow + 2)];
}

/** The service of an instance id (`payment-2` → `payment`): ids are `<service>-<index>`. */
export function serviceOfInstance(id: string): string {
  return id.slice(0, id.lastIndexOf("-"));
}

/** Envoy's "unlimited" (2^32 − 1), which Istio sets for every connection-pool limit by default. */
const ENVOY_UNLIMITED = 2 ** 32 - 1;

/** The resilience settings callers' proxies apply to `service` as the file sets them. */
export function resilienceOf(scenario: Scenario, service: string): ResilienceSpec | null {
  return scenario.services.find((s) => s.name === service)?.trafficPolicy.resilience ?? null;
}

/** Whether a connection pool can hold a try after the breaker let it through (so it may leave later). */
export function poolMayHold(resilience: ResilienceSpec): boolean {
  const pool = resilience.connectionPool;
  return pool.maxRequests < ENVOY_UNLIMITED || pool.maxConnections < ENVOY_UNLIMITED;
}

/** Whether config pushes may change a service's settings during the run (checkers then skip them). */
export function pushesChange(scenario: Scenario): boolean {
  return scenario.changes.some((c) => c.kind === "config-push");
}
