// Scenario schema of two balancing settings that change which hosts get a request over time or
// space: Envoy slow start on a load balancer (and its conversion to the spec), and Istio's
// locality-prioritised failover.
import { z } from "zod";
import { ENVOY_SLOW_START, ISTIO_LOCALITY } from "../defaults.ts";
import type { SlowStartSpec } from "../types.ts";
import { duration, expecting, fields, integer } from "./leaves.ts";

/** Envoy slow_start_config (round-robin and least-request); Istio calls it `warmup`. */
export const slowStartSchema = fields("slowStartConfig", {
  slowStartWindow: duration("positive")
    .refine((ms) => Number.isInteger(ms), {
      message: "must be a whole number of milliseconds (Envoy keeps it in ms)",
    })
    .describe("How long a new host ramps up (Envoy slow_start_window)."),
  aggression: z
    .number({ error: expecting("a number > 0 (1.0 is a linear ramp)") })
    .positive()
    .refine(Number.isFinite, { message: "must be finite" })
    .default(ENVOY_SLOW_START.aggression)
    .describe("Shape of the ramp: weight × (age / window)^(1 / aggression); default 1.0."),
  minWeightPercent: integer(0, "a percent from 0 to 100")
    .max(100)
    .default(ENVOY_SLOW_START.minWeightPercent)
    .describe(
      "The least share of its weight a new host gets (Envoy min_weight_percent, default 10).",
    ),
});

/** A policy's `slowStartConfig` as its spec, or null when slow start is off. */
export function slowStartOf(
  raw: z.output<typeof slowStartSchema> | undefined,
): SlowStartSpec | null {
  return raw === undefined
    ? null
    : {
        windowMs: raw.slowStartWindow,
        aggression: raw.aggression,
        minWeightPercent: raw.minWeightPercent,
      };
}

/** Istio localityLbSetting: with outlier detection, the caller's zone is priority 0, the rest 1. */
export const localityLbSettingSchema = fields("localityLbSetting", {
  enabled: z
    .boolean({ error: expecting("true or false") })
    .default(ISTIO_LOCALITY.enabled)
    .describe(
      "Istio's default is on; it applies only where outlier detection is set, as in Istio.",
    ),
  overprovisioningFactor: integer(
    100,
    "an integer percent ≥ 100 (Envoy overprovisioning_factor, 140 = 1.4)",
  )
    .default(ISTIO_LOCALITY.overprovisioningFactor)
    .describe(
      "How much spare capacity a priority is assumed to have before traffic spills to the next.",
    ),
});
