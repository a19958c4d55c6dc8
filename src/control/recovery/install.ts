// Puts the recovery side of the control plane into a built world: a Workload (pods, lifecycle,
// supervisor) for each service whose pods change over the run, its HorizontalPodAutoscaler and
// rolling updates, and, when no registry model is present, instant discovery of ready pods for
// every proxy. Services without lifecycle, autoscaling or rollouts are left exactly as they were.
import type { Scheduler } from "../../kernel/scheduler.ts";
import type { Sidecar } from "../../mesh/sidecar.ts";
import type { ModelObserver } from "../../model/observer.ts";
import type { Service } from "../../model/service.ts";
import type { RecoveryResult } from "../../result/recovery.ts";
import { Autoscaler } from "../autoscaler/scaler.ts";
import { ProxyDiscovery } from "../registry/discovery.ts";
import { RolloutController } from "../rollout/rolloutController.ts";
import type { DeploymentSpec, LifecycleSpec, RolloutSpec } from "../spec.ts";
import { IdealEndpoints } from "./idealEndpoints.ts";
import { Workload } from "./workload.ts";

export interface Recovery {
  readonly workloads: readonly Workload[];
  readonly autoscalers: readonly { service: string; autoscaler: Autoscaler }[];
  readonly rollouts: readonly RolloutController[];
}

/** `deployments[i]` is how service i's pods run (its lifecycle and autoscaler). */
export function installRecovery(
  services: readonly Service[],
  deployments: readonly DeploymentSpec[],
  rollouts: readonly RolloutSpec[],
  parts: { scheduler: Scheduler; observer: ModelObserver; proxies: readonly Sidecar[] },
): Recovery | null {
  const managed = services.filter(
    (s) =>
      deployments[s.index].lifecycle !== null ||
      deployments[s.index].autoscaling !== null ||
      rollouts.some((r) => r.service === s.name),
  );
  if (managed.length === 0) return null;
  const ideal = new IdealEndpoints();
  const workloads: Workload[] = [];
  const autoscalers: { service: string; autoscaler: Autoscaler }[] = [];
  for (const service of managed) {
    const { lifecycle, autoscaling } = deployments[service.index];
    const workload = new Workload(
      service,
      lifecycleOf(service, lifecycle),
      parts.scheduler,
      parts.observer,
    );
    workloads.push(workload);
    ideal.watch(service);
    if (autoscaling !== null)
      autoscalers.push({
        service: service.name,
        autoscaler: new Autoscaler(autoscaling, workload, parts.scheduler),
      });
  }
  const controllers = rollouts.map(
    (spec) =>
      new RolloutController(
        spec,
        workloads.find((w) => w.service.name === spec.service)!,
        parts.scheduler,
      ),
  );
  // A registry model gives each proxy its own lagged view instead. Without one, a proxy with active
  // health checks (a ProxyDiscovery of its own) takes the ready pods as its discovery.
  const followers: ProxyDiscovery[] = [];
  for (const proxy of parts.proxies) {
    if (proxy.control === null) proxy.control = ideal;
    else if (proxy.control instanceof ProxyDiscovery && !proxy.control.hasRegistry) {
      proxy.control.followReadyPods((i) => ideal.readyOf(i));
      followers.push(proxy.control);
    }
  }
  if (followers.length > 0)
    ideal.follow((serviceIndex, ready) =>
      followers.forEach((f) => {
        f.readyPodsChanged(serviceIndex, ready);
      }),
    );
  return { workloads, autoscalers, rollouts: controllers };
}

export function summariseRecovery(
  recovery: Recovery,
  round: (ms: number) => number,
): RecoveryResult {
  const pods: RecoveryResult["pods"] = {};
  for (const w of recovery.workloads)
    pods[w.service.name] = w.counts.map((c) => ({
      atMs: round(c.atMs),
      starting: c.starting,
      ready: c.ready,
      draining: c.draining,
    }));
  const autoscaling: RecoveryResult["autoscaling"] = {};
  for (const { service, autoscaler } of recovery.autoscalers) {
    autoscaling[service] = autoscaler.decisions.map((d) => ({
      ...d,
      atMs: round(d.atMs),
      metric: d.metric === null ? null : round(d.metric),
    }));
  }
  const rollouts = recovery.rollouts.map((r) => ({
    ...r.record,
    startedAtMs: round(r.record.startedAtMs),
    finishedAtMs: r.record.finishedAtMs === null ? null : round(r.record.finishedAtMs),
  }));
  return { pods, autoscaling, rollouts };
}

/** The loader gives every service whose pods a controller manages a lifecycle (Kubernetes' defaults). */
function lifecycleOf(service: Service, lifecycle: LifecycleSpec | null): LifecycleSpec {
  if (lifecycle === null)
    throw new Error(`internal: ${service.name}'s pods are managed but it has no lifecycle`);
  return lifecycle;
}
