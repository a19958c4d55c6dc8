// Typed scenarios built in code for tests, so model tests do not depend on the file loader.

import type { FaultSpec } from "../../src/faults/spec.ts";
import type { Distribution } from "../../src/kernel/distribution.ts";
import { constant, exponential } from "../../src/kernel/distributions.ts";
import { parseDistribution } from "../../src/kernel/distributionText.ts";
import type { AlertRuleSpec } from "../../src/observe/alerts/types.ts";
import {
  ISTIO_LOAD_BALANCER,
  ISTIO_LOCALITY,
  KUBERNETES_POD,
  PROMETHEUS_BUCKETS_MS,
} from "../../src/scenario/defaults.ts";
import { defaultResilience } from "../../src/scenario/loader.ts";
import type {
  CacheSpec,
  CallStep,
  LoadBalancerSpec,
  LoadSpec,
  LocalitySpec,
  MonitoringSpec,
  OperationSpec,
  RegistrySpec,
  ResilienceSpec,
  RouteSpec,
  Scenario,
  SecuritySpec,
  ServiceSpec,
  SubsetSpec,
  TracingSpec,
  VersionSpec,
  WarmupSpec,
} from "../../src/scenario/types.ts";
import type { TransactionsSpec } from "../../src/transactions/spec.ts";

export interface StationOptions {
  name?: string;
  instances?: number;
  concurrency?: number;
  queueCapacity?: number;
  threading?: "blocking" | "async";
  serviceTime: Distribution | string;
  errorRate?: number;
  calls?: CallStep[];
  loadBalancer?: LoadBalancerSpec;
  zones?: string[];
  subzones?: string[];
  cache?: CacheSpec;
  warmup?: WarmupSpec;
  versions?: VersionSpec[];
  subsets?: SubsetSpec[];
  routes?: RouteSpec[];
  /** Recovery settings over the defaults (Istio's: no timeout, 2 retries on connection failures). */
  resilience?: Partial<ResilienceSpec>;
  /** Istio locality failover (on by default, as the loader makes it). */
  locality?: LocalitySpec;
  lifecycle?: ServiceSpec["lifecycle"];
  autoscaling?: ServiceSpec["autoscaling"];
}

export function dist(d: Distribution | string): Distribution {
  return typeof d === "string" ? parseDistribution(d) : d;
}

export function station(o: StationOptions): ServiceSpec {
  const op: OperationSpec = {
    name: "work",
    serviceTime: dist(o.serviceTime),
    errorRate: o.errorRate ?? 0,
    calls: o.calls ?? [],
    onCancel: "finish",
    commitPoint: 1,
  };
  const instances = o.instances ?? 1;
  return {
    name: o.name ?? "server",
    instances,
    versions: o.versions ?? [
      {
        name: "default",
        instances,
        labels: { version: "default" },
        weight: 1,
        serviceTimeFactor: 1,
      },
    ],
    concurrency: o.concurrency ?? 1,
    queueCapacity: o.queueCapacity ?? Infinity,
    threading: o.threading ?? "blocking",
    zones: o.zones ?? ["default"],
    subzones: o.subzones ?? [],
    cache: o.cache ?? null,
    warmup: o.warmup ?? null,
    // As the loader: a service an HPA manages gets Kubernetes' pod defaults.
    lifecycle: o.lifecycle ?? (o.autoscaling ? { ...KUBERNETES_POD } : null),
    autoscaling: o.autoscaling ?? null,
    operations: [op],
    trafficPolicy: {
      loadBalancer: o.loadBalancer ?? ISTIO_LOAD_BALANCER,
      subsets: o.subsets ?? [],
      routes: o.routes ?? [],
      resilience: { ...defaultResilience(), ...o.resilience },
      locality: o.locality ?? { ...ISTIO_LOCALITY },
    },
  };
}

export function poissonLoad(ratePerS: number, target = "server", name = "customers"): LoadSpec {
  return {
    name,
    executor: "constant-arrival-rate",
    target: { service: target, operation: "work" },
    startTimeMs: 0,
    durationMs: Number.MAX_SAFE_INTEGER,
    clients: 1,
    zone: null,
    keys: null,
    attributes: [],
    ratePerMs: ratePerS / 1000,
    arrival: "poisson",
  };
}

export function scenario(parts: {
  services: ServiceSpec[];
  load: LoadSpec[];
  durationMs: number;
  warmupMs?: number;
  seed?: number;
  latency?: Distribution;
  crossZoneLatency?: Distribution;
  crossRegionLatency?: Distribution;
  /** Zone → region (scenario `regions`); default none. */
  regions?: ReadonlyMap<string, string>;
  faults?: FaultSpec[];
  tracing?: TracingSpec | null;
  security?: SecuritySpec | null;
  registry?: RegistrySpec | null;
  monitoring?: MonitoringSpec;
  alerts?: AlertRuleSpec[];
  transactions?: TransactionsSpec | null;
}): Scenario {
  return {
    version: 1,
    name: "test",
    seed: parts.seed ?? 1,
    durationMs: parts.durationMs,
    warmupMs: parts.warmupMs ?? 0,
    maxEvents: 2_000_000_000,
    network: {
      latency: parts.latency ?? constant(0),
      crossZoneLatency: parts.crossZoneLatency ?? constant(0),
      crossRegionLatency: parts.crossRegionLatency ?? constant(0),
      regions: parts.regions ?? new Map(),
    },
    services: parts.services,
    load: parts.load.map((l) => ({
      ...l,
      durationMs: Math.min(l.durationMs, parts.durationMs - l.startTimeMs),
    })),
    faults: parts.faults ?? [],
    invariants: [],
    transactions: parts.transactions ?? null,
    thresholds: [],
    monitoring: parts.monitoring ?? {
      scrapeIntervalMs: 15_000,
      maxPoints: 2000,
      bucketsMs: [...PROMETHEUS_BUCKETS_MS],
    },
    alerts: parts.alerts ?? [],
    compare: null,
    sweep: null,
    tracing: parts.tracing ?? null,
    security: parts.security ?? null,
    changes: [],
    registry: parts.registry ?? null,
  };
}

/** M/M/c: Poisson arrivals at `lambda` per second, c slots of exponential service at `mu` per second. */
export function mmc(o: {
  lambda: number;
  mu: number;
  c?: number;
  durationS: number;
  warmupS?: number;
  seed?: number;
}): Scenario {
  return scenario({
    services: [station({ concurrency: o.c ?? 1, serviceTime: exponential(1000 / o.mu) })],
    load: [poissonLoad(o.lambda)],
    durationMs: o.durationS * 1000,
    warmupMs: (o.warmupS ?? 0) * 1000,
    seed: o.seed,
  });
}
