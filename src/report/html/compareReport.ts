// report.html for `meshsim compare`: the variants side by side. What each variant changed, the
// thresholds each passed, the comparison table the terminal prints, then the charts: latency
// percentiles as grouped bars, failed requests, load imbalance, and p99 and goodput over time
// (with the faults shaded and the scenario's events ruled, the baseline's when variants differ).

import type { Comparison, VariantOutcome } from "../../result/compare.ts";
import type { MetricsResult } from "../../result/metrics.ts";
import type { RunResult } from "../../result/run.ts";
import {
  EDGE_IMBALANCE_TEXT,
  edgeImbalanceTable,
  SERVICE_UTILISATION_TEXT,
  serviceUtilisationTable,
} from "../sections/compareTables.ts";
import type { TextTable } from "../sections/tables.ts";
import { compareHeader, compareRows, diffHeader, diffRows } from "../terminal/compareTable.ts";
import { THRESHOLD_MARK } from "../terminal/experimentCells.ts";
import type { Chart } from "./charts/common.ts";
import {
  compareErrorsChart,
  compareForestChart,
  compareImbalanceChart,
  compareLatencyChart,
  compareP99Chart,
} from "./charts/compare.ts";
import { withEvents } from "./charts/events.ts";
import {
  type LineRow,
  latencyRows,
  metricsOf,
  throughputRows,
  timeAxis,
  warmupMsOf,
} from "./data/chartRows.ts";
import { type EventMark, scenarioEvents } from "./data/events.ts";
import { faultBands, warmupBand } from "./data/timeline.ts";
import { chartFigure, escapeHtml, htmlPage, htmlTable, paragraph } from "./page.ts";
import { compareTransactionsHtml } from "./transactionsSection.ts";

const NUMERIC_FROM = 2;

export function compareCharts(comparison: Comparison): Chart[] {
  const forest = compareForestChart(comparison);
  const charts = [
    ...(forest === null ? [] : [forest]),
    compareLatencyChart(comparison),
    compareErrorsChart(comparison),
    compareImbalanceChart(comparison),
  ];
  const p99 = p99OverTime(comparison);
  if (p99 !== null) charts.push(p99);
  return charts;
}

/**
 * The p99 and goodput over time of each variant's first-seed run, with the faults and scenario
 * events of the baseline's (a note says so when the variants' differ), or null when the results
 * hold no time series.
 */
function p99OverTime(comparison: Comparison): Chart | null {
  const first = comparison.variants[0]?.results[0];
  if (first === undefined || metricsOf(first) === null) return null;
  const base = (
    comparison.variants.find((v) => v.name === comparison.baseline) ?? comparison.variants[0]
  ).results[0];
  const axis = timeAxis(Math.max(...comparison.variants.map((v) => v.results[0].simulatedMs)));
  const perVariant = (rowsOf: (result: RunResult, metrics: MetricsResult) => LineRow[]) =>
    comparison.variants.flatMap((v) => {
      const metrics = metricsOf(v.results[0]);
      return metrics === null
        ? []
        : rowsOf(v.results[0], metrics).map((r) => ({
            ...r,
            series: r.series === "" ? v.name : `${v.name} ${r.series}`,
          }));
    });
  // Series renamed to the variant (and the load, when there are several).
  const rows = perVariant((result, metrics) =>
    latencyRows(result, metrics, axis)
      .filter((r) => r.series.endsWith("p99"))
      .map((r) => ({ ...r, series: r.series.slice(0, -"p99".length).trim() })),
  );
  const goodput = perVariant((_, metrics) =>
    throughputRows(metrics, axis)
      .filter((r) => r.series === "completed")
      .map((r) => ({ ...r, series: "" })),
  );
  const events = scenarioEvents(base, axis);
  const chart = withEvents(
    compareP99Chart({
      rows,
      goodput,
      axis,
      faults: faultBands(base, axis),
      warmup: warmupBand(warmupMsOf(base), axis),
      seed: comparison.seeds[0],
    }),
    events,
    axis,
  )!;
  const same = comparison.variants.every(
    (v) =>
      timelineKey(v.results[0], scenarioEvents(v.results[0], axis)) === timelineKey(base, events),
  );
  return same
    ? chart
    : {
        ...chart,
        explanation: `${chart.explanation} The variants' faults or scenario events differ: those shaded and marked are ${comparison.baseline}'s, the baseline's.`,
      };
}

/** What the chart shades and marks for a run: its fault windows and its events. */
function timelineKey(result: RunResult, events: readonly EventMark[]): string {
  return JSON.stringify([
    result.faults.map((f) => [f.name, f.kind, f.startMs, f.endMs, f.targets]),
    events.map((e) => [e.t, e.kind, e.hover]),
  ]);
}

export function renderCompareHtml(comparison: Comparison): string {
  const seeds =
    comparison.seeds.length === 1
      ? `seed ${comparison.seeds[0]}`
      : `seeds ${comparison.seeds.join(", ")} (requests are summed over seeds; every other figure is the mean over seeds ± the half-width of its 95% interval)`;
  const header = compareHeader.map((title, i) => ({ title, numeric: i >= NUMERIC_FROM }));
  const body = [
    `<h1>Comparison: ${escapeHtml(comparison.scenario)}</h1>`,
    paragraph(
      `meshsim ran the “${comparison.scenario}” scenario once per variant on ${seeds}. Every variant saw the same arrivals and the same random draws, so the differences below come from what the variant changed. All times are simulated time.`,
      "lede",
    ),
    "<h2>Variants</h2>",
    htmlTable(
      [{ title: "variant" }, { title: "what it changes" }],
      comparison.variants.map((v) => [v.name, changes(v)]),
    ),
    thresholds(comparison),
    "<h2>Side by side</h2>",
    paragraph(
      "Requests are those offered, over all seeds together; every other figure is the mean over seeds. Latencies are end to end, from when a request was due to be sent to its answer, in milliseconds (— where none completed); the error rate is failed over finished requests; the worst edge imbalance is the largest busiest-instance-over-mean of any edge (1 is even), per edge below.",
    ),
    htmlTable(header, compareRows(comparison)),
    "<h3>Imbalance per edge</h3>",
    paragraph(EDGE_IMBALANCE_TEXT),
    tableOf(edgeImbalanceTable(comparison)),
    "<h3>Utilisation per service and the bottleneck</h3>",
    paragraph(SERVICE_UTILISATION_TEXT),
    tableOf(serviceUtilisationTable(comparison)),
    ...differences(comparison),
    "<h2>Charts</h2>",
    ...compareCharts(comparison).map(chartFigure),
    ...[compareTransactionsHtml(comparison)].filter((part) => part !== ""),
    `<footer>Generated by meshsim compare from the scenario “${escapeHtml(comparison.scenario)}”.</footer>`,
  ];
  return htmlPage(`meshsim compare: ${comparison.scenario}`, body.join("\n"));
}

/** The paired differences against the baseline, when there is more than the baseline. */
function differences(comparison: Comparison): string[] {
  const rows = diffRows(comparison);
  if (rows.length === 0) return [];
  return [
    `<h2>Against ${escapeHtml(comparison.baseline)}</h2>`,
    paragraph(
      `Each figure of each variant minus the same figure of ${comparison.baseline}, seed by seed, with the half-width of the 95% interval of those differences and a verdict: better or worse only when the whole interval is on one side of 0, otherwise "same" (no significant difference). Because both ran the same seeds, this interval is much tighter than the two separate ones above.`,
    ),
    htmlTable(
      diffHeader.map((title, i) => ({ title, numeric: i >= NUMERIC_FROM })),
      rows,
    ),
  ];
}

function tableOf(t: TextTable): string {
  return htmlTable(t.columns, t.rows);
}

function changes(variant: VariantOutcome): string {
  const entries = Object.entries(variant.set);
  return entries.length === 0
    ? "nothing (the scenario as written)"
    : entries.map(([path, value]) => `${path} = ${JSON.stringify(value)}`).join("; ");
}

/**
 * One row per variant, one column per threshold: judged on its interval over the seeds (pass or
 * fail only when the whole interval is on one side of the limit), with how many runs failed it.
 */
function thresholds(comparison: Comparison): string {
  const first = comparison.variants[0];
  if (first === undefined || first.thresholds.length === 0) return "";
  const columns = [
    { title: "variant" },
    ...first.thresholds.map((t) => ({ title: `${t.metric}: ${t.expression}` })),
  ];
  const rows = comparison.variants.map((v) => [
    v.name,
    ...v.thresholds.map((t, i) => {
      const failed = v.results.filter((r) => r.thresholds[i] !== undefined && !r.thresholds[i].ok);
      const runs =
        failed.length === 0 ? "" : ` (${failed.length} of ${v.results.length} runs failed)`;
      return `${THRESHOLD_MARK[t.verdict]} ${t.verdict}${runs}`;
    }),
  ]);
  return [
    "<h2>Thresholds</h2>",
    paragraph(
      "The scenario's pass/fail thresholds, as k6 checks them, for each variant, judged on the 95% interval of the figure over the seeds: ✓ the whole interval passes, ✗ the whole interval fails, ? undecided (with one seed, that run decides).",
    ),
    htmlTable(columns, rows),
  ].join("\n");
}
