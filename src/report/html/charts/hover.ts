// Hover text for marks that stand for a whole series or a label: a line or an area is one SVG
// path, so vega's own label for it is its first point's values, not something to read. Each row
// of a series gets a `hover` field summing the series up (lowest, highest and when, last), which
// the specs encode as the mark's `description`; svg.ts turns that into an SVG <title>.
// Summaries never contain "; ", which is how svg.ts tells them from vega's default labels.
import type { LineRow, TimeAxis } from "../data/chartRows.ts";
import { timeText } from "./common.ts";

/** The encoding that makes `hover` a mark's accessible description (and so its hover title). */
export const HOVER = { description: { field: "hover" } } as const;

/** `rows` with every row of a series carrying that series' summary, e.g. `p99: lowest 31 ms, highest 1.2 s at 130 s, last 40 ms`. */
export function withSeriesHover<R extends LineRow>(
  rows: readonly R[],
  format: (value: number) => string,
  axis: TimeAxis,
  seriesName: (row: R) => string = (row) => row.series,
): (R & { hover: string })[] {
  const bySeries = new Map<string, R[]>();
  for (const row of rows) {
    const key = seriesName(row);
    const list = bySeries.get(key);
    if (list === undefined) bySeries.set(key, [row]);
    else list.push(row);
  }
  const texts = new Map<string, string>();
  for (const [name, list] of bySeries) texts.set(name, seriesSummary(name, list, format, axis));
  return rows.map((row) => ({ ...row, hover: texts.get(seriesName(row))! }));
}

export function seriesSummary(
  name: string,
  rows: readonly LineRow[],
  format: (value: number) => string,
  axis: TimeAxis,
): string {
  const shown = rows.filter((r): r is LineRow & { value: number } => r.value !== null);
  if (shown.length === 0) return `${name}: no value`;
  let low = shown[0];
  let high = shown[0];
  for (const r of shown) {
    if (r.value < low.value) low = r;
    if (r.value > high.value) high = r;
  }
  const last = shown[shown.length - 1];
  return `${name}: lowest ${format(low.value)} at ${timeText(low.t, axis)}, highest ${format(high.value)} at ${timeText(high.t, axis)}, last ${format(last.value)}`;
}

/** A count or rate for a hover title: 3 significant figures, thousands unseparated. */
export function figure(value: number): string {
  return String(Number(value.toPrecision(3)));
}
