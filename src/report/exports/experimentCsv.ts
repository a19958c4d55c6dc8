// sweep.csv (and compare.csv): tidy data for pandas, R or a spreadsheet, one row per point (or
// variant) × load or service × figure, with the interval's ends in lo and hi (empty without one)
// and the number of seeds. RFC 4180 quoting; the varied paths are columns of their own.
import type { Comparison } from "../../result/compare.ts";
import type { Ci95, LoadFigures, ServiceFigures, Sweep } from "../../result/experiment.ts";

type Row = (string | number | null)[];

function cell(value: string | number | null): string {
  if (value === null) return "";
  const text = typeof value === "number" ? String(value) : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: string[], rows: Row[]): string {
  return `${[header, ...rows].map((r) => r.map(cell).join(",")).join("\n")}\n`;
}

const LATENCY = ["mean", "p50", "p90", "p99", "p999"] as const;

/** [figure, value, ci] for each figure of a load or service. */
function figures(f: LoadFigures | ServiceFigures): [string, number, Ci95][] {
  const rows: [string, number, Ci95][] = [];
  if ("errorRate" in f) rows.push(["errorRate", f.errorRate, f.errorRateCi95]);
  if ("throughputPerS" in f) rows.push(["throughputPerS", f.throughputPerS, f.throughputPerSCi95]);
  if ("utilization" in f) rows.push(["utilization", f.utilization, f.utilizationCi95]);
  for (const p of LATENCY) rows.push([`latencyMs.${p}`, f.latencyMs[p], f.latencyMs[`${p}Ci95`]]);
  rows.push(["latencyMs.max", f.latencyMs.max, null]);
  for (const p of LATENCY) rows.push([`pooledLatencyMs.${p}`, f.pooledLatencyMs[p], null]);
  return rows;
}

function figureRows(
  prefix: Row,
  seeds: number,
  loads: Record<string, LoadFigures>,
  services: Record<string, ServiceFigures>,
): Row[] {
  const rows: Row[] = [];
  for (const [scope, items] of [
    ["load", loads],
    ["service", services],
  ] as const) {
    for (const [name, f] of Object.entries(items)) {
      for (const [figure, value, ci] of figures(f))
        rows.push([...prefix, scope, name, figure, value, ci?.[0] ?? null, ci?.[1] ?? null, seeds]);
    }
  }
  return rows;
}

const TAIL = ["scope", "name", "figure", "value", "lo", "hi", "seeds"];

export function renderSweepCsv(sweep: Sweep): string {
  const paths = sweep.vary.map((v) => v.path);
  const rows = sweep.points.flatMap((point, i) =>
    figureRows(
      [
        i,
        ...paths.map((p) => {
          const v = point.set[p];
          return typeof v === "number" || typeof v === "string" ? v : JSON.stringify(v);
        }),
      ],
      point.seeds,
      point.loads,
      point.services,
    ),
  );
  return csv(["point", ...paths, ...TAIL], rows);
}

export function renderCompareCsv(comparison: Comparison): string {
  const rows = comparison.variants.flatMap((v) =>
    figureRows(
      [v.name],
      comparison.seeds.length,
      Object.fromEntries(v.loads.map(({ load, ...figures }) => [load, figures])),
      v.services,
    ),
  );
  return csv(["variant", ...TAIL], rows);
}
