// Builds a runnable World from a typed Scenario: the clock, the seeded streams, the services with
// their instances and resolved call graphs, one sidecar proxy per instance and per load client,
// the load executors, and the statistics observer. Stream labels are stable names, so adding a
// service or a load never changes the draws of another.

import { ConfigCenter, type PolicyMaker } from "../control/config/center.ts";
import { installRecovery, type Recovery } from "../control/recovery/install.ts";
import { ControlPlane } from "../control/registry/controlPlane.ts";
import { resolveFenceposts } from "../control/rollout/rollingUpdate.ts";
import type { ConfigPushSpec, RolloutSpec } from "../control/spec.ts";
import { ModelActuator } from "../faults/modelActuator.ts";
import type { FaultRecord } from "../faults/spec.ts";
import { scheduleFaults } from "../faults/timeline.ts";
import { faultsFailCallsInFlight } from "../faults/verbs/index.ts";
import { KeyedDraws } from "../kernel/keyedDraws.ts";
import { RandomStreams } from "../kernel/random.ts";
import { Scheduler } from "../kernel/scheduler.ts";
import { AttributeDraws } from "../load/attributes.ts";
import { RequestIssuer } from "../load/issuer.ts";
import { createBalancerFactory, hashKeyOf, slowStartOfPolicy } from "../mesh/balancers/index.ts";
import { ProxyGauges } from "../mesh/gauges.ts";
import { TokenBucket } from "../mesh/resilience/tokenBucket.ts";
import { Router } from "../mesh/routing/router.ts";
import { installSecurity, type MeshSecurity } from "../mesh/security/meshSecurity.ts";
import { Sidecar } from "../mesh/sidecar.ts";
import { type ProxyPlace, type UpstreamPolicy, upstreamPolicy } from "../mesh/upstream.ts";
import type { SimContext } from "../model/context.ts";
import type { EdgeSource } from "../model/edge.ts";
import { Instance } from "../model/instance.ts";
import { Network } from "../model/network.ts";
import type { RunWatcher } from "../model/observer.ts";
import { Operation, type Step } from "../model/operation.ts";
import { Service } from "../model/service.ts";
import { Alerting } from "../observe/alerts/alerting.ts";
import { Monitor } from "../observe/metrics/monitor.ts";
import { RunStats } from "../observe/runStats.ts";
import { Tracer } from "../observe/tracing/tracer.ts";
import { installTransactions, type Transactions } from "../transactions/install.ts";
import { keyedBy, startLoad } from "./startLoads.ts";
import type {
  CallStep,
  RolloutChangeSpec,
  Scenario,
  ServiceModelSpec,
  ServiceSpec,
  VersionSpec,
} from "./types.ts";
import { WatchedObserver } from "./watched.ts";

export interface World {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly scheduler: Scheduler;
  readonly services: readonly Service[];
  readonly stats: RunStats;
  /** Fault windows, filled in as the run reaches them. */
  readonly faults: FaultRecord[];
  /** Every sidecar and load-client proxy, in build order (monitoring reads their gauges: mesh/gauges.ts). */
  readonly proxies: readonly Sidecar[];
  /** Samples the run's metrics at every scrape tick (runScenario drives it). */
  readonly monitor: Monitor;
  /** Evaluates the alert rules at every scrape (a listener of `monitor`). */
  readonly alerting: Alerting;
  /** Records spans and critical paths, or null when the scenario has no `tracing:` section. */
  readonly tracer: Tracer | null;
  /** mTLS and authorization at the inbound sidecars, or null when the scenario has no security. */
  readonly security: MeshSecurity | null;
  /** Delivers config pushes to the proxies and records their versions, or null without pushes. */
  readonly config: ConfigCenter | null;
  /** Pods over time, supervisor, autoscalers and rollouts, or null when no service's pods change. */
  readonly recovery: Recovery | null;
  /** The registry and each proxy's view of it, and active health checks; null when the scenario has neither. */
  readonly discovery: ControlPlane | null;
  /** The business ledger and idempotency stores, or null when the scenario declares no transactions. */
  readonly transactions: Transactions | null;
}

/** `watcher`: sees every model and load event as it happens, after the statistics (see watched.ts). */
export function buildWorld(
  scenario: Scenario,
  seed: number = scenario.seed,
  watcher: RunWatcher | null = null,
): World {
  const scheduler = new Scheduler();
  const streams = new RandomStreams(seed);
  const draws = new KeyedDraws();
  const stats = new RunStats(
    scenario.load.length,
    scenario.services.map((s) =>
      slotsOf(s, scenario).reduce((n, slot) => n + slot.running + slot.standby, 0),
    ),
    scheduler,
    scenario.monitoring.bucketsMs,
  );
  const observer = watcher === null ? stats : new WatchedObserver(stats, watcher);
  // The ledger learns how each request ended from the loads alone (only when the scenario has
  // transactions: the model's events, many per request, still go straight to the statistics).
  const transactions =
    scenario.transactions === null ? null : installTransactions(scenario.transactions, scheduler);
  const loadObserver = transactions === null ? observer : transactions.loadObserver(observer);
  watcher?.attach?.(scheduler);
  const tracer =
    scenario.tracing === null
      ? null
      : new Tracer(
          scenario.tracing,
          seed,
          scheduler,
          scenario.services.map((s) => s.name),
          scenario.load.map((l) => l.name),
        );
  const ctx: SimContext = {
    scheduler,
    draws,
    observer,
    warmupMs: scenario.warmupMs,
    network: new Network(
      scenario.network.latency,
      scenario.network.crossZoneLatency,
      draws,
      // Without regions no call crosses one: a zero-latency network stays instantaneous.
      scenario.network.regions.size > 0 ? scenario.network.crossRegionLatency : undefined,
    ),
    tracksCalls:
      faultsFailCallsInFlight(scenario.faults) ||
      scenario.services.some((s) => workloadNeeded(s, scenario)),
    tracer,
  };
  const services = buildServices(scenario, ctx);
  if (transactions !== null) transactions.attach(services, attributeNamesOf(scenario), ctx);
  const attributeNames = attributeNamesOf(scenario);
  const policyOf: PolicyMaker = (trafficPolicy, i) =>
    upstreamPolicy(
      trafficPolicy.resilience,
      {
        service: services[i],
        balancer: createBalancerFactory(trafficPolicy.loadBalancer),
        hashKey: hashKeyOf(trafficPolicy.loadBalancer),
        router:
          trafficPolicy.routes.length === 0
            ? null
            : new Router(trafficPolicy.routes, trafficPolicy.subsets, attributeNames),
        subsets: trafficPolicy.subsets,
      },
      {
        slowStart: slowStartOfPolicy(trafficPolicy.loadBalancer),
        locality: trafficPolicy.locality,
      },
    );
  const policies: UpstreamPolicy[] = scenario.services.map(({ trafficPolicy }, i) =>
    policyOf(trafficPolicy, i),
  );
  const proxies: Sidecar[] = [];
  const proxyFor = (
    name: string,
    source: EdgeSource,
    place: ProxyPlace | null,
    owner: Instance | null,
  ) => {
    const proxy = new Sidecar(
      name,
      source,
      place,
      owner,
      ctx,
      streams.get(`proxy/${name}/balancer`),
      policies,
    );
    proxies.push(proxy);
    return proxy;
  };
  for (const service of services) {
    const source: EdgeSource = { name: service.name, index: service.index };
    const limit = scenario.services[service.index].trafficPolicy.resilience.rateLimit;
    for (const instance of service.instances) {
      const place = { locality: instance.locality, labels: instance.version.labels };
      instance.outbound = proxyFor(instance.id, source, place, instance);
      if (limit !== null && limit.per === "instance") {
        instance.limiter = new TokenBucket(
          {
            maxTokens: limit.maxTokens,
            tokensPerFill: limit.tokensPerFill,
            fillIntervalMs: limit.fillIntervalMs,
          },
          0,
        );
      }
    }
  }
  const ids = { next: 0 };
  const regions = scenario.network.regions;
  const keyNames: string[] = [];
  scenario.load.forEach((spec, loadIndex) => {
    const source: EdgeSource = { name: `load:${spec.name}`, index: services.length + loadIndex };
    const clients = Array.from({ length: spec.clients }, (_, i) =>
      proxyFor(`load/${spec.name}/client-${i}`, source, loadPlace(spec.zone, regions), null),
    );
    const target = findService(services, spec.target.service).operation(spec.target.operation);
    const keys = spec.keys === null ? null : keyedBy(spec.keys, keyNames);
    const attributes =
      spec.attributes.length === 0 ? null : new AttributeDraws(spec.attributes, attributeNames);
    const issuer = new RequestIssuer(
      loadIndex,
      target,
      clients,
      streams.get(`load/${spec.name}/requests`),
      ctx,
      loadObserver,
      ids,
      keys,
      attributes,
    );
    startLoad(spec, issuer, scheduler, streams, draws);
  });
  // Before recovery, which gives proxies without a registry client instant discovery.
  const record = (atMs: number, component: string, from: string, to: string) =>
    observer.stateChanged(atMs, component, from, to);
  const discovery = ControlPlane.install(
    scenario.registry,
    scenario.services.map((s) => s.trafficPolicy),
    {
      scheduler,
      streams,
      record,
      services,
      proxies,
    },
  );
  const actuator = new ModelActuator(scheduler, draws, ctx.network, observer);
  const faults = scheduleFaults(scenario.faults, {
    services,
    scheduler,
    streams,
    actuator,
    registry: discovery,
  });
  const security =
    scenario.security === null
      ? null
      : installSecurity(
          scenario.security,
          services,
          scenario.load.map((l) => l.name),
          ctx,
        );
  const pushes = scenario.changes.filter((c): c is ConfigPushSpec => c.kind === "config-push");
  const config =
    pushes.length === 0
      ? null
      : new ConfigCenter(
          pushes,
          { trafficPolicies: scenario.services.map((s) => s.trafficPolicy), policies },
          policyOf,
          {
            scheduler,
            streams,
            observer,
            proxies,
            services,
          },
        );
  const deployments = scenario.services.map(({ lifecycle, autoscaling }) => ({
    lifecycle,
    autoscaling,
  }));
  const recovery = installRecovery(services, deployments, rolloutsOf(scenario), {
    scheduler,
    observer,
    proxies,
  });
  const loadNames = scenario.load.map((l) => l.name);
  const collectors = discovery === null ? [] : [discovery];
  const monitor = new Monitor(
    { stats, services, recovery: new ProxyGauges(proxies), loadNames, collectors, transactions },
    scenario.monitoring,
    scenario.durationMs,
  );
  const alerting = new Alerting(scenario.alerts, scenario.monitoring.scrapeIntervalMs);
  if (scenario.alerts.length > 0) monitor.addListener(alerting);
  return {
    scenario,
    seed,
    scheduler,
    services,
    stats,
    faults,
    proxies,
    monitor,
    tracer,
    alerting,
    config,
    security,
    recovery,
    discovery,
    transactions,
  };
}

/** Whether a service's pods are managed over the run (lifecycle, autoscaling or a rollout). */
function workloadNeeded(spec: ServiceSpec, scenario: Scenario): boolean {
  return (
    spec.lifecycle !== null ||
    spec.autoscaling !== null ||
    rolloutsOf(scenario).some((r) => r.service === spec.name)
  );
}

function rolloutsOf(scenario: Scenario): RolloutSpec[] {
  return scenario.changes.filter((c): c is RolloutChangeSpec => c.kind === "rollout");
}

/**
 * Instance slots per version: the running ones, and standby ones a rollout or the autoscaler may
 * start: the autoscaler's headroom up to maxReplicas on the running version, and for a rollout's
 * target version as many as the service may run.
 */
function slotsOf(
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

function buildServices(scenario: Scenario, ctx: SimContext): Service[] {
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

/** Attribute names across all loads, in order: requests carry their values by this index. */
function attributeNamesOf(scenario: Scenario): string[] {
  return [...new Set(scenario.load.flatMap((l) => l.attributes.map((a) => a.name)))];
}

function findService(services: Service[], name: string): Service {
  const service = services.find((s) => s.name === name);
  if (!service) throw new Error(`no service named ${name}`);
  return service;
}

/** A load client's place: its zone's region, no subzone, no pod labels; null outside every zone. */
function loadPlace(zone: string | null, regions: ReadonlyMap<string, string>): ProxyPlace | null {
  if (zone === null) return null;
  return { locality: { region: regions.get(zone) ?? "", zone, subzone: "" }, labels: {} };
}
