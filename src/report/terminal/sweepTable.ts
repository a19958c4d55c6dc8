// The table `meshsim sweep` prints (and sweep.md holds): one row per point and load, the varied
// values as the first columns, then each figure as its mean over the point's replications ± the
// half-width of its 95% interval, the pooled p99 of all requests, and the thresholds' verdicts.
import Table from "cli-table3";
import type { Sweep } from "../../result/experiment.ts";
import { markdownTable } from "../markdown/table.ts";
import { formatMs } from "../sections/summaryRows.ts";
import { msCell, percentCell, rateCell, thresholdMarks, valueText } from "./experimentCells.ts";

export function sweepHeader(sweep: Sweep): string[] {
  return [
    ...sweep.vary.map((v) => v.path),
    "load",
    "seeds",
    "errors",
    "mean ms",
    "p50 ms",
    "p99 ms",
    "p99.9 ms",
    "pooled p99 ms",
    "req/s",
    "thresholds",
  ];
}

export function sweepRows(sweep: Sweep): string[][] {
  return sweep.points.flatMap((point) =>
    Object.entries(point.loads).map(([load, l]) => [
      ...sweep.vary.map((v) => valueText(point.set[v.path])),
      load,
      point.precision === null
        ? String(point.seeds)
        : `${point.seeds}${point.precision.reached ? "" : " (imprecise)"}`,
      percentCell(l.errorRate, l.errorRateCi95),
      msCell(l.latencyMs.mean, l.latencyMs.meanCi95),
      msCell(l.latencyMs.p50, l.latencyMs.p50Ci95),
      msCell(l.latencyMs.p99, l.latencyMs.p99Ci95),
      msCell(l.latencyMs.p999, l.latencyMs.p999Ci95),
      formatMs(l.pooledLatencyMs.p99),
      rateCell(l.throughputPerS, l.throughputPerSCi95),
      thresholdMarks(point.thresholds),
    ]),
  );
}

/** What the numbers mean, under the table. */
export function sweepNotes(sweep: Sweep): string[] {
  const first = sweep.points[0];
  const notes = [
    `Seeds from ${sweep.firstSeed}, the same for every point (common random numbers). Figures are means over a point's runs ± the half-width of their 95% Student t interval; "pooled p99" is the p99 of all its runs' requests together (no interval).`,
  ];
  if (first !== undefined && first.thresholds.length > 0) {
    const list = first.thresholds.map((t) => `${t.metric}: ${t.expression}`).join("; ");
    notes.push(
      `Thresholds (${list}): ✓ the whole interval passes, ✗ the whole interval fails, ? undecided.`,
    );
  }
  if (sweep.points.some((p) => p.precision !== null && !p.precision.reached))
    notes.push("(imprecise): the precision asked for was not reached within --max-seeds.");
  return notes;
}

export function renderSweepTable(sweep: Sweep): string {
  const table = new Table({ head: sweepHeader(sweep), style: { head: [], border: [] } });
  for (const row of sweepRows(sweep)) table.push(row);
  const varied = sweep.vary.map((v) => v.path).join(sweep.zip ? " with " : " × ");
  return `sweep ${sweep.scenario} over ${varied}, ${sweep.points.length} points\n${table.toString()}\n${sweepNotes(sweep).join("\n")}\n`;
}

export function renderSweepMarkdown(sweep: Sweep): string {
  return [
    `# meshsim sweep: ${sweep.scenario}`,
    "",
    ...markdownTable(sweepHeader(sweep), sweepRows(sweep)),
    "",
    ...sweepNotes(sweep).flatMap((n) => [n, ""]),
  ].join("\n");
}
