// Summarises a finished world into the run result (result/run.ts has its shape and key order): the
// per-load and per-service figures, edges, state changes and fault windows here, the optional
// sections from the rooms that recorded them. Figures are rounded to 6 significant digits (times to
// 12) so the same scenario and seed give the same bytes.
import { summariseRecovery } from "../control/recovery/install.ts";
import type { StopReason } from "../kernel/scheduler.ts";
import { PROXY_EVENT_CODES, PROXY_EVENT_NAMES, type ProxyEventName } from "../model/edge.ts";
import { summariseAlerts } from "../observe/alerts/summary.ts";
import { summariseMetrics } from "../observe/metrics/summary.ts";
import { roundSig } from "../result/round.ts";
import type {
  CostResult,
  EdgeResult,
  LoadResult,
  ProxyCounters,
  RunResult,
  ServiceResult,
} from "../result/run.ts";
import type { World } from "../scenario/build.ts";
import { estimateCost } from "../scenario/cost.ts";
import { summariseTransactions } from "../transactions/summary.ts";
import { loadStageChanges } from "./loadStages.ts";
import { podCount } from "./podCount.ts";
import { evaluateThresholds } from "./thresholds.ts";

export type { RunResult } from "../result/run.ts";

/** The result's proxy counters are model/edge.ts's PROXY_EVENT_NAMES, no more and no fewer. */
const _sameCounters: [ProxyEventName, keyof ProxyCounters] extends [
  keyof ProxyCounters,
  ProxyEventName,
]
  ? true
  : never = true;

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
    let servingTotal = 0;
    let alwaysServing = true;
    const servingMs = service.instances.map((instance) => instance.servingTime(now));
    const instances = service.instances.map((instance, i) => {
      const instanceBusy = instance.busyTime(now);
      busy += instanceBusy;
      present += instance.presentTime(now);
      hits += instance.cacheHits;
      misses += instance.cacheMisses;
      servingTotal += servingMs[i];
      if (servingMs[i] !== measuredMs) alwaysServing = false;
      // A pod that served all along divides by the whole measured time, as before pods came and went.
      const workerMs =
        servingMs[i] === measuredMs ? slotMs : service.spec.concurrency * servingMs[i];
      return {
        id: instance.id,
        requests: instance.requests,
        utilization: workerMs > 0 ? roundSig(instanceBusy / workerMs) : 0,
        activeMax: instance.activeMax,
        servingMs: roundSig(servingMs[i], 12),
      };
    });
    const workerMs = alwaysServing
      ? slotMs * service.instances.length
      : service.spec.concurrency * servingTotal;
    services[service.name] = {
      requests: s.requests,
      errors: s.errors,
      utilization: workerMs > 0 ? roundSig(busy / workerMs) : 0,
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
      pods: podCount(
        service.instances.map((instance) => instance.servingFlips),
        servingMs,
        scenario.warmupMs,
        now,
      ),
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
    cost: costOf(world),
  };
  result.thresholds = evaluateThresholds(scenario, stats);
  const stages = loadStageChanges(scenario.load, now);
  if (stages !== null) result.loadStages = stages;
  if (world.transactions !== null)
    result.transactions = summariseTransactions(
      world.transactions,
      scenario.load.map((l) => l.name),
    );
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
    ) as Record<ProxyEventName, number>;
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

/** The up-front estimate (scenario/cost.ts) beside the events the run took. */
function costOf(world: World): CostResult {
  const estimate = estimateCost(world.scenario);
  return {
    estimatedRequests: estimate.requests,
    estimatedEvents: estimate.events,
    events: world.scheduler.events,
    estimatedMemoryMB: estimate.memoryMB,
  };
}
