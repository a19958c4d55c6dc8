// Istio's fault-injection delay (fixedDelay) with Toxiproxy's jitter in a scenario file: a share of
// the calls to some instances, or of one edge's calls, is delayed; the jitter is at most the delay.
import { duration } from "../leaves.ts";
import { kindShape, lasting, percentage } from "./format.ts";
import { trafficTarget } from "./targets.ts";

export const delay = kindShape("delay", {
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
});
