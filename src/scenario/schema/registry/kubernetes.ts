// Kubernetes Endpoints pushed by istiod in a scenario file: `registry: { kind: kubernetes, ... }`,
// the readiness probe, the kubelet's PLEG relist and istiod's debounce. A probe's timeout must be
// shorter than its period (the kubelet probes one at a time).
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import type { z } from "zod";
import { formatDuration } from "../../../kernel/duration.ts";
import { KUBERNETES_DEFAULTS as d } from "../../defaults.ts";
import { deferred } from "../deferred.ts";
import { duration, integer } from "../leaves.ts";
import { type KindFormat, kindShape, pushDelay, type SpecOf } from "./format.ts";

/** Built when a file's registry is of this kind (../deferred.ts). */
const schema = deferred(() =>
  kindShape("kubernetes", {
    period: duration("positive").optional().describe("Readiness probe periodSeconds (10s)."),
    timeout: duration("positive").optional().describe("Readiness probe timeoutSeconds (1s)."),
    failureThreshold: integer(1, "an integer ≥ 1")
      .optional()
      .describe("Readiness probe failureThreshold (3)."),
    successThreshold: integer(1, "an integer ≥ 1")
      .optional()
      .describe("Readiness probe successThreshold (1)."),
    plegRelistPeriod: duration("positive")
      .optional()
      .describe("Kubelet PLEG relist period (1s): how soon a dead container is noticed."),
    debounceAfter: duration("positive").optional().describe("Istio PILOT_DEBOUNCE_AFTER (100ms)."),
    debounceMax: duration("positive").optional().describe("Istio PILOT_DEBOUNCE_MAX (10s)."),
    pushDelay,
  }).superRefine((k, ctx) => {
    const period = k.period ?? d.periodMs;
    const timeout = k.timeout ?? d.timeoutMs;
    if (timeout >= period) {
      const message = `must be shorter than the period (${formatDuration(period)}): the kubelet probes one at a time, found ${formatDuration(timeout)}`;
      ctx.addIssue({
        code: "custom",
        path: [k.timeout !== undefined ? "timeout" : "period"],
        input: timeout,
        message,
      });
    }
  }),
);

export const kubernetes = {
  schema,
  toSpec(raw: z.output<typeof schema>): SpecOf<"kubernetes"> {
    return {
      kind: "kubernetes",
      periodMs: raw.period ?? d.periodMs,
      timeoutMs: raw.timeout ?? d.timeoutMs,
      failureThreshold: raw.failureThreshold ?? d.failureThreshold,
      successThreshold: raw.successThreshold ?? d.successThreshold,
      plegRelistPeriodMs: raw.plegRelistPeriod ?? d.plegRelistPeriodMs,
      debounceAfterMs: raw.debounceAfter ?? d.debounceAfterMs,
      debounceMaxMs: raw.debounceMax ?? d.debounceMaxMs,
      pushDelayMs: raw.pushDelay ?? d.pushDelayMs,
    };
  },
} satisfies KindFormat<"kubernetes", z.output<typeof schema>>;
