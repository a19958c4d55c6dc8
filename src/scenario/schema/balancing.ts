// Scenario schema of two balancing settings that change which hosts get a request over time or
// space: Envoy slow start on a load balancer, and Istio's locality-prioritised failover.
import { z } from "zod";
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
    .default(1)
    .describe("Shape of the ramp: weight × (age / window)^(1 / aggression); default 1.0."),
  minWeightPercent: integer(0, "a percent from 0 to 100")
    .max(100)
    .default(10)
    .describe(
      "The least share of its weight a new host gets (Envoy min_weight_percent, default 10).",
    ),
});

/** Istio localityLbSetting: with outlier detection, the caller's zone is priority 0, the rest 1. */
export const localityLbSettingSchema = fields("localityLbSetting", {
  enabled: z
    .boolean({ error: expecting("true or false") })
    .default(true)
    .describe(
      "Istio's default is on; it applies only where outlier detection is set, as in Istio.",
    ),
  overprovisioningFactor: integer(
    100,
    "an integer percent ≥ 100 (Envoy overprovisioning_factor, 140 = 1.4)",
  )
    .default(140)
    .describe(
      "How much spare capacity a priority is assumed to have before traffic spills to the next.",
    ),
});
