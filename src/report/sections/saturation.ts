// Load against latency as a table, for report.md: the saturation curve's rows (html/data/
// saturation.ts, the same rows report.html's chart plots), one row per slice of the offered range
// with its offered and completed rates and each latency quantile, then the knee sentence.
import type { RunResult } from "../../result/run.ts";
import { saturationFindings } from "../html/charts/saturation.ts";
import { metricsOf } from "../html/data/chartRows.ts";
import { loadChanges, type SaturationRow, saturationRows } from "../html/data/saturation.ts";
import { formatMs } from "./summaryRows.ts";
import type { TextTable } from "./tables.ts";

/** Why there is no curve: the same words as report.html's. */
export const STEADY_LOAD_TEXT =
  "The offered load held steady through the run (beyond the noise of counting arrivals), so there is no saturation curve to draw: run a ramping or stepped load (a ramping-arrival-rate executor with stages) to see where latency climbs and throughput stops following the load.";

export const SATURATION_TABLE_TEXT =
  "Each row is a slice of the offered range (a 25th of it): the scrape windows whose end-user requests offered per second fell in it, with their mean offered and completed rates and the median of their end-to-end latency quantiles (of the requests that finished in each window; — where none did), as report.html's load against latency chart plots them. Up to the knee latency stays flat and completed follows offered; past it latency climbs and completed falls behind.";

export type SaturationSection =
  | { kind: "none" }
  | { kind: "steady" }
  | { kind: "curve"; table: TextTable; findings: string[] };

/** The table for a run whose offered rate changed; "steady" when it did not; "none" without series. */
export function saturationSection(result: RunResult): SaturationSection {
  const metrics = metricsOf(result);
  if (metrics === null) return { kind: "none" };
  if (!loadChanges(metrics)) return { kind: "steady" };
  const rows = saturationRows(result, metrics);
  if (rows.every((r) => r.latencyMs === null)) return { kind: "steady" };
  return {
    kind: "curve",
    table: saturationTable(rows),
    findings: saturationFindings(
      rows.filter((r) => r.latencyMs !== null),
      rows,
    ),
  };
}

/** One row per offered slice (the first series' rows carry every slice), a column per series. */
function saturationTable(rows: readonly SaturationRow[]): TextTable {
  const series = [...new Set(rows.map((r) => r.series))];
  const slices = rows.filter((r) => r.series === rows[0].series);
  const latency = new Map(rows.map((r) => [`${r.ms} ${r.series}`, r.latencyMs]));
  const rate = (v: number) => String(Number(v.toPrecision(3)));
  return {
    columns: [
      { title: "offered /s", numeric: true },
      { title: "completed /s", numeric: true },
      ...series.map((s) => ({ title: `${s} ms`, numeric: true })),
      { title: "windows", numeric: true },
    ],
    rows: slices.map((slice) => [
      rate(slice.offered),
      rate(slice.completed),
      ...series.map((s) => {
        const v = latency.get(`${slice.ms} ${s}`);
        return v === null || v === undefined ? "—" : formatMs(v);
      }),
      String(slice.windows),
    ]),
  };
}
