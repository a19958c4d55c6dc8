// What every chart of the report shares: the Chart record (a title, the plain-language paragraph
// shown above it, the vega-lite spec), the look (system fonts, sizes, colours), the simulated-time
// x axis, and the shaded bands behind time charts (faults in red, the warm-up in grey).
import type { TopLevelSpec } from "vega-lite";
import type { Config } from "vega-lite/types_unstable/config.js";
import type { LayerSpec, UnitSpec } from "vega-lite/types_unstable/spec/index.js";
import type { TimeAxis } from "../data/chartRows.ts";
import type { Band } from "../data/timeline.ts";

export type Layer = UnitSpec<string> | LayerSpec<string>;

export interface Chart {
  /** A stable id, used for the figure's anchor and to keep SVG ids apart. */
  id: string;
  title: string;
  /** One paragraph of plain language: what the chart shows and how to read it. */
  explanation: string;
  spec: TopLevelSpec;
}

export const FONT =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
export const WIDTH = 700;
export const FAULT_COLOUR = "#d62728";
export const WARMUP_COLOUR = "#8c8c8c";

export const CONFIG: Config = {
  font: FONT,
  background: "white",
  padding: 8,
  view: { stroke: "#d0d0d0" },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", gridColor: "#ececec" },
  legend: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: "normal",
    orient: "right",
    labelLimit: 240,
  },
  title: { fontSize: 13, fontWeight: "normal", anchor: "start", offset: 8 },
};

/** The x encoding of time charts: simulated time from 0 to the end of the run. */
export function timeX(axis: TimeAxis, field = "t") {
  return {
    field,
    type: "quantitative" as const,
    title: `simulated time (${axis.unit})`,
    scale: { domain: [0, axis.end], nice: false, zero: true },
  };
}

/**
 * The x encoding of a stacked panel that is not the bottom one: the same scale, drawn without
 * labels, ticks or grid (the bottom panel's axis reads for all), which keeps the SVG small.
 */
export function innerTimeX(axis: TimeAxis, field = "t") {
  return { ...timeX(axis, field), axis: { labels: false, ticks: false, title: null, grid: false } };
}

/** A y axis with few ticks, for the small panels of a stack. */
export const FEW_TICKS = { tickCount: 3 } as const;

/** Where band labels go: inside the plot's top edge (line charts), or above it (timelines, whose bars would hide them). */
export type LabelPlace = "inside" | "above";

/** Rows of band labels, so labels of bands that start close together do not overlap. */
const LABEL_ROWS = 3;
const LABEL_ROW_PX = 11;

/** The title offset a panel needs to clear its bands' labels placed above it. */
export function titleOffsetAbove(faults: readonly Band[]): number {
  return 6 + LABEL_ROW_PX * Math.min(LABEL_ROWS, faults.length);
}

/**
 * A band's label cut (with an ellipsis) where the plot ends, so it never runs into the legend;
 * measured as vega measures text in Node, 0.8 × font size per character.
 */
export function fitLabel(label: string, start: number, axis: TimeAxis, plotWidth: number): string {
  const roomPx = plotWidth * (1 - start / axis.end) - 6;
  const chars = Math.max(3, Math.floor(roomPx / (0.8 * BAND_LABEL_FONT)));
  return label.length <= chars ? label : `${label.slice(0, chars - 1)}…`;
}

const BAND_LABEL_FONT = 10;

/** Shaded fault windows (labelled with the faults' names) and the warm-up, behind a time chart's marks. */
export function bandLayers(
  faults: readonly Band[],
  warmup: Band | null,
  axis: TimeAxis,
  place: LabelPlace = "inside",
  plotWidth = WIDTH,
  inner = false,
): Layer[] {
  const layers: Layer[] = [];
  const x = (field: string) => (inner ? innerTimeX(axis, field) : timeX(axis, field));
  const labelY = (row: number) =>
    place === "inside" ? 3 + LABEL_ROW_PX * row : -3 - LABEL_ROW_PX * row;
  const shade = (bands: readonly Band[], colour: string, opacity: number): void => {
    if (bands.length === 0) return;
    const values = bands.map((b, i) => ({
      ...b,
      label: fitLabel(b.label, b.start, axis, plotWidth),
      hover: `${b.label}: from ${timeText(b.start, axis)} to ${timeText(b.end, axis)}`,
      labelY: labelY(i % LABEL_ROWS),
    }));
    layers.push({
      data: { values },
      mark: { type: "rect", color: colour, opacity },
      encoding: { x: x("start"), x2: { field: "end" } },
    });
    layers.push({
      data: { values },
      mark: {
        type: "text",
        align: "left",
        baseline: place === "inside" ? "top" : "bottom",
        dx: 3,
        fontSize: BAND_LABEL_FONT,
        color: colour,
      },
      encoding: {
        x: x("start"),
        y: { field: "labelY", type: "quantitative", scale: null },
        text: { field: "label" },
        description: { field: "hover" },
      },
    });
  };
  shade(warmup === null ? [] : [warmup], WARMUP_COLOUR, 0.18);
  shade(faults, FAULT_COLOUR, 0.12);
  return layers;
}

/** Labels of timeline rows longer than this (in vega's estimate) are cut with an ellipsis. */
export const ROW_LABEL_LIMIT = 300;
/** What a chart may take across the page, labels and legend included. */
const PAGE_PX = 930;
const LEGEND_PX = 140;

/**
 * The plot width of a timeline whose rows are labelled `labels` on the left, so that labels, plot
 * and legend fit the page. In Node, vega estimates a label at 0.8 × font size per character (no
 * canvas to measure with), which is what it reserves for them.
 */
export function timelineWidth(labels: readonly string[]): number {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  const labelPx = Math.min(ROW_LABEL_LIMIT, Math.floor(0.8 * 11 * longest)) + 12;
  return Math.max(360, Math.min(WIDTH, PAGE_PX - LEGEND_PX - labelPx));
}

/** A linear scale, or a log one when the values span more than `ratio`× (so a spike does not flatten the rest). */
export function valueScale(
  values: readonly (number | null)[],
  ratio = 30,
): { type: "linear" | "log"; logNote: string } {
  let min = Infinity;
  let max = 0;
  for (const v of values) {
    if (v === null || v <= 0) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max / min > ratio
    ? { type: "log", logNote: ", log scale" }
    : { type: "linear", logNote: "" };
}

/** Formats a number of milliseconds for a sentence: `62 ms`, `1.24 s`. */
export function msText(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toPrecision(3))} s`;
  return ms >= 10 ? `${Math.round(ms)} ms` : `${Number(ms.toPrecision(2))} ms`;
}

/** Formats a time on the axis for a sentence: `150 s`, `12.5 min`. */
export function timeText(t: number, axis: TimeAxis): string {
  return `${Number.isInteger(t) ? t : Number(t.toPrecision(3))} ${axis.unit}`;
}
