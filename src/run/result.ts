// The run result: plain JSON with a fixed key order (the contract of shared/SCENARIO.md, extended
// never renamed). No wall-clock value and no machine path: the same scenario and seed give the
// same bytes. Figures are rounded to 6 significant digits so they diff cleanly.

import type { ConfigResult } from "../control/config/types.ts";
import { type RecoveryResult, summariseRecovery } from "../control/recovery/install.ts";
import type { DiscoveryResult } from "../control/registry/controlPlane.ts";
import type { FaultRecord } from "../faults/types.ts";
import type { StopReason } from "../kernel/scheduler.ts";
import type { SecurityResult } from "../mesh/security/meshSecurity.ts";
import { PROXY_EVENT_CODES, PROXY_EVENT_NAMES, type ProxyEventName } from "../model/edge.ts";
import { type AlertsResult, summariseAlerts } from "../observe/alerts/summary.ts";
import { type LatencySummary, roundSig } from "../observe/histogram.ts";
import { type MetricsResult, summariseMetrics } from "../observe/metrics/summary.ts";
import type { StateChange } from "../observe/runStats.ts";
import type { TracingResult } from "../observe/tracing/tracer.ts";
import type { World } from "../scenario/build.ts";
import { evaluateThresholds, type ThresholdResult } from "./thresholds.ts";

export interface LoadResult {
  offered: number;
  completed: number;
  failed: number;
  latencyMs: LatencySummary;
  /** Offered but neither completed nor failed when the run stopped. */
  inFlight: number;
  /** Failed requests by HTTP status. */
  failures: Record<string, number>;
  /** Completed requests per simulated second after warm-up. */
  throughputPerS: number;
}

export interface InstanceResult {
  id: string;
  requests: number;
  utilization: number;
  activeMax: number;
}

export interface ServiceResult {
  requests: number;
  errors: number;
  utilization: number;
  latencyMs: LatencySummary;
  queueWaitMs: LatencySummary;
  instances: InstanceResult[];
  /** Calls turned away because the queue was full (503). */
  rejected: number;
  /** Time-average number of calls present at the service's instances (the L of Little's law). */
  meanInSystem: number;
  /** Calls answered per simulated second after warm-up (the λ of Little's law). */
  throughputPerS: number;
  /** The instances' key caches together, or null when the service has none. */
  cache: CacheResult | null;
}

export interface CacheResult {
  hits: number;
  misses: number;
  hitRatio: number;
}

export interface EdgeResult {
  /** Measured tries the caller's proxies sent on this edge (retries and hedges included). */
  requests: number;
  /** Fraction of them each endpoint received, by instance id. */
  share: Record<string, number>;
  /** Busiest endpoint's count over the mean count (1 = perfectly even). */
  imbalance: number;
  /** The proxies' counters on this edge: tries, retries, hedges, timeouts, breaker rejections, ... */
  proxy: Record<ProxyEventName, number>;
}

export type { StateChange } from "../observe/runStats.ts";

export interface RunResult {
  scenario: string;
  seed: number;
  simulatedMs: number;
  events: number;
  load: Record<string, LoadResult>;
  services: Record<string, ServiceResult>;
  /** Breaker transitions, ejections and returns, instance deaths and restarts, in time order. */
  stateChanges: StateChange[];
  /** Fault windows as they happened; endMs is null for a fault still in force at the end. */
  faults: FaultRecord[];
  /** Why the run stopped: its duration ran out, or the event cap was hit. */
  stopReason: StopReason;
  /** The scenario's warm-up: statistics ignore requests that arrive before it (the time series do not). */
  warmupMs: number;
  thresholds: ThresholdResult[];
  /** Per balanced edge, `caller->service` (a load's caller is `load:<name>`). */
  edges: Record<string, EdgeResult>;
  /** Time series scraped every monitoring.scrapeInterval from time 0 (warm-up included). */
  metrics: MetricsResult;
  /** Sampling counts and the critical-path breakdown, or null when tracing is off (the only field tracing changes). */
  tracing: TracingResult | null;
  /** Alert rules, every alert episode, and which alerts detected each fault (or fired for none). */
  alerts: AlertsResult;
  /** Config versions, when each reached the proxies, and which version each proxy ran when; null without config pushes. */
  config: ConfigResult | null;
  /** mTLS modes, identities, handshakes, and tries refused (plaintext to STRICT) or denied (authorization), per edge and policy; null without security. */
  security: SecurityResult | null;
  /** Pods per phase over time, autoscaler decisions and rolling updates; null when no service's pods change. */
  recovery: RecoveryResult | null;
  /** Each proxy's registry view against the truth (staleness, sends to dead or draining instances) and registry events; null without a registry. */
  discovery: DiscoveryResult | null;
}

export function summarise(world: World, stopReason: StopReason): RunResult {
  const { scenario, scheduler, stats } = world;
  const now = scheduler.now;
  const measuredMs = Math.max(0, now - scenario.warmupMs);
  const perSecond = (count: number) => (measuredMs > 0 ? roundSig((count * 1000) / measuredMs) : 0);
  const load: Record<string, LoadResult> = {};
  scenario.load.forEach((spec, i) => {
    const s = stats.loads[i];
    load[spec.name] = {
      offered: s.offered,
      completed: s.completed,
      failed: s.failed,
      latencyMs: s.latency.summary(),
      inFlight: s.offered - s.completed - s.failed,
      failures: Object.fromEntries(
        [...s.failures].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v]),
      ),
      throughputPerS: perSecond(s.completed),
    };
  });
  const services: Record<string, ServiceResult> = {};
  for (const service of world.services) {
    const s = stats.services[service.index];
    const slotMs = service.spec.concurrency * measuredMs;
    let busy = 0;
    let present = 0;
    let hits = 0;
    let misses = 0;
    const instances = service.instances.map((instance) => {
      const instanceBusy = instance.busyTime(now);
      busy += instanceBusy;
      present += instance.presentTime(now);
      hits += instance.cacheHits;
      misses += instance.cacheMisses;
      return {
        id: instance.id,
        requests: instance.requests,
        utilization: slotMs > 0 ? roundSig(instanceBusy / slotMs) : 0,
        activeMax: instance.activeMax,
      };
    });
    services[service.name] = {
      requests: s.requests,
      errors: s.errors,
      utilization: slotMs > 0 ? roundSig(busy / (slotMs * service.instances.length)) : 0,
      latencyMs: s.latency.summary(),
      queueWaitMs: s.queueWait.summary(),
      instances,
      rejected: s.rejected,
      meanInSystem: measuredMs > 0 ? roundSig(present / measuredMs) : 0,
      throughputPerS: perSecond(s.requests),
      cache:
        service.spec.cache === null
          ? null
          : { hits, misses, hitRatio: hits + misses > 0 ? roundSig(hits / (hits + misses)) : 0 },
    };
  }
  const result: RunResult = {
    scenario: scenario.name,
    seed: world.seed,
    simulatedMs: roundSig(now, 12),
    events: scheduler.events,
    load,
    services,
    stateChanges: stats.stateChanges.map((c) => ({
      atMs: roundSig(c.atMs, 12),
      component: c.component,
      from: c.from,
      to: c.to,
    })),
    faults: world.faults.map((f) => ({
      name: f.name,
      kind: f.kind,
      startMs: f.startMs,
      endMs: f.endMs,
      targets: [...f.targets],
    })),
    stopReason,
    warmupMs: scenario.warmupMs,
    thresholds: [],
    edges: summariseEdges(world),
    metrics: summariseMetrics(world.monitor),
    tracing: world.tracer === null ? null : world.tracer.result(),
    alerts: summariseAlerts(world.alerting, world.faults),
    config: world.config === null ? null : world.config.result((ms) => roundSig(ms, 12)),
    security: world.security === null ? null : world.security.result(world.stats.measuredEdges()),
    recovery:
      world.recovery === null ? null : summariseRecovery(world.recovery, (ms) => roundSig(ms, 12)),
    discovery: world.discovery === null ? null : world.discovery.result(now, roundSig),
  };
  result.thresholds = evaluateThresholds(scenario, stats);
  return result;
}

function summariseEdges(world: World): Record<string, EdgeResult> {
  const edges: Record<string, EdgeResult> = {};
  const sorted = world.stats
    .measuredEdges()
    .sort((a, b) => compareText(a.source, b.source) || compareText(a.target, b.target));
  for (const edge of sorted) {
    const ids = world.services.find((s) => s.name === edge.target)!.instances.map((i) => i.id);
    let total = 0;
    let busiest = 0;
    for (const count of edge.sent) {
      total += count;
      if (count > busiest) busiest = count;
    }
    const share: Record<string, number> = {};
    ids.forEach((id, i) => {
      share[id] = total > 0 ? roundSig(edge.sent[i] / total) : 0;
    });
    const mean = total / edge.sent.length;
    const proxy = Object.fromEntries(
      PROXY_EVENT_CODES.map((code) => [PROXY_EVENT_NAMES[code], edge.counts[code]]),
    ) as EdgeResult["proxy"];
    edges[`${edge.source}->${edge.target}`] = {
      requests: total,
      share,
      imbalance: mean > 0 ? roundSig(busiest / mean) : 0,
      proxy,
    };
  }
  return edges;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
