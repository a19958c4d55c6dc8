// Scenario schema of two balancing settings that change which hosts get a request over time or
// space: Envoy slow start on a load balancer (and its conversion to the spec), and Istio's
// Istio's locality load balancing (region/zone/subzone failover, failoverPriority, distribute).
// Both are built when a file has them (deferred.ts).
import { z } from "zod";
import { ENVOY_SLOW_START, ISTIO_LOCALITY } from "../defaults.ts";
import type { SlowStartSpec } from "../types.ts";
import { deferred } from "./deferred.ts";
import { describeFound, duration, expecting, fields, integer } from "./leaves.ts";
import { LOCALITY_RULE_PATTERN, NAME_PATTERN } from "./patterns.ts";

/** Envoy slow_start_config (round-robin and least-request); Istio calls it `warmup`. */
export const slowStartSchema = deferred(() =>
  fields("slowStartConfig", {
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
  }),
);

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

/** An Istio locality rule: `region`, `region/zone` or `region/zone/subzone`, `*` matching anything. */
const localityRule = (what: string) =>
  z
    .string({ error: expecting(`${what}: a locality such as region/zone/subzone, * for any`) })
    .regex(LOCALITY_RULE_PATTERN, {
      message: `${what} is region, region/zone or region/zone/subzone (letters, digits, _, . and -, or *)`,
    });

const regionName = z
  .string({ error: expecting("a region name") })
  .regex(NAME_PATTERN, { message: "a region name is letters, digits, _, . and -" });

const failoverRule = deferred(() =>
  fields("a failover rule", {
    from: regionName.describe("The proxy's region this rule applies to."),
    to: regionName.describe(
      "The region its traffic fails over to once its own region is unhealthy.",
    ),
  }).superRefine((rule, ctx) => {
    // Istio's validation rejects a rule that fails a region over to itself.
    if (rule.from === rule.to)
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        input: rule.to,
        message: "must differ from `from`",
      });
  }),
);

const distributeRule = deferred(() =>
  fields("a distribute rule", {
    from: localityRule("from").describe("The proxies' locality this rule applies to."),
    to: z
      .record(
        z.string().regex(LOCALITY_RULE_PATTERN),
        integer(1, "a weight: an integer from 1 to 100").max(100),
        {
          error: (issue) =>
            issue.code === "invalid_key"
              ? `localities are region, region/zone or region/zone/subzone (or *); found ${describeFound(issue.input)}`
              : expecting("a map from localities to weights summing to 100")(issue),
        },
      )
      .describe("Locality → weight in percent; Istio requires the weights to sum to 100."),
  }).superRefine((rule, ctx) => {
    const total = Object.values(rule.to).reduce((sum, w) => sum + w, 0);
    if (total !== 100)
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        input: rule.to,
        message: `weights must sum to 100 (Istio's validation); they sum to ${total}`,
      });
  }),
);

/**
 * Istio localityLbSetting: with outlier detection, Envoy priorities by region/zone/subzone
 * (`failover`, `failoverPriority`); or `distribute`'s weighted localities.
 */
export const localityLbSettingSchema = deferred(() =>
  fields("localityLbSetting", {
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
    failover: z
      .array(failoverRule, { error: expecting("a list of { from, to } region pairs") })
      .default([])
      .describe("Istio failover: where a region's traffic goes once it is unhealthy."),
    failoverPriority: z
      .array(
        z
          .string({ error: expecting("a label name, or name=value") })
          .regex(/^[A-Za-z0-9_./-]+(=[A-Za-z0-9_.-]*)?$/, {
            message: "is a label name, or name=value",
          }),
        { error: expecting("a list of label names") },
      )
      .default([])
      .describe("Istio failoverPriority: labels ordering the priorities (matching ones first)."),
    distribute: z
      .array(distributeRule, { error: expecting("a list of { from, to } rules") })
      .default([])
      .describe("Istio distribute: weighted shares of localities (no failover priorities then)."),
  }).superRefine((setting, ctx) => {
    // Istio's API: only one of distribute and failover/failoverPriority can be set.
    if (
      setting.distribute.length > 0 &&
      setting.failover.length + setting.failoverPriority.length > 0
    )
      ctx.addIssue({
        code: "custom",
        path: ["distribute"],
        input: setting.distribute,
        message: "cannot be set together with failover or failoverPriority (Istio allows only one)",
      });
  }),
);
