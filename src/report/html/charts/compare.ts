// Charts of `meshsim compare`: the variants side by side. Latency percentiles per variant as
// grouped bars, the error rate and the worst edge imbalance per variant, and the p99 over time of
// each variant's first-seed run (all variants share the fault timeline), over the faults; and the
// paired differences against the baseline as a forest plot.
import type { Comparison } from "../../../result/compare.ts";
import type { Ci95 } from "../../../result/experiment.ts";
import { edgeImbalance } from "../../sections/compareTables.ts";
import type { LineRow, TimeAxis } from "../data/chartRows.ts";
import type { Band } from "../data/timeline.ts";
import { bandLayers, type Chart, CONFIG, msText, timeX, valueScale, WIDTH } from "./common.ts";

const PERCENTILES = ["p50", "p90", "p99"] as const;
const PERCENTILE_COLOURS = ["#4c78a8", "#f58518", "#b2182b"];

/** One bar per variant, load and percentile. */
export function compareLatencyRows(
  comparison: Comparison,
): { variant: string; load: string; percentile: string; ms: number; label: string }[] {
  return comparison.variants.flatMap((v) =>
    v.loads.flatMap((l) =>
      PERCENTILES.map((p) => ({
        variant: v.name,
        load: l.load,
        percentile: p,
        ms: l.latencyMs[p],
        label: msText(l.latencyMs[p]),
      })),
    ),
  );
}

function seedsText(comparison: Comparison): string {
  return comparison.seeds.length === 1
    ? `seed ${comparison.seeds[0]}`
    : `the means over seeds ${comparison.seeds.join(", ")}`;
}

export function compareLatencyChart(comparison: Comparison): Chart {
  const rows = compareLatencyRows(comparison);
  const variants = comparison.variants.map((v) => v.name);
  const loads = [...new Set(rows.map((r) => r.load))];
  const scale = valueScale(rows.map((r) => r.ms));
  const x = {
    field: "variant",
    type: "nominal" as const,
    title: "variant",
    sort: variants,
    axis: { labelAngle: 0 },
  };
  const xOffset = { field: "percentile", type: "nominal" as const, sort: [...PERCENTILES] };
  // On a log scale, bars start from the power of ten below the smallest value instead of 0; the
  // domain leaves room above the tallest bar for its label.
  const max = Math.max(1, ...rows.map((r) => r.ms));
  const floor =
    10 ** Math.floor(Math.log10(Math.min(max, ...rows.map((r) => r.ms).filter((ms) => ms > 0))));
  const yScale =
    scale.type === "log"
      ? { type: "log" as const, domain: [floor, max * 2] }
      : { type: "linear" as const, domain: [0, max * 1.12] };
  const y = {
    field: "ms",
    type: "quantitative" as const,
    title: `latency (ms${scale.logNote})`,
    scale: yScale,
  };
  const y2 = scale.type === "log" ? { y2: { datum: floor } } : {};
  const layer = [
    {
      mark: { type: "bar" as const },
      encoding: {
        x,
        xOffset,
        y,
        ...y2,
        color: {
          field: "percentile",
          type: "nominal" as const,
          title: "percentile",
          scale: { domain: [...PERCENTILES], range: PERCENTILE_COLOURS },
        },
      },
    },
    {
      mark: { type: "text" as const, dy: -4, fontSize: 9, baseline: "bottom" as const },
      encoding: { x, xOffset, y, text: { field: "label" } },
    },
  ];
  const panel = (load: string) => ({
    ...(loads.length > 1 ? { title: `load ${load}` } : {}),
    width: WIDTH,
    height: 240,
    data: { values: rows.filter((r) => r.load === load) },
    layer,
  });
  return {
    id: "compare-latency",
    title: "End-to-end latency per variant",
    explanation:
      `Each group of bars is one variant of the scenario, all run on the same seeds, so they saw the same arrivals and the same random draws: differences come from the variant alone. ` +
      `The bars are the end-to-end latency percentiles (${seedsText(comparison)}): p50 is the median, p99 the slow tail that one request in a hundred exceeds. Lower is better.`,
    spec: { config: CONFIG, spacing: 24, vconcat: loads.map(panel) },
  };
}

function perVariantBars(
  id: string,
  title: string,
  explanation: string,
  rows: { variant: string; value: number; label: string }[],
  xTitle: string,
  format: string,
  rule: number | null,
): Chart {
  const y = {
    field: "variant",
    type: "nominal" as const,
    title: null,
    sort: rows.map((r) => r.variant),
  };
  const x = { field: "value", type: "quantitative" as const, title: xTitle, axis: { format } };
  return {
    id,
    title,
    explanation,
    spec: {
      config: CONFIG,
      width: WIDTH - 160,
      height: { step: 22 },
      data: { values: rows },
      layer: [
        { mark: { type: "bar", color: "#4c78a8" }, encoding: { y, x } },
        {
          mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
          encoding: { y, x, text: { field: "label" } },
        },
        ...(rule === null
          ? []
          : [
              {
                data: { values: [{ value: rule }] },
                mark: { type: "rule" as const, color: "black", strokeDash: [4, 3] },
                encoding: { x: { field: "value", type: "quantitative" as const } },
              },
            ]),
      ],
    },
  };
}

export function compareErrorsChart(comparison: Comparison): Chart {
  const rows = comparison.variants.map((v) => {
    const offered = v.loads.reduce((s, l) => s + l.offered, 0);
    const rate =
      offered > 0 ? v.loads.reduce((s, l) => s + l.errorRate * l.offered, 0) / offered : 0;
    return { variant: v.name, value: rate, label: `${(rate * 100).toFixed(2)}%` };
  });
  return perVariantBars(
    "compare-errors",
    "Failed requests per variant",
    "The share of end-user requests that failed (an error, a timeout or a rejection), all loads and seeds together. Lower is better.",
    rows,
    "failed requests",
    ".1%",
    null,
  );
}

/** One bar per edge and variant: the edge's imbalance (mean over seeds), so the edges where balancers differ show. */
export function compareImbalanceChart(comparison: Comparison): Chart {
  const variants = comparison.variants.map((v) => v.name);
  const rows = edgeImbalance(comparison)
    .filter((r) => r.imbalance !== null)
    .map((r) => ({
      edge: r.edge.replace("->", " → "),
      variant: r.variant,
      value: r.imbalance as number,
      label: (r.imbalance as number).toFixed(3),
    }));
  const edges = [...new Set(rows.map((r) => r.edge))];
  const y = { field: "edge", type: "nominal" as const, title: null, sort: edges };
  const yOffset = { field: "variant", type: "nominal" as const, sort: variants };
  const x = {
    field: "value",
    type: "quantitative" as const,
    title: "busiest instance / mean",
    axis: { format: ".2f" },
  };
  return {
    id: "compare-imbalance",
    title: "Load imbalance per edge and variant",
    explanation:
      "How unevenly the load balancers spread calls, edge by edge: for each caller-to-service edge, the busiest instance's calls over the mean per instance (mean over seeds), one bar per variant. 1 (the dashed line) is a perfectly even spread; 1.5 means one instance got 50% more than its fair share. An edge split unevenly on purpose (a canary) is uneven in every variant; look for the edges where the variants' bars part.",
    spec: {
      config: CONFIG,
      width: WIDTH - 220,
      height: { step: 12 },
      layer: [
        {
          data: { values: rows },
          mark: { type: "bar" },
          encoding: {
            y,
            yOffset,
            x,
            color: {
              field: "variant",
              type: "nominal" as const,
              title: "variant",
              sort: variants,
              scale: { scheme: "tableau10" },
            },
          },
        },
        {
          data: { values: [{ value: 1 }] },
          mark: { type: "rule" as const, color: "black", strokeDash: [4, 3] },
          encoding: { x: { field: "value", type: "quantitative" as const } },
        },
      ],
    },
  };
}

export interface CompareTimeInput {
  /** p99 (ms) per variant: `series` is the variant. */
  rows: LineRow[];
  /** Completed end-user requests per second per variant. */
  goodput: LineRow[];
  axis: TimeAxis;
  faults: Band[];
  warmup: Band | null;
  seed: number;
}

/**
 * Small multiples: one row per variant with its p99 and its goodput over time, on the same scales
 * across variants, so lines that lie on top of each other in one chart are each seen.
 */
export function compareP99Chart({
  rows,
  goodput,
  axis,
  faults,
  warmup,
  seed,
}: CompareTimeInput): Chart {
  const variants = [...new Set(goodput.map((r) => r.series))];
  const scale = valueScale(rows.map((r) => r.value));
  const latencies = rows.map((r) => r.value).filter((v): v is number => v !== null && v > 0);
  const latencyDomain =
    scale.type === "log"
      ? [Math.min(...latencies), Math.max(...latencies)]
      : [0, Math.max(1, ...latencies)];
  const goodputMax = Math.max(1, ...goodput.map((r) => r.value ?? 0));
  const panelWidth = Math.floor((WIDTH - 110) / 2);
  const panel = (
    variant: string,
    values: LineRow[],
    yTitle: string,
    yScale: { type: "linear" | "log"; domain: number[] },
    interpolate: "linear" | "step-before",
    colour: string,
  ) => ({
    width: panelWidth,
    height: 70,
    layer: [
      ...bandLayers(faults, warmup, axis, "inside", panelWidth),
      {
        // A variant's own line (or, with several loads, one per load: `variant load`).
        data: {
          values: values.filter((r) => r.series === variant || r.series.startsWith(`${variant} `)),
        },
        mark: { type: "line" as const, strokeWidth: 1.6, interpolate, color: colour },
        encoding: {
          x: timeX(axis),
          y: { field: "value", type: "quantitative" as const, title: yTitle, scale: yScale },
          detail: { field: "series", type: "nominal" as const },
        },
      },
    ],
  });
  const row = (variant: string) => ({
    title: { text: variant, anchor: "start" as const, fontSize: 12 },
    spacing: 36,
    hconcat: [
      panel(
        variant,
        rows,
        `p99 (ms${scale.logNote})`,
        { type: scale.type, domain: latencyDomain },
        "linear",
        "#b2182b",
      ),
      panel(
        variant,
        goodput,
        "completed per s",
        { type: "linear", domain: [0, goodputMax] },
        "step-before",
        "#4c78a8",
      ),
    ],
  });
  return {
    id: "compare-p99",
    title: "Latency and goodput over time per variant",
    explanation:
      `One row per variant (the run with seed ${seed}), all on the same scales, with the warm-up in grey and the injected faults in red. ` +
      "On the left, the p99 end-to-end latency of the requests that completed in each stored window of simulated time; a gap means none completed. " +
      "On the right, the goodput: requests completed successfully per second. Read down a column to see when the variants part ways, and how long each takes to recover after a fault.",
    spec: {
      config: CONFIG,
      spacing: 14,
      vconcat: variants.map(row),
    },
  };
}

/**
 * Half-width of the difference of two independent means from their own 95% half-widths, as
 * √(h_a² + h_b²): what a reader would get without pairing (exact for equal t quantiles, which
 * holds here: both variants ran the same number of seeds).
 */
function unpairedHalfWidth(a: Ci95, b: Ci95): number | null {
  if (a === null || b === null) return null;
  return Math.hypot((a[1] - a[0]) / 2, (b[1] - b[0]) / 2);
}

const FOREST_FIGURES = [
  ["mean", "Δ mean"],
  ["p99", "Δ p99"],
] as const;

/** One row per variant and figure: the paired difference, its interval, and the unpaired one. */
export function forestRows(comparison: Comparison) {
  const baseline = comparison.variants.find((v) => v.name === comparison.baseline)!;
  return comparison.variants.flatMap((v) =>
    v.diff === null
      ? []
      : v.diff.loads.flatMap((d, i) =>
          FOREST_FIGURES.map(([key, name]) => {
            const value = d.latencyMs[key];
            const paired = d.latencyMs[`${key}Ci95`];
            const unpaired = unpairedHalfWidth(
              v.loads[i].latencyMs[`${key}Ci95`],
              baseline.loads[i].latencyMs[`${key}Ci95`],
            );
            return {
              variant: v.name,
              load: d.load,
              figure: name,
              value,
              lo: paired?.[0] ?? value,
              hi: paired?.[1] ?? value,
              unpairedLo: unpaired === null ? value : value - unpaired,
              unpairedHi: unpaired === null ? value : value + unpaired,
              verdict: d.latencyMs[`${key}Verdict`] ?? "one seed",
            };
          }),
        ),
  );
}

export function compareForestChart(comparison: Comparison): Chart | null {
  const rows = forestRows(comparison);
  if (rows.length === 0) return null;
  const variants = [...new Set(rows.map((r) => r.variant))];
  const y = { field: "variant", type: "nominal" as const, title: null, sort: variants };
  const x = (field: string) => ({
    field,
    type: "quantitative" as const,
    title: `variant − ${comparison.baseline} (ms)`,
  });
  const colour = {
    field: "verdict",
    type: "nominal" as const,
    title: "verdict",
    scale: {
      domain: ["better", "worse", "no significant difference", "one seed"],
      range: ["#1a7f37", "#cf222e", "#57606a", "#8c8c8c"],
    },
  };
  const panel = (load: string, figure: string) => ({
    title: `${figure}${new Set(rows.map((r) => r.load)).size > 1 ? ` of ${load}` : ""}`,
    width: WIDTH - 200,
    height: { step: 22 },
    data: { values: rows.filter((r) => r.load === load && r.figure === figure) },
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: "rule" as const, color: "black" },
        encoding: { x: { field: "zero", type: "quantitative" as const } },
      },
      // With one seed there is no interval: no bar of zero width is drawn.
      {
        transform: [{ filter: "datum.unpairedHi > datum.unpairedLo" }],
        mark: { type: "rule" as const, color: "#c8ccd1", strokeWidth: 9 },
        encoding: { y, x: x("unpairedLo"), x2: { field: "unpairedHi" } },
      },
      {
        transform: [{ filter: "datum.hi > datum.lo" }],
        mark: { type: "rule" as const, strokeWidth: 2.5 },
        encoding: { y, x: x("lo"), x2: { field: "hi" }, color: colour },
      },
      {
        mark: { type: "point" as const, filled: true, size: 50 },
        encoding: { y, x: x("value"), color: colour },
      },
    ],
  });
  const loads = [...new Set(rows.map((r) => r.load))];
  return {
    id: "compare-forest",
    title: `Paired differences against ${comparison.baseline}`,
    explanation:
      `Each row is a variant's difference from the baseline ${comparison.baseline}, run on the same seeds and subtracted seed by seed: the dot is the mean difference and the coloured bar its 95% interval. ` +
      "Left of the black line at 0 the variant is faster. The wide grey bar is the interval one would get from the two variants' separate intervals, ignoring that they shared their random draws: pairing removes the noise they share, which is why the coloured bar is so much narrower. " +
      "A verdict of better or worse needs the whole coloured bar on one side of 0.",
    spec: {
      config: CONFIG,
      spacing: 24,
      vconcat: loads.flatMap((load) => FOREST_FIGURES.map(([, figure]) => panel(load, figure))),
    },
  };
}
