// Chart: load against latency, the saturation curve: each stored window as a point at the rate
// offered in it, its end-to-end latency quantiles on the left and its completed rate on the right
// (with the line where completed equals offered), as a stepped or ramped load test is read for
// its knee, the rate beyond which latency climbs and throughput stops following the load.
import type { SaturationRow } from "../data/saturation.ts";
import { type Chart, CONFIG, msText, valueScale } from "./common.ts";
import { figure } from "./hover.ts";

const QUANTILE_COLOURS: Record<string, string> = { p50: "#4c78a8", p90: "#f58518", p99: "#b2182b" };
const PANEL = 330;

export function saturationChart(rows: SaturationRow[]): Chart | null {
  const shown = rows.filter((r) => r.latencyMs !== null);
  if (shown.length === 0) return null;
  const names = [...new Set(shown.map((r) => r.series))];
  const colours = names.map((n) => QUANTILE_COLOURS[n.split(" ").pop()!] ?? "#555555");
  const scale = valueScale(shown.map((r) => r.latencyMs));
  // One point per slice of the offered range: the first series' rows carry every slice.
  const throughput = rows.filter((r) => r.series === rows[0].series);
  const top = Math.max(...throughput.map((r) => Math.max(r.offered, r.completed)));
  const offeredX = {
    field: "offered",
    type: "quantitative" as const,
    title: "offered (requests per second)",
  };
  return {
    id: "saturation",
    title: "Load against latency: the saturation curve",
    explanation: explain(shown, rows),
    spec: {
      config: CONFIG,
      spacing: 36,
      hconcat: [
        {
          title: "End-to-end latency against the offered rate",
          width: PANEL,
          height: 220,
          data: { values: shown },
          mark: { type: "point", filled: true, size: 22, opacity: 0.75 },
          encoding: {
            x: offeredX,
            y: {
              field: "latencyMs",
              type: "quantitative",
              title: `latency (ms${scale.logNote})`,
              scale: { type: scale.type },
            },
            color: {
              field: "series",
              type: "nominal",
              title: "percentile",
              scale: { domain: names, range: colours },
              sort: names,
            },
            tooltip: [
              { field: "offered", type: "quantitative", title: "offered /s", format: ".3~r" },
              { field: "series", type: "nominal", title: "percentile" },
              { field: "latencyMs", type: "quantitative", title: "ms", format: ".3~r" },
              { field: "windows", type: "quantitative", title: "windows" },
            ],
          },
        },
        {
          title: "Completed against offered",
          width: PANEL,
          height: 220,
          layer: [
            {
              data: { values: [{ a: 0, b: top }] },
              mark: { type: "rule", color: "#999999", strokeDash: [4, 3] },
              encoding: {
                x: { field: "a", type: "quantitative", title: "offered (requests per second)" },
                y: { field: "a", type: "quantitative" },
                x2: { field: "b" },
                y2: { field: "b" },
                description: { value: "completed = offered: every offered request answered" },
              },
            },
            {
              data: { values: throughput },
              mark: { type: "point", filled: true, size: 22, color: "#4c78a8" },
              encoding: {
                x: offeredX,
                y: {
                  field: "completed",
                  type: "quantitative",
                  title: "completed (requests per second)",
                },
                tooltip: [
                  { field: "offered", type: "quantitative", title: "offered /s", format: ".3~r" },
                  {
                    field: "completed",
                    type: "quantitative",
                    title: "completed /s",
                    format: ".3~r",
                  },
                ],
              },
            },
          ],
        },
      ],
    },
  };
}

/** How to read it, then the run's own knee and the most completed (saturationFindings). */
function explain(shown: SaturationRow[], rows: SaturationRow[]): string {
  return [
    "Each point is a scrape window, placed at the end-user requests per second offered in it (windows of nearly the same offered rate, within a 25th of the range, are one point: the mean rates and the median latency of them): on the left the end-to-end latency (p50 and p99 of the requests that finished in the window), on the right the requests completed per second, against the dashed line where completed equals offered.",
    "Up to the knee, latency stays flat and completed follows offered; past it, latency climbs steeply and the points fall below the line: the system is saturated and queues (or fails) what it cannot serve.",
    ...saturationFindings(shown, rows),
  ].join(" ");
}

/**
 * The run's knee (where p99 first passed twice its lowest) and the most completed in a window,
 * from the rows with a latency (`shown`) and all rows (report.html's paragraph and report.md's alike).
 */
export function saturationFindings(
  shown: readonly SaturationRow[],
  rows: readonly SaturationRow[],
): string[] {
  const parts: string[] = [];
  const p99 = shown
    .filter((r) => r.series.endsWith("p99") && r.latencyMs !== null)
    .sort((a, b) => a.offered - b.offered);
  if (p99.length > 0) {
    const lowest = Math.min(...p99.map((r) => r.latencyMs!));
    const knee = p99.find((r) => r.latencyMs! > 2 * lowest);
    parts.push(
      knee === undefined
        ? `The p99 stayed within twice its lowest (${msText(lowest)}) at every offered rate, up to ${figure(p99[p99.length - 1].offered)}/s: no knee within the load this run offered.`
        : `The p99 first passed twice its lowest (${msText(lowest)}) at ${figure(knee.offered)} requests per second offered, where it was ${msText(knee.latencyMs!)}.`,
    );
  }
  const throughput = rows.filter((r) => r.series === rows[0]?.series);
  const most = [...throughput].sort((a, b) => b.completed - a.completed)[0];
  if (most !== undefined)
    parts.push(
      `The most completed in a window was ${figure(most.completed)}/s, with ${figure(most.offered)}/s offered.`,
    );
  return parts;
}
