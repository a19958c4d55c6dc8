// A service's pod lifecycle and autoscaling, with Kubernetes' names and defaults:
// `lifecycle` (startup time until the app accepts connections, a preStop delay, the termination
// grace period, restartPolicy with CrashLoopBackOff, a cold start's warm-up) and `autoscaling` (a HorizontalPodAutoscaler
// on average CPU utilization: the busy share of the instance's worker slots). Without `lifecycle`
// instances are ready at once and a killed one stays down unless its fault restarts it, as before.
// Built when a file has this section (deferred.ts), so other files never pay for it.
import { z } from "zod";
import { HPA_MAX_STABILIZATION_WINDOW_MS } from "../../control/autoscaler/hpaSpec.ts";
import { formatDuration } from "../../kernel/duration.ts";
import { KUBERNETES_HPA, KUBERNETES_POD } from "../defaults.ts";
import { LIMITS } from "../limits.ts";
import { deferred } from "./deferred.ts";
import { boundedInteger, duration, expecting, fields, integer, written } from "./leaves.ts";

export const lifecycleSchema = deferred(() =>
  fields("lifecycle", {
    startupTime: duration("nonnegative")
      .prefault(written(KUBERNETES_POD.startupTimeMs))
      .describe("From container start until the app accepts connections."),
    preStopDelay: duration("nonnegative")
      .prefault(written(KUBERNETES_POD.preStopDelayMs))
      .describe("A preStop hook's sleep: a deleted pod keeps serving this long before SIGTERM."),
    terminationGracePeriod: duration("nonnegative")
      .prefault(written(KUBERNETES_POD.terminationGracePeriodMs))
      .describe(
        "Kubernetes terminationGracePeriodSeconds: from deletion until what is left is killed.",
      ),
    restartPolicy: z
      .enum(["Always", "Never"], { error: expecting("Always or Never") })
      .default(KUBERNETES_POD.restartPolicy)
      .describe(
        "Always: the kubelet restarts a dead container after the CrashLoopBackOff delay (0 s, 10 s, 20 s, ... 300 s).",
      ),
    warmup: fields("warmup", {
      duration: duration("positive").describe(
        "From the app accepting connections until a new pod is as fast as an old one.",
      ),
      serviceTimeFactor: z
        .number({ error: expecting("a number ≥ 1") })
        .min(1)
        .describe("Service-time multiplier at a new pod's first call, decaying linearly to 1."),
    })
      .optional()
      .describe(
        "Cold starts of pods started during the run (autoscaled, rolled out, restarted); absent: a new pod is fast at once.",
      ),
  }),
);

const scalingRules = deferred(() =>
  fields("scaling rules", {
    stabilizationWindow: duration("nonnegative")
      .refine((ms) => Number.isInteger(ms), {
        message: "must be a whole number of milliseconds",
      })
      .refine((ms) => ms <= HPA_MAX_STABILIZATION_WINDOW_MS, {
        error: (issue) =>
          `must be at most 1h (Kubernetes' limit on stabilizationWindowSeconds), found ${formatDuration(Number(issue.input))}`,
      })
      .optional()
      .describe("The HPA's stabilizationWindowSeconds."),
    tolerance: z
      .number({ error: expecting("a number ≥ 0") })
      .min(0)
      .optional(),
  }),
);

export const autoscalingSchema = deferred(() =>
  fields("autoscaling", {
    minReplicas: integer(1, "an integer ≥ 1").default(KUBERNETES_HPA.minReplicas),
    maxReplicas: boundedInteger(1, LIMITS.instances, "an integer ≥ 1"),
    targetCPUUtilizationPercentage: integer(1, "a whole percentage ≥ 1")
      .default(KUBERNETES_HPA.targetCPUUtilizationPercentage)
      .describe(
        "Average utilization of the worker slots the HPA aims for (Kubernetes' default 80).",
      ),
    syncPeriod: duration("positive")
      .prefault(written(KUBERNETES_HPA.syncPeriodMs))
      .describe("--horizontal-pod-autoscaler-sync-period."),
    scaleUp: scalingRules.optional(),
    scaleDown: scalingRules.optional(),
  }),
);
