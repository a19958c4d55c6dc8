// A traffic policy's `healthCheck`: Envoy's active health checking by each calling proxy, the four
// required fields (no defaults), and its conversion to the checker's config (times in ms).
// Built when a file has this section (deferred.ts), so other files never pay for it.
import type { z } from "zod";
import type { HealthCheckSpec } from "../../mesh/spec.ts";
import { deferred } from "./deferred.ts";
import { duration, fields, integer } from "./leaves.ts";

/** A traffic policy's `healthCheck`: Envoy's four required fields, no defaults. */
export const healthCheckSchema = deferred(() =>
  fields("an active health check", {
    interval: duration("positive").describe("Envoy interval: time between checks of each host."),
    timeout: duration("positive").describe(
      "Envoy timeout: a check without an answer by then fails.",
    ),
    unhealthyThreshold: integer(1, "an integer ≥ 1").describe(
      "Envoy unhealthy_threshold: failed checks in a row before a host is unhealthy.",
    ),
    healthyThreshold: integer(1, "an integer ≥ 1").describe(
      "Envoy healthy_threshold: passed checks in a row before it is healthy again.",
    ),
  }),
);

export type RawHealthCheck = z.output<typeof healthCheckSchema>;

export function toHealthCheck(raw: RawHealthCheck): HealthCheckSpec {
  return {
    intervalMs: raw.interval,
    timeoutMs: raw.timeout,
    unhealthyThreshold: raw.unhealthyThreshold,
    healthyThreshold: raw.healthyThreshold,
  };
}
