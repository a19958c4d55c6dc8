// Istio's fault-injection delay (fixedDelay) with Toxiproxy's jitter in a scenario file: a share of
// the calls to some instances, or of one edge's calls, is delayed; the jitter is at most the delay.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import { constant, uniform } from "../../../kernel/distributions.ts";
import { toTrafficTarget } from "../../resolve/faultTargets.ts";
import { deferred } from "../deferred.ts";
import { duration } from "../leaves.ts";
import { faultKind, kindShape, lasting, percentage } from "./format.ts";
import { trafficTarget } from "./targets.ts";

/** Built when a file has a fault of this kind (../deferred.ts). */
const format = deferred(() =>
  kindShape("delay", {
    duration: lasting,
    delay: duration("positive").describe(
      "Added one-way delay on the request (Istio fixedDelay, Toxiproxy latency).",
    ),
    jitter: duration("nonnegative")
      .prefault(0)
      .describe("Toxiproxy jitter: the delay is uniform on [delay − jitter, delay + jitter)."),
    percentage,
    target: trafficTarget,
  }).superRefine((fault, ctx) => {
    if (fault.jitter > fault.delay) {
      ctx.addIssue({
        code: "custom",
        path: ["jitter"],
        input: fault.jitter,
        message: "must be at most the delay, so the delay never goes below 0",
      });
    }
  }),
);

export const delay = faultKind(format, (fault, start, targetPath, ctx) => ({
  ...start,
  kind: fault.kind,
  target: toTrafficTarget(fault.target, targetPath, ctx),
  durationMs: fault.duration ?? null,
  // Toxiproxy's latency toxic: latency ± jitter, uniformly.
  delay:
    fault.jitter === 0
      ? constant(fault.delay)
      : uniform(fault.delay - fault.jitter, fault.delay + fault.jitter),
  percentage: fault.percentage,
}));
