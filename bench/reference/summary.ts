// The reference simulator's result: plain data in the spirit of meshsim's run result (end-to-end
// latency, per-service counts, utilization and histograms, per-edge shares, breaker transitions,
// tracing counts and the critical path), rounded to 6 significant digits.
import type { Transition } from "./breaker.ts";
import type { Chain } from "./chain.ts";
import type { Histogram } from "./histogram.ts";

export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface ChainResult {
  mode: string;
  seed: number;
  simulatedMs: number;
  events: number;
  load: { offered: number; completed: number; failed: number; latencyMs: LatencySummary };
  services: Record<
    string,
    {
      requests: number;
      errors: number;
      utilization: number;
      meanInSystem: number;
      latencyMs: LatencySummary;
      queueWaitMs: LatencySummary;
      instances: { id: string; requests: number; utilization: number }[];
    }
  >;
  /** Measured tries per instance, as shares of the edge's total. */
  edges: Record<string, Record<string, number>>;
  stateChanges: Transition[];
  tracing: {
    requests: number;
    headSampled: number;
    tailSampled: number;
    overCap: number;
    traces: number;
    spans: number;
    criticalPath: { requests: number; meanMs: number; meanMsByBucket: Record<string, number> };
  } | null;
}

const round = (x: number): number =>
  x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(6));

function latency(h: Histogram): LatencySummary {
  const s = h.summary();
  return {
    mean: round(s.mean),
    p50: round(s.p50),
    p90: round(s.p90),
    p99: round(s.p99),
    p999: round(s.p999),
    max: round(s.max),
  };
}

export function summarise(chain: Chain): ChainResult {
  const measuredMs = Math.max(0, chain.durationMs - chain.warmupMs);
  const workers = 4;
  const services: ChainResult["services"] = {};
  const edges: ChainResult["edges"] = {};
  chain.instances.forEach((row, hop) => {
    const stats = chain.hops[hop];
    const name = row[0].id.replace(/-\d+$/, "");
    for (const instance of row) chain.integrateTo(instance, chain.durationMs);
    const busy = row.reduce((s, i) => s + i.busyArea, 0);
    const present = row.reduce((s, i) => s + i.presentArea, 0);
    services[name] = {
      requests: stats.requests,
      errors: stats.errors,
      utilization: round(busy / (workers * row.length * measuredMs)),
      meanInSystem: round(present / measuredMs),
      latencyMs: latency(stats.latency),
      queueWaitMs: latency(stats.queueWait),
      instances: row.map((i) => ({
        id: i.id,
        requests: i.requests,
        utilization: round(i.busyArea / (workers * measuredMs)),
      })),
    };
    const sent = stats.sent.reduce((s, x) => s + x, 0);
    const source = hop === 0 ? "load:users" : chain.instances[hop - 1][0].id.replace(/-\d+$/, "");
    edges[`${source}->${name}`] = Object.fromEntries(
      row.map((i) => [i.id, round(sent > 0 ? stats.sent[i.index] / sent : 0)]),
    );
  });
  const t = chain.tracing;
  const names = [...Object.keys(services), "network", "client"];
  return {
    mode: chain.options.mode,
    seed: chain.options.seed,
    simulatedMs: chain.durationMs,
    events: chain.events.events,
    load: {
      offered: chain.load.offered,
      completed: chain.load.completed,
      failed: chain.load.failed,
      latencyMs: latency(chain.load.latency),
    },
    services,
    edges,
    stateChanges: chain.transitions,
    tracing:
      t === null
        ? null
        : {
            requests: t.requests,
            headSampled: t.headSampled,
            tailSampled: t.tailSampled,
            overCap: t.overCap,
            traces: t.keptTraces().length,
            spans: t.keptTraces().reduce((s, trace) => s + trace.spans.length, 0),
            criticalPath: {
              requests: t.pathRequests,
              meanMs: round(t.pathRequests > 0 ? t.pathTotalMs / t.pathRequests : 0),
              meanMsByBucket: Object.fromEntries(
                names.map((n, b) => [n, round(t.pathHistograms[b].mean)]),
              ),
            },
          },
  };
}
