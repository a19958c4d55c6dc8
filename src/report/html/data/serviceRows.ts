// Per-service rows over time from the scraped series, for the per-service views: each service's
// window latency quantiles (meshsim_latency_window_seconds, p50 and p99), its mean utilisation over
// the pods serving at each scrape (meshsim_instance_utilization_ratio where meshsim_instance_up is
// 1 and the pod is ready or draining: a standby slot, a starting or a dead pod is no worker time),
// its queue length and calls in flight summed over its instances; and the per-instance spread of
// utilisation (the busiest and least busy instance over the run, the rest as a min-max band), as
// a Grafana per-pod panel would show it.
import type { MetricsResult } from "../../../result/metrics.ts";
import type { StateChange } from "../../../result/run.ts";
import { type LineRow, seriesWith, stateAt, sumValues, type TimeAxis } from "./chartRows.ts";

/** Whether an instance was a serving pod at a time; see podServing. */
export type Serving = (instance: string, ms: number) => boolean;

/**
 * A pod serves while ready or draining (Kubernetes: in the Service's endpoints or finishing its
 * calls); a starting pod is up but has no worker time to count. An instance with no pod changes
 * (a static service) serves whenever it is up.
 */
export function podServing(changes: readonly StateChange[]): Serving {
  const withPods = new Set(
    changes.filter((c) => c.component.startsWith("pod ")).map((c) => c.component.slice(4)),
  );
  return (instance, ms) => {
    if (!withPods.has(instance)) return true;
    const phase = stateAt(changes, `pod ${instance}`, ms);
    return phase === "ready" || phase === "draining";
  };
}

export interface ServiceRow extends LineRow {
  service: string;
  /** p50 or p99 for latency rows. */
  percentile?: string;
}

const QUANTILES: Record<string, string> = { "0.5": "p50", "0.99": "p99" };

/** The services with per-instance series, in the result's order. */
export function scrapedServices(metrics: MetricsResult): string[] {
  const names = seriesWith(metrics, "meshsim_instance_utilization_ratio").map(
    (s) => s.labels.service ?? "",
  );
  return [...new Set(names)].filter((n) => n !== "");
}

/** Latency at the service (ms), p50 and p99 of each stored window, series `<service> p99`. */
export function serviceLatencyRows(metrics: MetricsResult, axis: TimeAxis): ServiceRow[] {
  return scrapedServices(metrics).flatMap((service) =>
    seriesWith(metrics, "meshsim_latency_window_seconds", { service })
      .filter((s) => QUANTILES[s.labels.quantile] !== undefined)
      .flatMap((s) =>
        metrics.timesMs.map((ms, i) => {
          const v = s.values[i];
          return {
            t: ms / axis.msPerUnit,
            service,
            series: `${service} ${QUANTILES[s.labels.quantile]}`,
            percentile: QUANTILES[s.labels.quantile],
            value: v === null || v === undefined ? null : v * 1000,
          };
        }),
      ),
  );
}

/** Per instance of a service: its utilisation, and whether it was up and serving (1) or not, at each stored point. */
function instanceSeries(metrics: MetricsResult, service: string, serving: Serving) {
  const up = new Map(
    seriesWith(metrics, "meshsim_instance_up", { service }).map((s) => [
      s.labels.instance,
      s.values,
    ]),
  );
  return seriesWith(metrics, "meshsim_instance_utilization_ratio", { service }).map((s) => ({
    instance: s.labels.instance ?? "",
    values: s.values,
    up: (up.get(s.labels.instance) ?? s.values.map(() => 1)).map((v, i) =>
      v === 1 && serving(s.labels.instance ?? "", metrics.timesMs[i]) ? 1 : 0,
    ),
  }));
}

export type GaugeKind = "utilisation" | "queue" | "in flight";

/** Per service, its mean utilisation over the instances up, its queue length and its calls in flight, summed. */
export function serviceGaugeRows(
  metrics: MetricsResult,
  axis: TimeAxis,
  serving: Serving = () => true,
): (ServiceRow & { gauge: GaugeKind })[] {
  const n = metrics.timesMs.length;
  const rows: (ServiceRow & { gauge: GaugeKind })[] = [];
  const push = (service: string, gauge: GaugeKind, values: readonly (number | null)[]) => {
    metrics.timesMs.forEach((ms, i) => {
      rows.push({
        t: ms / axis.msPerUnit,
        service,
        series: service,
        gauge,
        value: values[i] ?? null,
      });
    });
  };
  for (const service of scrapedServices(metrics)) {
    const instances = instanceSeries(metrics, service, serving);
    push(
      service,
      "utilisation",
      metrics.timesMs.map((_, i) => {
        const serving = instances.filter((s) => s.up[i] === 1 && s.values[i] !== null);
        return serving.length === 0
          ? null
          : serving.reduce((sum, s) => sum + s.values[i]!, 0) / serving.length;
      }),
    );
    const total = (name: string) =>
      sumValues(
        seriesWith(metrics, name, { service }).map((s) => s.values),
        n,
      );
    push(service, "queue", total("meshsim_instance_queue_length"));
    push(service, "in flight", total("meshsim_instance_in_flight"));
  }
  return rows;
}

/** One service's utilisation spread: the busiest and least busy instance's lines, the others' band. */
export interface InstanceSpread {
  service: string;
  busiest: string;
  leastBusy: string;
  /** Instances in the band (neither the busiest nor the least busy); 0 draws no band. */
  others: number;
  lines: (LineRow & { instance: string })[];
  band: { t: number; low: number; high: number }[];
}

/** The spread of each service with two or more instances that were up at some scrape. */
export function instanceSpreads(
  metrics: MetricsResult,
  axis: TimeAxis,
  serving: Serving = () => true,
): InstanceSpread[] {
  const spreads: InstanceSpread[] = [];
  for (const service of scrapedServices(metrics)) {
    const instances = instanceSeries(metrics, service, serving)
      .map((s) => ({ ...s, mean: meanWhileUp(s.values, s.up) }))
      .filter((s): s is typeof s & { mean: number } => s.mean !== null);
    if (instances.length < 2) continue;
    const ranked = [...instances].sort(
      (a, b) => b.mean - a.mean || (a.instance < b.instance ? -1 : 1),
    );
    const busiest = ranked[0];
    const least = ranked[ranked.length - 1];
    const others = ranked.slice(1, -1);
    const lines = [busiest, least].flatMap((s, k) =>
      metrics.timesMs.map((ms, i) => ({
        t: ms / axis.msPerUnit,
        instance: s.instance,
        series: `${k === 0 ? "busiest" : "least busy"} (${s.instance})`,
        value: s.up[i] === 1 ? s.values[i] : null,
      })),
    );
    const band: InstanceSpread["band"] = [];
    metrics.timesMs.forEach((ms, i) => {
      const up = others
        .filter((s) => s.up[i] === 1 && s.values[i] !== null)
        .map((s) => s.values[i]!);
      if (up.length > 0)
        band.push({ t: ms / axis.msPerUnit, low: Math.min(...up), high: Math.max(...up) });
    });
    spreads.push({
      service,
      busiest: busiest.instance,
      leastBusy: least.instance,
      others: others.length,
      lines,
      band,
    });
  }
  return spreads;
}

/** The mean of the values at the points the instance was up, or null if it never was. */
function meanWhileUp(
  values: readonly (number | null)[],
  up: readonly (number | null)[],
): number | null {
  let sum = 0;
  let n = 0;
  values.forEach((v, i) => {
    if (up[i] === 1 && v !== null) {
      sum += v;
      n++;
    }
  });
  return n === 0 ? null : sum / n;
}

/** The highest value of a series and when (the first time, on a tie); null if it has none. */
export function peakOf<R extends LineRow>(rows: readonly R[]): R | null {
  let peak: R | null = null;
  for (const r of rows) if (r.value !== null && (peak === null || r.value > peak.value!)) peak = r;
  return peak;
}
