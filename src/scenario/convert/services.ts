// The `services` section → ServiceSpecs in file order: versions (one `default` version when none
// are given) and their instance total, the call graph's steps, the pod lifecycle, the HPA, and the
// traffic policy callers apply to the service. Checks what needs more than one field at a time.
import { KUBERNETES_HPA, KUBERNETES_POD, VERSION } from "../defaults.ts";
import type { RawCallStep, ScenarioFile } from "../schema/scenario.ts";
import type {
  AutoscalingSpec,
  CallStep,
  LifecycleSpec,
  OperationRef,
  OperationSpec,
  ServiceSpec,
  VersionSpec,
} from "../types.ts";
import type { Conversion } from "./context.ts";
import { trafficPolicyFor } from "./trafficPolicy.ts";

type RawService = ScenarioFile["services"][string];

export function servicesOf(file: ScenarioFile, cx: Conversion): ServiceSpec[] {
  const rolledOut = new Set(file.changes.flatMap((c) => (c.kind === "rollout" ? [c.service] : [])));
  return cx.ordered(file.services, ["services"]).map(([name, service]): ServiceSpec => {
    const { instances, versions } = versionsOf(service, name, cx);
    return {
      name,
      instances,
      versions,
      concurrency: service.concurrency,
      queueCapacity: service.queue?.capacity ?? Infinity,
      threading: service.threading,
      zones: service.zones,
      subzones: service.subzones ?? [],
      cache: service.cache ?? null,
      warmup:
        service.lifecycle?.warmup === undefined
          ? null
          : {
              durationMs: service.lifecycle.warmup.duration,
              serviceTimeFactor: service.lifecycle.warmup.serviceTimeFactor,
            },
      trafficPolicy: trafficPolicyFor(file, name, versions, cx.findings),
      lifecycle: lifecycleOf(
        service.lifecycle,
        service.autoscaling !== undefined || rolledOut.has(name),
      ),
      autoscaling: autoscalingOf(service, name, versions, cx),
      operations: cx.ordered(service.operations, ["services", name, "operations"]).map(
        ([opName, op]): OperationSpec => ({
          name: opName,
          serviceTime: op.serviceTime,
          errorRate: op.errorRate,
          calls: op.calls.map(toStep),
          onCancel: op.onCancel,
          commitPoint: op.commitPoint,
        }),
      ),
    };
  });
}

/** `service.operation` (the schema checked the pattern) as its two names. */
export function toRef(text: string): OperationRef {
  const dot = text.indexOf(".");
  return { service: text.slice(0, dot), operation: text.slice(dot + 1) };
}

function toStep(step: RawCallStep): CallStep {
  if (step.parallel !== undefined)
    return { kind: "parallel", steps: step.parallel.map(toStep), probability: step.probability };
  return { kind: "call", target: toRef(step.call ?? ""), probability: step.probability };
}

/** The pod lifecycle; Kubernetes' defaults when a controller (HPA, rollout) manages pods the file gives none. */
function lifecycleOf(raw: RawService["lifecycle"], managed: boolean): LifecycleSpec | null {
  if (raw === undefined) return managed ? { ...KUBERNETES_POD } : null;
  return {
    startupTimeMs: raw.startupTime,
    preStopDelayMs: raw.preStopDelay,
    terminationGracePeriodMs: raw.terminationGracePeriod,
    restartPolicy: raw.restartPolicy,
  };
}

/** The service's HPA; it scales the one version the service runs (a Deployment), between min and max. */
function autoscalingOf(
  service: RawService,
  name: string,
  versions: VersionSpec[],
  cx: Conversion,
): AutoscalingSpec | null {
  const raw = service.autoscaling;
  if (raw === undefined) return null;
  const path = ["services", name, "autoscaling"];
  if (versions.filter((v) => v.instances > 0).length > 1) {
    cx.findings.push({
      path,
      at: "key",
      message:
        "scales one Deployment: give the service one running version (others may have 0 instances)",
    });
  }
  const running = versions.reduce((n, v) => n + v.instances, 0);
  if (raw.maxReplicas < raw.minReplicas) {
    cx.findings.push({
      path: [...path, "maxReplicas"],
      at: "value",
      message: `must be ≥ minReplicas (${raw.minReplicas}), found ${raw.maxReplicas}`,
    });
  } else if (running < raw.minReplicas || running > raw.maxReplicas) {
    cx.findings.push({
      path: [...path, "maxReplicas"],
      at: "value",
      message: `the service starts with ${running} instances, outside [minReplicas ${raw.minReplicas}, maxReplicas ${raw.maxReplicas}]`,
    });
  }
  const rules = (
    r: { stabilizationWindow?: number; tolerance?: number } | undefined,
    d: AutoscalingSpec["scaleUp"],
  ) => ({
    stabilizationWindowMs: r?.stabilizationWindow ?? d.stabilizationWindowMs,
    tolerance: r?.tolerance ?? d.tolerance,
  });
  return {
    minReplicas: raw.minReplicas,
    maxReplicas: raw.maxReplicas,
    targetCPUUtilizationPercentage: raw.targetCPUUtilizationPercentage,
    syncPeriodMs: raw.syncPeriod,
    scaleUp: rules(raw.scaleUp, KUBERNETES_HPA.scaleUp),
    scaleDown: rules(raw.scaleDown, KUBERNETES_HPA.scaleDown),
  };
}

/** The versions of a service (one `default` version when none are given) and their total. */
function versionsOf(
  service: RawService,
  name: string,
  cx: Conversion,
): { instances: number; versions: VersionSpec[] } {
  if (service.versions === undefined) {
    const instances = service.instances ?? VERSION.instances;
    return {
      instances,
      versions: [
        {
          name: "default",
          instances,
          labels: { version: "default" },
          weight: VERSION.weight,
          serviceTimeFactor: VERSION.serviceTimeFactor,
        },
      ],
    };
  }
  const versions = cx.ordered(service.versions, ["services", name, "versions"]).map(
    ([versionName, v]): VersionSpec => ({
      name: versionName,
      instances: v.instances,
      labels: { ...v.labels, version: versionName },
      weight: v.weight,
      serviceTimeFactor: v.serviceTimeFactor,
    }),
  );
  const total = versions.reduce((sum, v) => sum + v.instances, 0);
  const path = ["services", name, "versions"];
  if (versions.length === 0) {
    cx.findings.push({ path, at: "value", message: "needs at least one version" });
  } else if (total === 0) {
    cx.findings.push({
      path,
      at: "value",
      message:
        "needs at least one instance at the start; only a rollout's target version may have 0",
    });
  } else if (service.instances !== undefined && service.instances !== total) {
    const message = `is ${service.instances} but the versions add up to ${total}; give one or make them agree`;
    cx.findings.push({ path: ["services", name, "instances"], at: "value", message });
  }
  return { instances: total, versions };
}
