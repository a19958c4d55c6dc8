// Charts of `meshsim sweep`. One varied path: each figure against the varied value, the mean as a
// line with its 95% interval as a band, and the scenario's thresholds as dashed horizontal rules.
// Zipped paths are drawn against the first. Two crossed paths: heatmaps of the thresholds' verdict
// and of the p99 at each point. More than two crossed paths get the tables only.
import type { Sweep, SweepPoint } from "../../../result/experiment.ts";
import { type Chart, CONFIG, WIDTH } from "./common.ts";

type XValue = string | number;

interface BandRow {
  x: XValue;
  series: string;
  value: number;
  lo: number;
  hi: number;
}

const SERIES_COLOURS = ["#4c78a8", "#f58518", "#b2182b", "#54a24b", "#72b7b2", "#9d755d"];
const VERDICT_COLOURS = { pass: "#2ca02c", undecided: "#f2c744", fail: "#d62728" };

function xValue(point: SweepPoint, path: string): XValue {
  const v = point.set[path];
  return typeof v === "number" ? v : typeof v === "string" ? v : JSON.stringify(v);
}

/** A quantitative axis when every value is a number, else the values in sweep order. */
function xEncoding(sweep: Sweep, path: string) {
  const values = sweep.vary.find((v) => v.path === path)!.values;
  const numeric = values.every((v) => typeof v === "number");
  // Ticks at the values swept (when there are few), not at round numbers between them.
  const ticks = values.length <= 12 ? { axis: { values: values as number[] } } : {};
  return numeric
    ? { field: "x", type: "quantitative" as const, title: path, scale: { zero: false }, ...ticks }
    : {
        field: "x",
        type: "ordinal" as const,
        title: path,
        sort: sweep.points.map((p) => xValue(p, path)),
        axis: { labelAngle: 0 },
      };
}

function bandChart(
  sweep: Sweep,
  id: string,
  title: string,
  explanation: string,
  rows: BandRow[],
  yTitle: string,
  rules: { value: number; label: string }[],
  format = "",
): Chart {
  const x = xEncoding(sweep, sweep.vary[0].path);
  const series = [...new Set(rows.map((r) => r.series))];
  const colour = {
    field: "series",
    type: "nominal" as const,
    title: null,
    sort: series,
    scale: { domain: series, range: SERIES_COLOURS.slice(0, series.length) },
  };
  const y = {
    field: "value",
    type: "quantitative" as const,
    title: yTitle,
    ...(format === "" ? {} : { axis: { format } }),
  };
  return {
    id,
    title,
    explanation,
    spec: {
      config: CONFIG,
      width: WIDTH - 120,
      height: 220,
      layer: [
        {
          data: { values: rows },
          mark: { type: "area", opacity: 0.2 },
          transform: [{ calculate: "datum.series", as: "band" }],
          encoding: {
            x,
            y: { field: "lo", type: "quantitative" },
            y2: { field: "hi" },
            // fill by a field of its own, so the pale band is left out of the lines' legend.
            fill: { ...colour, field: "band", legend: null },
          },
        },
        {
          data: { values: rows },
          mark: { type: "line", point: true, strokeWidth: 1.8 },
          encoding: { x, y, color: colour },
        },
        ...(rules.length === 0
          ? []
          : [
              {
                data: { values: rules },
                mark: { type: "rule" as const, color: "black", strokeDash: [5, 4] },
                encoding: { y: { field: "value", type: "quantitative" as const } },
              },
              {
                data: { values: rules },
                mark: {
                  type: "text" as const,
                  align: "left" as const,
                  baseline: "bottom" as const,
                  x: 4,
                  dy: -2,
                  fontSize: 10,
                },
                encoding: {
                  y: { field: "value", type: "quantitative" as const },
                  text: { field: "label" },
                },
              },
            ]),
      ],
    },
  };
}

/** The thresholds that apply to `load` (its own, and those on all loads) on `metric`. */
function rulesFor(sweep: Sweep, metric: "latency" | "errors", load: string) {
  const first = sweep.points[0];
  return first.thresholds
    .filter((t) => t.metric === metric || t.metric === `${metric}{load:${load}}`)
    .map((t) => ({ value: t.limit, label: `${t.metric}: ${t.expression}` }));
}

const PERCENTILES = [
  ["mean", "mean"],
  ["p50", "p50"],
  ["p99", "p99"],
  ["p999", "p99.9"],
] as const;

export function sweepLineCharts(sweep: Sweep): Chart[] {
  const path = sweep.vary[0].path;
  const loads = Object.keys(sweep.points[0].loads);
  const charts: Chart[] = [];
  for (const load of loads) {
    const latency = sweep.points.flatMap((p) =>
      PERCENTILES.map(([key, name]) => {
        const l = p.loads[load].latencyMs;
        const ci = l[`${key}Ci95`];
        return {
          x: xValue(p, path),
          series: name,
          value: l[key],
          lo: ci?.[0] ?? l[key],
          hi: ci?.[1] ?? l[key],
        };
      }),
    );
    charts.push(
      bandChart(
        sweep,
        `sweep-latency-${load}`,
        `End-to-end latency of ${load} against ${path}`,
        `Each point is the mean over the point's runs of that run's latency figure; the shaded band is its 95% interval (Student t over the runs, which all used the same seeds at every value of ${path}). Dashed lines are the scenario's latency thresholds.`,
        latency,
        "latency (ms)",
        rulesFor(sweep, "latency", load),
      ),
    );
    const errors = sweep.points.map((p) => {
      const l = p.loads[load];
      const ci = l.errorRateCi95;
      return {
        x: xValue(p, path),
        series: "error rate",
        value: l.errorRate,
        lo: ci?.[0] ?? l.errorRate,
        hi: ci?.[1] ?? l.errorRate,
      };
    });
    charts.push(
      bandChart(
        sweep,
        `sweep-errors-${load}`,
        `Error rate of ${load} against ${path}`,
        "Failed over finished requests, mean over the point's runs, with its 95% interval as a band; dashed lines are the scenario's error thresholds.",
        errors,
        "failed requests",
        rulesFor(sweep, "errors", load),
        ".2%",
      ),
    );
  }
  const services = Object.keys(sweep.points[0].services);
  const utilization = sweep.points.flatMap((p) =>
    services.map((s) => {
      const f = p.services[s];
      const ci = f.utilizationCi95;
      return {
        x: xValue(p, path),
        series: s,
        value: f.utilization,
        lo: ci?.[0] ?? f.utilization,
        hi: ci?.[1] ?? f.utilization,
      };
    }),
  );
  charts.push(
    bandChart(
      sweep,
      "sweep-utilization",
      `Utilisation per service against ${path}`,
      "Busy worker time over available worker time after warm-up, per service, mean over the point's runs with its 95% interval as a band. A service near 1 is the bottleneck.",
      utilization,
      "utilisation",
      [],
      ".0%",
    ),
  );
  return charts;
}

/** The point's verdict over all its thresholds: fail if any fails, undecided if any is, else pass. */
export function pointVerdict(point: SweepPoint): "pass" | "fail" | "undecided" | null {
  if (point.thresholds.length === 0) return null;
  if (point.thresholds.some((t) => t.verdict === "fail")) return "fail";
  if (point.thresholds.some((t) => t.verdict === "undecided")) return "undecided";
  return "pass";
}

function heatmap(
  sweep: Sweep,
  id: string,
  title: string,
  explanation: string,
  rows: { x: XValue; y: XValue; value: number | string; label: string }[],
  colour: Record<string, unknown>,
): Chart {
  const [a, b] = sweep.vary;
  const axis = (field: "x" | "y", path: string, values: unknown[]) => ({
    field,
    type: "ordinal" as const,
    title: path,
    sort: values.map((v) =>
      typeof v === "number" || typeof v === "string" ? v : JSON.stringify(v),
    ),
    axis: { labelAngle: 0 },
  });
  const x = axis("x", a.path, a.values);
  const y = axis("y", b.path, b.values);
  return {
    id,
    title,
    explanation,
    spec: {
      config: CONFIG,
      width: Math.min(WIDTH - 160, 60 * a.values.length),
      height: Math.min(420, 32 * b.values.length),
      data: { values: rows },
      layer: [
        { mark: { type: "rect" }, encoding: { x, y, color: colour } },
        { mark: { type: "text", fontSize: 10 }, encoding: { x, y, text: { field: "label" } } },
      ],
    },
  };
}

export function sweepHeatmaps(sweep: Sweep): Chart[] {
  const [a, b] = sweep.vary;
  const charts: Chart[] = [];
  const verdicts = sweep.points.flatMap((p) => {
    const verdict = pointVerdict(p);
    return verdict === null
      ? []
      : [{ x: xValue(p, a.path), y: xValue(p, b.path), value: verdict, label: verdict }];
  });
  if (verdicts.length > 0) {
    charts.push(
      heatmap(
        sweep,
        "sweep-verdicts",
        `Thresholds at each point of ${a.path} × ${b.path}`,
        "Each cell is one point of the grid: pass when every threshold passes over its whole 95% interval, fail when any fails over its whole interval, undecided otherwise (the boundary lies there, or more seeds are needed to tell).",
        verdicts,
        {
          field: "value",
          type: "nominal",
          title: "thresholds",
          scale: { domain: Object.keys(VERDICT_COLOURS), range: Object.values(VERDICT_COLOURS) },
        },
      ),
    );
  }
  for (const load of Object.keys(sweep.points[0].loads)) {
    charts.push(
      heatmap(
        sweep,
        `sweep-p99-${load}`,
        `p99 latency of ${load} at each point of ${a.path} × ${b.path}`,
        "The mean over the point's runs of each run's p99 end-to-end latency, in milliseconds (the table gives each one's interval).",
        sweep.points.map((p) => {
          const v = p.loads[load].latencyMs.p99;
          return {
            x: xValue(p, a.path),
            y: xValue(p, b.path),
            value: v,
            label: v >= 100 ? v.toFixed(0) : v.toPrecision(3),
          };
        }),
        { field: "value", type: "quantitative", title: "p99 ms", scale: { scheme: "orangered" } },
      ),
    );
  }
  return charts;
}

export function sweepCharts(sweep: Sweep): Chart[] {
  if (sweep.points.length === 0) return [];
  if (sweep.vary.length === 1 || sweep.zip) return sweepLineCharts(sweep);
  if (sweep.vary.length === 2) return sweepHeatmaps(sweep);
  return [];
}
