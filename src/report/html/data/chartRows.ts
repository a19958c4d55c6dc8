// Chart rows from a run result: pure functions from the scraped series (result.metrics) and the
// end-of-run summaries to flat rows that the vega-lite specs plot. Rates over time are the
// differences of consecutive counter points over the time between them, as PromQL's increase()
// over one step would give (without its extrapolation); the first point counts from time 0,
// where every counter starts. Times are in the report's time unit (see timeAxis).

import type { MetricsResult } from "../../../result/metrics.ts";
import type { RunResult, StateChange } from "../../../result/run.ts";

export type Values = readonly (number | null)[];

/** One point of a named line: `t` in the time axis' unit. */
export interface LineRow {
  t: number;
  series: string;
  value: number | null;
}

/** The unit simulated time is shown in: seconds for short runs, minutes or hours for long ones. */
export interface TimeAxis {
  unit: "s" | "min" | "h";
  msPerUnit: number;
  /** The end of the run in that unit. */
  end: number;
}

export function timeAxis(simulatedMs: number): TimeAxis {
  const unit = simulatedMs <= 20 * 60_000 ? "s" : simulatedMs <= 24 * 3_600_000 ? "min" : "h";
  const msPerUnit = unit === "s" ? 1000 : unit === "min" ? 60_000 : 3_600_000;
  return { unit, msPerUnit, end: simulatedMs / msPerUnit };
}

/** The run's scraped series, or null for a result saved before meshsim kept them. */
export function metricsOf(result: RunResult): MetricsResult | null {
  const metrics = (result as { metrics?: MetricsResult }).metrics;
  return metrics !== undefined && metrics !== null && metrics.timesMs.length > 0 ? metrics : null;
}

/** The warm-up, or 0 for a result saved before the result recorded it. */
export function warmupMsOf(result: RunResult): number {
  return (result as { warmupMs?: number }).warmupMs ?? 0;
}

/** Every series of a sample name whose labels include `match`, in the result's order. */
export function seriesWith(
  metrics: MetricsResult,
  name: string,
  match: Record<string, string> = {},
): MetricsResult["series"] {
  return metrics.series.filter(
    (s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v),
  );
}

/** Per-second rates between consecutive counter points; the first from time 0. A decrease (a reset) gives null. */
export function counterRates(timesMs: readonly number[], values: Values): (number | null)[] {
  return values.map((v, i) => {
    const before = i === 0 ? 0 : values[i - 1];
    const dtMs = timesMs[i] - (i === 0 ? 0 : timesMs[i - 1]);
    if (v === null || before === null || dtMs <= 0 || v < before) return null;
    return ((v - before) * 1000) / dtMs;
  });
}

/** Point-by-point sum of series of equal length; a point is null only when it is null in all of them. */
export function sumValues(all: readonly Values[], length: number): (number | null)[] {
  return Array.from({ length }, (_, i) => {
    let total: number | null = null;
    for (const values of all) {
      const v = values[i];
      if (v !== null && v !== undefined) total = (total ?? 0) + v;
    }
    return total;
  });
}

function lineRows(
  metrics: MetricsResult,
  axis: TimeAxis,
  series: string,
  values: Values,
): LineRow[] {
  return metrics.timesMs.map((ms, i) => ({
    t: ms / axis.msPerUnit,
    series,
    value: values[i] ?? null,
  }));
}

/** Rows of a rate: each value holds over the step before its time, so the first is repeated at time 0 (drawn as steps). */
function rateRows(
  metrics: MetricsResult,
  axis: TimeAxis,
  series: string,
  rates: Values,
): LineRow[] {
  const rows = lineRows(metrics, axis, series, rates);
  return [{ t: 0, series, value: rows[0].value }, ...rows];
}

const QUANTILE_NAMES: Record<string, string> = { "0.5": "p50", "0.9": "p90", "0.99": "p99" };

/** End-to-end latency quantiles (ms) of each stored window, one line per quantile (and load, when there are several). */
export function latencyRows(result: RunResult, metrics: MetricsResult, axis: TimeAxis): LineRow[] {
  const loads = Object.keys(result.load);
  return loads.flatMap((load) =>
    seriesWith(metrics, "meshsim_load_latency_window_seconds", { load })
      .filter((s) => QUANTILE_NAMES[s.labels.quantile] !== undefined)
      .flatMap((s) => {
        const name =
          loads.length > 1
            ? `${load} ${QUANTILE_NAMES[s.labels.quantile]}`
            : QUANTILE_NAMES[s.labels.quantile];
        return lineRows(
          metrics,
          axis,
          name,
          s.values.map((v) => (v === null ? null : v * 1000)),
        );
      }),
  );
}

/** End-user requests per second: offered, completed and failed, summed over loads. */
export function throughputRows(metrics: MetricsResult, axis: TimeAxis): LineRow[] {
  const n = metrics.timesMs.length;
  const rate = (name: string) =>
    counterRates(
      metrics.timesMs,
      sumValues(
        seriesWith(metrics, name).map((s) => s.values),
        n,
      ),
    );
  return [
    ...rateRows(metrics, axis, "offered", rate("meshsim_load_requests_total")),
    ...rateRows(metrics, axis, "completed", rate("meshsim_load_completed_total")),
    ...rateRows(metrics, axis, "failed", rate("meshsim_load_failed_total")),
  ];
}

/** The proxy events shown as rejections, with their readable names. */
export const REJECTION_SERIES: readonly { sample: string; label: string }[] = [
  { sample: "meshsim_proxy_breaker_rejections_total", label: "breaker open" },
  { sample: "meshsim_proxy_rate_limited_total", label: "rate limited" },
  { sample: "meshsim_proxy_overflows_total", label: "pool overflow" },
  { sample: "meshsim_proxy_no_healthy_upstream_total", label: "no healthy upstream" },
  { sample: "meshsim_proxy_timeouts_total", label: "timeouts" },
  { sample: "meshsim_proxy_retries_total", label: "retries" },
];

/**
 * Failures and rejections per second: end-user failures by HTTP status, then the proxies'
 * rejections, timeouts and retries summed over edges. Lines that stay at 0 are left out; when
 * all do, one `failed` line at 0 remains so the chart says "none" visibly.
 */
export function problemRows(metrics: MetricsResult, axis: TimeAxis): LineRow[] {
  const n = metrics.timesMs.length;
  const lines: { label: string; rates: (number | null)[] }[] = [];
  for (const s of seriesWith(metrics, "meshsim_load_failed_total")) {
    lines.push({
      label: `failed ${s.labels.status ?? ""}`.trim(),
      rates: counterRates(metrics.timesMs, s.values),
    });
  }
  const byStatus = new Map<string, (number | null)[]>();
  for (const { label, rates } of lines)
    byStatus.set(label, byStatus.has(label) ? sumValues([byStatus.get(label)!, rates], n) : rates);
  const merged = [...byStatus].map(([label, rates]) => ({ label, rates }));
  for (const { sample, label } of REJECTION_SERIES) {
    merged.push({
      label,
      rates: counterRates(
        metrics.timesMs,
        sumValues(
          seriesWith(metrics, sample).map((s) => s.values),
          n,
        ),
      ),
    });
  }
  const shown = merged.filter((l) => l.rates.some((r) => r !== null && r > 0));
  if (shown.length === 0) return rateRows(metrics, axis, "failed", new Array<number>(n).fill(0));
  return shown.flatMap((l) => rateRows(metrics, axis, l.label, l.rates));
}

/** Sums a gauge over all its series (e.g. ejected hosts over every caller and target). */
export function gaugeTotal(metrics: MetricsResult, name: string): (number | null)[] {
  return sumValues(
    seriesWith(metrics, name).map((s) => s.values),
    metrics.timesMs.length,
  );
}

/**
 * Governance state over time: open breakers, ejected hosts and instances down, each summed over the
 * system. An instance is down while it is not up, unless it is no pod at all then: a standby slot
 * not yet started, or a pod scaled down or replaced (its pod's phase is `stopped` and no fault
 * killed or failed it).
 */
export function governanceGaugeRows(
  metrics: MetricsResult,
  axis: TimeAxis,
  stateChanges: readonly StateChange[] = [],
  neverServed: ReadonlySet<string> = new Set(),
): LineRow[] {
  const up = seriesWith(metrics, "meshsim_instance_up");
  const down = metrics.timesMs.map((ms, i) => {
    let count = 0;
    for (const s of up) {
      const v = s.values[i];
      if (v === null) return null;
      const id = s.labels.instance ?? "";
      if (v === 0 && !neverServed.has(id) && !noPodAt(stateChanges, id, ms)) count++;
    }
    return count;
  });
  return [
    ...lineRows(metrics, axis, "breakers open", gaugeTotal(metrics, "meshsim_proxy_breakers_open")),
    ...lineRows(metrics, axis, "hosts ejected", gaugeTotal(metrics, "meshsim_proxy_ejected_hosts")),
    ...lineRows(metrics, axis, "instances down", down),
  ];
}

/** The state a component was in at `ms`: the `to` of its last change by then, else the `from` of its first, else null. */
export function stateAt(
  changes: readonly StateChange[],
  component: string,
  ms: number,
): string | null {
  let state: string | null = null;
  for (const c of changes) {
    if (c.component !== component) continue;
    if (c.atMs > ms) return state ?? c.from;
    state = c.to;
  }
  return state;
}

/** The instance is no pod at `ms`: its pod is stopped (parked, scaled down, replaced) and no fault has it dead or failed. */
function noPodAt(changes: readonly StateChange[], instance: string, ms: number): boolean {
  if (stateAt(changes, `pod ${instance}`, ms) !== "stopped") return false;
  const process = stateAt(changes, `instance ${instance}`, ms);
  return process !== "dead" && process !== "failed";
}

/** Instances that were never a serving pod (standby slots never started); empty for results older than `servingMs`. */
export function neverServed(result: RunResult): Set<string> {
  const ids = new Set<string>();
  for (const s of Object.values(result.services))
    for (const i of s.instances) if (i.servingMs === 0) ids.add(i.id);
  return ids;
}

/** One instance's part of its service's calls and its utilisation over the time it served. */
export interface InstanceRow {
  service: string;
  instance: string;
  requests: number;
  /** Its fraction of the tries its callers' proxies sent to the service (all edges into it); null if none were measured. */
  share: number | null;
  /** 1 / pods: what a perfectly even balancer would give; null when the service's pod count changed (no one even split). */
  evenShare: number | null;
  utilization: number;
}

/** One row per instance that served after the warm-up (a standby slot never started has none). */
export function instanceRows(result: RunResult): InstanceRow[] {
  const rows: InstanceRow[] = [];
  for (const [service, s] of Object.entries(result.services)) {
    const edges = Object.entries(result.edges)
      .filter(([key]) => key.endsWith(`->${service}`))
      .map(([, e]) => e);
    const total = edges.reduce((sum, e) => sum + e.requests, 0);
    const served = s.instances.filter((i) => i.servingMs !== 0);
    const steady = s.pods === undefined || s.pods.min === s.pods.max;
    for (const instance of served) {
      const sent = edges.reduce((sum, e) => sum + e.requests * (e.share[instance.id] ?? 0), 0);
      rows.push({
        service,
        instance: instance.id,
        requests: instance.requests,
        share: total > 0 ? sent / total : null,
        evenShare: steady ? 1 / served.length : null,
        utilization: instance.utilization,
      });
    }
  }
  return rows;
}
