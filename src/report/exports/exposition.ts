// What the Prometheus text format (0.0.4) and OpenMetrics 1.0 writers share: escaping, number
// rendering, and the grouping of stored series into families and metrics (a metric is one label
// set; a histogram's buckets, _count and _sum, or a summary's quantiles, are samples of one metric).
// Label names and metric names are trusted: the catalog makes them valid.
import type { MetricsResult } from "../../result/metrics.ts";

export type StoredSeries = MetricsResult["series"][number];
export type StoredFamily = MetricsResult["families"][number];

/** Label values (both formats) and OpenMetrics HELP: backslash, double quote and line feed escaped. */
export function escapeLabelValue(text: string): string {
  return text.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

/** HELP text of the 0.0.4 format: only backslash and line feed are escaped there. */
export function escapeHelp004(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\"));
}

/** A sample value: null (NaN in the result JSON) and NaN as NaN, infinities as +Inf / -Inf. */
export function formatValue(value: number | null): string {
  if (value === null || Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return Object.is(value, -0) ? "0" : String(value);
}

/**
 * Go's strconv.FormatFloat(x, 'g', -1, 64): the shortest round-trip digits, in exponent form when
 * the decimal exponent is below -4 or at least 6 (e.g. 1e-05, 0.0001, 100000, 1e+06). Prometheus'
 * clients render `le` and `quantile` this way.
 */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  if (x === 0) return "0";
  const [mantissa, exponentText] = x.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(x);
}

/** OpenMetrics' canonical number for `le` and `quantile`: Go's %g with ".0" when it has neither point nor exponent. */
export function canonicalFloat(x: number): string {
  const text = goFloat(x);
  return /^[-+]?\d+$/.test(text) ? `${text}.0` : text;
}

/** A `le` or `quantile` label value as a number (+Inf included), or NaN if it is not one. */
export function labelNumber(text: string): number {
  return text === "+Inf"
    ? Infinity
    : text === "-Inf"
      ? -Infinity
      : text.trim() === ""
        ? NaN
        : Number(text);
}

/** `{a="x",b="y"}`, or "" without labels; `render` may rewrite a value (e.g. canonical `le`). */
export function formatLabels(
  labels: Record<string, string>,
  render: (name: string, value: string) => string = (_, v) => v,
): string {
  const pairs = Object.entries(labels).map(
    ([name, value]) => `${name}="${escapeLabelValue(render(name, value))}"`,
  );
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** The label a family's type adds per sample within one metric: `le` for histograms, `quantile` for summaries. */
export function pointLabel(type: StoredFamily["type"]): string | null {
  return type === "histogram" ? "le" : type === "summary" ? "quantile" : null;
}

/** One metric: a family's series sharing a label set (apart from le / quantile), in exposition order. */
export interface MetricGroup {
  series: StoredSeries[];
}

/**
 * The families in result order, each with its metrics in order of first appearance; within a
 * metric, histogram buckets and summary quantiles ascending, then the samples named by
 * `suffixOrder` (e.g. ["_count", "_sum"]), then anything else in result order.
 */
export function groupByFamily(
  metrics: MetricsResult,
  suffixOrder: readonly string[],
): { family: StoredFamily; metrics: MetricGroup[] }[] {
  const byFamily = new Map<string, Map<string, StoredSeries[]>>();
  for (const family of metrics.families) byFamily.set(family.name, new Map());
  const typeOf = new Map(metrics.families.map((f) => [f.name, f.type]));
  for (const series of metrics.series) {
    const groups = byFamily.get(series.family);
    if (groups === undefined)
      throw new Error(
        `series ${series.name} names family ${series.family}, which the result does not list`,
      );
    const key = metricKey(series.labels, pointLabel(typeOf.get(series.family)!));
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [series]);
    else group.push(series);
  }
  return metrics.families.map((family) => ({
    family,
    metrics: [...byFamily.get(family.name)!.values()].map((series) => ({
      series: orderSamples(family, series, suffixOrder),
    })),
  }));
}

function metricKey(labels: Record<string, string>, skip: string | null): string {
  return JSON.stringify(Object.entries(labels).filter(([name]) => name !== skip));
}

function orderSamples(
  family: StoredFamily,
  series: StoredSeries[],
  suffixOrder: readonly string[],
): StoredSeries[] {
  const point = pointLabel(family.type);
  const rank = (s: StoredSeries): number => {
    if (
      point !== null &&
      s.labels[point] !== undefined &&
      (s.name === family.name || s.name === `${family.name}_bucket`)
    )
      return -1;
    const i = suffixOrder.findIndex((suffix) => s.name === family.name + suffix);
    return i < 0 ? suffixOrder.length : i;
  };
  const byPoint = (s: StoredSeries) => labelNumber(s.labels[point ?? ""] ?? "");
  // Array.prototype.sort is stable, so equal ranks keep result order.
  return [...series].sort(
    (a, b) => rank(a) - rank(b) || (rank(a) === -1 ? byPoint(a) - byPoint(b) : 0),
  );
}
