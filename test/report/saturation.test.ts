// Load against latency: the saturation curve is drawn for a run whose offered rate changed, with
// the knee and the most completed from the run's own windows in its paragraph; a run with a
// steady load (or only counting noise) gets a sentence instead.
import { describe, expect, it } from "vitest";
import { loadChanges, saturationRows } from "../../src/report/html/data/saturation.ts";
import { runCharts } from "../../src/report/html/runCharts.ts";
import { renderHtmlReport } from "../../src/report/html/runReport.ts";
import { renderSvg } from "../../src/report/html/svg.ts";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import type { MetricsResult } from "../../src/result/metrics.ts";
import type { RunResult } from "../../src/result/run.ts";
import { fixtureResult } from "./reportFixtures.ts";

const cumulative = (perWindow: number[]) =>
  perWindow.map((_, i) => perWindow.slice(0, i + 1).reduce((a, b) => a + b, 0));

/** Windows of 10 s offering `offered` requests each, completing `completed`, with p99 `p99Ms`. */
function stepped(offered: number[], completed: number[], p99Ms: number[]): RunResult {
  const result = fixtureResult();
  const timesMs = offered.map((_, i) => (i + 1) * 10_000);
  const keep = (s: MetricsResult["series"][number]) =>
    ![
      "meshsim_load_requests_total",
      "meshsim_load_completed_total",
      "meshsim_load_latency_window_seconds",
    ].includes(s.name);
  const metrics: MetricsResult = {
    ...result.metrics,
    stepMs: 10_000,
    timesMs,
    series: [
      ...result.metrics.series.filter(keep).map((s) => ({ ...s, values: timesMs.map(() => 0) })),
      {
        family: "meshsim_load_requests",
        name: "meshsim_load_requests_total",
        labels: { load: "shoppers" },
        values: cumulative(offered),
      },
      {
        family: "meshsim_load_completed",
        name: "meshsim_load_completed_total",
        labels: { load: "shoppers" },
        values: cumulative(completed),
      },
      {
        family: "meshsim_load_latency_window_seconds",
        name: "meshsim_load_latency_window_seconds",
        labels: { load: "shoppers", quantile: "0.99" },
        values: p99Ms.map((ms) => ms / 1000),
      },
    ],
  };
  return { ...result, simulatedMs: timesMs.at(-1)!, metrics };
}

describe("load against latency", () => {
  // 100, 200, ... 600 requests per 10 s window: 10 to 60 per second; the system completes at most 40/s.
  const ramp = stepped(
    [100, 200, 300, 400, 500, 600],
    [100, 200, 300, 400, 400, 400],
    [50, 52, 55, 90, 400, 900],
  );

  it("sees a stepped load change, and not a steady one with Poisson-sized noise", () => {
    expect(loadChanges(ramp.metrics)).toBe(true);
    // 1000 ± 3% a window: counting noise (σ = √1000 ≈ 3.2%), not a change of load.
    const steady = stepped(
      [1000, 1030, 985, 1012, 970, 1001],
      [1000, 1030, 985, 1012, 970, 1001],
      [50, 51, 50, 52, 50, 50],
    );
    expect(loadChanges(steady.metrics)).toBe(false);
    const html = renderHtmlReport(steady);
    expect(html).toContain("The offered load held steady through the run");
    expect(html).not.toContain('id="saturation"');
  });

  it("places each window at its offered rate, with its latency and completed rate", () => {
    const rows = saturationRows(ramp, ramp.metrics);
    expect(rows.map((r) => [r.offered, r.completed, r.latencyMs])).toEqual([
      [10, 10, 50],
      [20, 20, 52],
      [30, 30, 55],
      [40, 40, 90],
      [50, 40, 400],
      [60, 40, 900],
    ]);
  });

  it("groups windows of nearly the same offered rate into one point: mean rates, median latency", () => {
    const plateau = stepped(
      [100, 200, 600, 600, 600, 600, 600],
      [100, 200, 400, 400, 400, 400, 400],
      [50, 60, 300, 900, 310, 320, 1000],
    );
    const rows = saturationRows(plateau, plateau.metrics);
    expect(rows.map((r) => [r.offered, r.completed, r.latencyMs, r.windows])).toEqual([
      [10, 10, 50, 1],
      [20, 20, 60, 1],
      [60, 40, 320, 5],
    ]);
  });

  it("draws the curve and names the knee and the most completed, from the run's windows", () => {
    const chart = runCharts(ramp).saturation!;
    expect(chart.explanation).toContain(
      "The p99 first passed twice its lowest (50 ms) at 50 requests per second offered, where it was 400 ms.",
    );
    expect(chart.explanation).toContain(
      "The most completed in a window was 40/s, with 40/s offered.",
    );
    const { svg, warnings } = renderSvg(chart.spec, chart.id);
    expect(warnings).toEqual([]);
    expect(svg.match(/aria-roledescription="point"/g)?.length).toBe(12);
    expect(renderHtmlReport(ramp)).toContain('<figure class="chart" id="saturation">');
  });

  it("is a table in report.md with the chart's rows: offered, completed, p99 per slice, then the knee", () => {
    const md = renderMarkdown(ramp);
    const section = md.slice(md.indexOf("## Load against latency"), md.indexOf("## Faults"));
    expect(section).toContain("| offered /s | completed /s | p99 ms | windows |");
    const rows = section.split("\n").filter((l) => /^\| \d/.test(l));
    expect(rows).toEqual([
      "| 10 | 10 | 50.0 | 1 |",
      "| 20 | 20 | 52.0 | 1 |",
      "| 30 | 30 | 55.0 | 1 |",
      "| 40 | 40 | 90.0 | 1 |",
      "| 50 | 40 | 400 | 1 |",
      "| 60 | 40 | 900 | 1 |",
    ]);
    expect(rows).toHaveLength(saturationRows(ramp, ramp.metrics).length);
    expect(section).toContain(
      "The p99 first passed twice its lowest (50 ms) at 50 requests per second offered, where it was 400 ms.",
    );
  });

  it("says in report.md, as in report.html, that a steady load has no curve", () => {
    const steady = stepped(
      [1000, 1030, 985, 1012, 970, 1001],
      [1000, 1030, 985, 1012, 970, 1001],
      [50, 51, 50, 52, 50, 50],
    );
    const md = renderMarkdown(steady);
    expect(md).toContain("## Load against latency\n\nThe offered load held steady through the run");
    expect(md).not.toContain("| offered /s |");
  });
});
