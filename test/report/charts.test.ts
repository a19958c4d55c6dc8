// Every chart of report.html compiles with vega-lite and renders to SVG with vega in Node without
// a warning, draws marks, and the page around them is self-contained and byte-for-byte repeatable.

import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { describe, expect, it } from "vitest";
import type { Chart } from "../../src/report/html/charts/common.ts";
import { sweepCharts } from "../../src/report/html/charts/sweep.ts";
import { compareCharts, renderCompareHtml } from "../../src/report/html/compareReport.ts";
import { renderHtmlReport, runCharts } from "../../src/report/html/runReport.ts";
import { renderSvg, withHoverTitles } from "../../src/report/html/svg.ts";
import { renderSweepHtml } from "../../src/report/html/sweepReport.ts";
import type { RunResult } from "../../src/result/run.ts";
import { fixtureComparison, fixtureSweep1d, fixtureSweep2d } from "./experimentFixtures.ts";
import { fixtureResult, fixtureTracing } from "./reportFixtures.ts";

function chartsOf(result: RunResult): Chart[] {
  return Object.values(runCharts(result)).filter((c): c is Chart => c !== null);
}

/** The fixture with a second load, in its series and its critical path too. */
function twoLoads(): RunResult {
  const tracing = fixtureTracing();
  const result = fixtureResult({
    tracing: { criticalPath: { ...tracing.criticalPath, admins: tracing.criticalPath.shoppers } },
  });
  result.load.admins = result.load.shoppers;
  const copies = result.metrics.series
    .filter((s) => s.labels.load === "shoppers")
    .map((s) => ({ ...s, labels: { ...s.labels, load: "admins" } }));
  result.metrics.series.push(...copies);
  return result;
}

const cases: [string, () => Chart[]][] = [
  ["a run with two loads", () => chartsOf(twoLoads())],
  [
    "a run with faults, state changes, alerts and tracing",
    () => chartsOf(fixtureResult({ tracing: fixtureTracing() })),
  ],
  ["a run with no alert rules and tracing off", () => chartsOf(fixtureResult({ alerts: null }))],
  ["a comparison of two variants", () => compareCharts(fixtureComparison())],
  ["a sweep over one path", () => sweepCharts(fixtureSweep1d())],
  ["a sweep over two paths", () => sweepCharts(fixtureSweep2d())],
];

describe.each(cases)("the charts of %s", (_, build) => {
  it("compile and render to SVG with marks and without warnings", () => {
    for (const chart of build()) {
      const { svg, warnings } = renderSvg(chart.spec, chart.id);
      expect(warnings, chart.id).toEqual([]);
      expect(svg, chart.id).toMatch(/^<svg /);
      expect(svg, chart.id).toMatch(/<path [^>]*d="M[^"]+"|<rect [^>]*width="[1-9]/);
      expect(chart.title.length, chart.id).toBeGreaterThan(0);
      expect(chart.explanation.length, chart.id).toBeGreaterThan(80);
    }
  });
});

describe("the synchronous SVG renderer", () => {
  it("gives exactly what vega's own View.toSVG() gives", async () => {
    for (const chart of chartsOf(fixtureResult({ tracing: fixtureTracing() }))) {
      const view = new vega.View(vega.parse(vegaLite.compile(chart.spec).spec), {
        renderer: "none",
      });
      // Plus the hover titles renderSvg adds to every mark item.
      const expected = withHoverTitles(
        (await view.toSVG()).replace(
          /(id="|url\(#)((?:p_)?(?:clip|gradient_)\d+)/g,
          `$1${chart.id}-$2`,
        ),
      );
      vega.resetSVGDefIds();
      expect(renderSvg(chart.spec, chart.id).svg, chart.id).toBe(expected);
    }
  });
});

describe("report.html", () => {
  const result = fixtureResult({ tracing: fixtureTracing() });

  it("has a chart for every section the result has data for", () => {
    expect(Object.entries(runCharts(result)).map(([k, c]) => [k, c === null])).toEqual([
      ["latency", false],
      ["traffic", false],
      ["states", false],
      ["instances", false],
      // The fixture scrapes no per-service series and offers a steady load.
      ["services", true],
      ["instanceSpread", true],
      ["saturation", true],
      ["alerts", false],
      ["criticalPath", false],
    ]);
  });

  it("gives the same bytes every time", () => {
    expect(renderHtmlReport(result)).toBe(renderHtmlReport(structuredClone(result)));
  });

  it("needs nothing from outside the file: no script, no link, no external source", () => {
    const html = renderHtmlReport(result);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(http/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  it("keeps SVG ids unique across its charts", () => {
    const ids = [...renderHtmlReport(result).matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("opens with the verdict as k6 prints it, then the summary table", () => {
    const html = renderHtmlReport(result);
    expect(html.indexOf("Verdict")).toBeLessThan(html.indexOf("Summary"));
    expect(html).toContain("✓ 'p(99)&lt;600ms' p(99)=250ms");
    expect(html).toContain("✗ 'rate&lt;0.01' rate=5.00%");
    expect(html).toContain("1 of 2 thresholds failed.");
  });

  it("says how to turn tracing on and that there are no alert rules, when the result has neither", () => {
    const html = renderHtmlReport(fixtureResult({ alerts: null }));
    expect(html).toContain("No alert rules in this scenario.");
    expect(html).toContain("Tracing was off in this run");
  });

  it("renders a result saved before time series were kept, saying so", () => {
    const old = fixtureResult({ alerts: null }) as unknown as Record<string, unknown>;
    delete old.metrics;
    delete old.alerts;
    delete old.tracing;
    delete old.warmupMs;
    const html = renderHtmlReport(old as unknown as RunResult);
    expect(html).toContain("holds no time series");
    expect(html).toContain('data-chart="instances"');
  });
});

describe("the comparison's report.html", () => {
  it("shows every variant, what it changes, and its charts", () => {
    const html = renderCompareHtml(fixtureComparison());
    expect(html).toContain("round-robin");
    expect(html).toContain("mesh.defaults.loadBalancer.policy = &quot;round-robin&quot;");
    for (const id of [
      "compare-forest",
      "compare-latency",
      "compare-errors",
      "compare-imbalance",
      "compare-p99",
    ])
      expect(html).toContain(`data-chart="${id}"`);
    expect(html).toContain("Against least-request");
    expect(html).toContain("+125 ±5.00 worse");
  });
});

describe("the sweep's report.html", () => {
  it("draws each figure against a single varied path, with the thresholds as rules", () => {
    const html = renderSweepHtml(fixtureSweep1d());
    for (const id of ["sweep-latency-shoppers", "sweep-errors-shoppers", "sweep-utilization"])
      expect(html).toContain(`data-chart="${id}"`);
    expect(html).toContain("latency: p(99)&lt;300ms");
    expect(html).toContain("✓ pass");
    expect(html).toContain("✗ fail");
    expect(renderSweepHtml(fixtureSweep1d())).toBe(html);
  });

  it("draws heatmaps of the verdict and the p99 over two crossed paths", () => {
    const html = renderSweepHtml(fixtureSweep2d());
    expect(html).toContain('data-chart="sweep-verdicts"');
    expect(html).toContain('data-chart="sweep-p99-shoppers"');
  });
});
