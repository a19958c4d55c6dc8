// The model half of a built world: each service with its operations, its instances (running ones,
// then standby slots a rollout or the autoscaler may start, each in its zone and subzone) and its
// resolved call graph. Mesh, control plane and loads are wired on top by build.ts.
import { resolveFenceposts } from "../control/rollout/rollingUpdate.ts";
import type { RolloutSpec } from "../control/spec.ts";
import type { SimContext } from "../model/context.ts";
import { Instance } from "../model/instance.ts";
import { Operation, type Step } from "../model/operation.ts";
import { Service } from "../model/service.ts";
import type {
  CallStep,
  RolloutChangeSpec,
  Scenario,
  ServiceModelSpec,
  ServiceSpec,
  VersionSpec,
} from "./types.ts";

/** Whether a service's pods are managed over the run (lifecycle, autoscaling or a rollout). */
export function workloadNeeded(spec: ServiceSpec, scenario: Scenario): boolean {
  return (
    spec.lifecycle !== null ||
    spec.autoscaling !== null ||
    rolloutsOf(scenario).some((r) => r.service === spec.name)
  );
}

export function rolloutsOf(scenario: Scenario): RolloutSpec[] {
  return scenario.changes.filter((c): c is RolloutChangeSpec => c.kind === "rollout");
}

/**
 * Instance slots per version: the running ones, and standby ones a rollout or the autoscaler may
 * start: the autoscaler's headroom up to maxReplicas on the running version, and for a rollout's
 * target version as many as the service may run.
 */
export function slotsOf(
  spec: ServiceSpec,
  scenario: Scenario,
): { version: VersionSpec; running: number; standby: number }[] {
  const running = spec.versions.reduce((n, v) => n + v.instances, 0);
  const most =
    spec.autoscaling === null ? running : Math.max(running, spec.autoscaling.maxReplicas);
  const rollouts = rolloutsOf(scenario).filter((r) => r.service === spec.name);
  const targets = new Set(rollouts.map((r) => r.toVersion));
  // Autoscaled during a rollout, any ReplicaSet may grow (proportional scaling) up to replicas + maxSurge.
  const scaledInRollout = spec.autoscaling !== null && rollouts.length > 0;
  const bound = scaledInRollout
    ? most + Math.max(...rollouts.map((r) => resolveFenceposts(r.strategy, most).surge))
    : most;
  return spec.versions.map((version) => {
    let standby = 0;
    if (scaledInRollout) standby = bound - version.instances;
    else if (targets.has(version.name)) standby = most - version.instances;
    else if (spec.autoscaling !== null && version.instances > 0) standby = most - running;
    return { version, running: version.instances, standby: Math.max(0, standby) };
  });
}

export function buildServices(scenario: Scenario, ctx: SimContext): Service[] {
  const services = scenario.services.map((spec, index) => {
    const service = new Service(spec.name, index, modelSpecOf(spec));
    for (const op of spec.operations) {
      const operation = new Operation(service, op.name, op.serviceTime, op.errorRate);
      operation.abortOnCancel = op.onCancel === "abort";
      operation.commitPoint = op.commitPoint;
      service.operations.push(operation);
    }
    // Running instances first, then standby slots (surge, autoscaling headroom), so ids of the
    // running ones never depend on whether the service can grow.
    let i = 0;
    const slots = slotsOf(spec, scenario);
    for (const standby of [false, true]) {
      for (const slot of slots) {
        for (let k = 0; k < (standby ? slot.standby : slot.running); k++, i++) {
          const zone = spec.zones[i % spec.zones.length];
          const instance = new Instance(`${spec.name}-${i}`, i, service, zone, slot.version, ctx);
          instance.locality = {
            region: scenario.network.regions.get(zone) ?? "",
            zone,
            subzone: spec.subzones.length === 0 ? "" : spec.subzones[i % spec.subzones.length],
          };
          if (standby) instance.park();
          service.instances.push(instance);
        }
      }
    }
    return service;
  });
  for (const spec of scenario.services) {
    const service = findService(services, spec.name);
    for (const op of spec.operations) {
      const salt = { next: 1 };
      service.operation(op.name).steps = op.calls.map((step) => resolveStep(step, services, salt));
    }
  }
  return services;
}

/** The part of a service's spec the model runs (mesh and control-plane settings are handed to their own rooms). */
function modelSpecOf(spec: ServiceSpec): ServiceModelSpec {
  const { name, instances, versions, concurrency, queueCapacity, threading, zones, subzones } =
    spec;
  return {
    name,
    instances,
    versions,
    concurrency,
    queueCapacity,
    threading,
    zones,
    subzones,
    operations: spec.operations,
    cache: spec.cache,
    warmup: spec.warmup,
  };
}

/** Each step gets a salt unique within its operation (pre-order), the key of its call site. */
function resolveStep(step: CallStep, services: Service[], salt: { next: number }): Step {
  const own = salt.next++;
  if (step.kind === "call") {
    const target = findService(services, step.target.service).operation(step.target.operation);
    return { kind: "call", target, probability: step.probability, salt: own };
  }
  const steps = step.steps.map((inner) => resolveStep(inner, services, salt));
  return { kind: "parallel", steps, probability: step.probability, salt: own };
}

export function findService(services: readonly Service[], name: string): Service {
  const service = services.find((s) => s.name === name);
  if (!service) throw new Error(`no service named ${name}`);
  return service;
}
