// report.html and report.md of shipped scenarios, as a reader sees them: what they say about an
// autoscaled service, the states timeline's bars, the thresholds' own explanation, figures to the
// histogram's precision, one line instead of an empty chart, and one summary table in both formats.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  governanceGaugeRows,
  neverServed,
  timeAxis,
} from "../../src/report/html/data/chartRows.ts";
import { stateIntervals } from "../../src/report/html/data/timeline.ts";
import { renderHtmlReport } from "../../src/report/html/runReport.ts";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import { renderTerminalSummary } from "../../src/report/terminal/runSummary.ts";
import type { RunResult } from "../../src/result/run.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenarioFile } from "../../src/scenario/loader.ts";

const shipped = (name: string): RunResult =>
  runScenario(
    loadScenarioFile(fileURLToPath(new URL(`../../scenarios/${name}.yaml`, import.meta.url))),
  );

/** The SVG of one chart of a report, or "" when the report has no such chart. */
function chartSvg(html: string, id: string): string {
  const start = html.indexOf(`<div class="svg" data-chart="${id}">`);
  return start < 0 ? "" : html.slice(start, html.indexOf("</div>", start));
}

/** The header cells of the first table after `## Summary` (Markdown) or `<h2>Summary` (HTML). */
function summaryColumns(text: string, html: boolean): string[] {
  const from = text.indexOf(html ? "<h2>Summary</h2>" : "## Summary");
  if (html) {
    const head = text.slice(text.indexOf("<thead>", from), text.indexOf("</thead>", from));
    return [...head.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
  }
  const line = text
    .slice(from)
    .split("\n")
    .find((l) => l.startsWith("|"))!;
  return line
    .split("|")
    .slice(1, -1)
    .map((c) => c.trim());
}

describe("the flash-sale report (payment autoscaled from 2 to 5 of 12 pod slots)", () => {
  const result = shipped("flash-sale-autoscale");
  const html = renderHtmlReport(result);

  it("counts payment's serving pods, not its 12 slots", () => {
    expect(html).toContain("payment (2 to 5 pods serving, 3.72 on average)");
    expect(html).not.toContain("payment (12 instances)");
  });

  it("reports payment's utilisation over its serving pods' worker time, not over every slot", () => {
    // Busy over every slot gave 8.83%; over the pods that served, 28.5% for the whole run.
    expect(result.services.payment.utilization).toBeGreaterThan(0.25);
    expect(html).toContain("Bottleneck: payment");
  });

  it("leaves standby slots that never started out of the load-share chart and of instances down", () => {
    const instances = chartSvg(html, "instances");
    expect(instances).toContain("payment-4");
    expect(instances).not.toContain("payment-5");
    const axis = timeAxis(result.simulatedMs);
    const down = governanceGaugeRows(result.metrics, axis, result.stateChanges, neverServed(result))
      .filter((r) => r.series === "instances down")
      .map((r) => r.value);
    expect(down.length).toBeGreaterThan(0);
    expect(down.every((v) => v === 0)).toBe(true);
  });

  it("keeps each time chart's legend under the scenario's event rules", () => {
    // The rules once joined the chart's colour scale, which took the legend (requests, series) away.
    expect(chartSvg(html, "traffic")).toContain("<title>HPA payment:");
    expect(chartSvg(html, "traffic")).toContain("Symbol legend titled 'requests'");
    expect(chartSvg(html, "states")).toContain("Symbol legend titled 'state'");
    expect(chartSvg(html, "services")).toContain("Symbol legend titled 'service'");
  });

  it("explains the scenario's own first threshold, not a fixed example", () => {
    expect(html).toContain(
      "here p(99)&lt;1000ms on latency means 99% of requests must get their answer in under 1000ms",
    );
    expect(html).not.toContain("600 ms");
  });

  it("draws a coloured bar for every span a pod spent starting, ready, draining or stopped", () => {
    const bars = [...chartSvg(html, "states").matchAll(/aria-roledescription="bar"[^>]*>/g)];
    const spans = stateIntervals(result, timeAxis(result.simulatedMs)).length;
    expect(spans).toBeGreaterThan(0);
    expect(bars.length).toBe(spans);
    expect(bars.every((b) => / fill="#[0-9a-f]{6}"/.test(b[0]))).toBe(true);
  });

  it("prints latencies to 3 significant figures, the histogram's precision", () => {
    const md = renderMarkdown(result);
    // The Summary section alone: from its heading to the next one (Services over time follows it).
    const from = md.indexOf("## Summary");
    const summary = md.slice(from, md.indexOf("\n## ", from + 1));
    const rows = summary
      .split("\n")
      .filter((l) => l.startsWith("| load") || l.startsWith("| service"));
    const latencies = rows.flatMap((r) =>
      r
        .split("|")
        .slice(-7, -1)
        .map((c) => c.trim()),
    );
    expect(latencies.length).toBeGreaterThan(0);
    for (const cell of latencies) {
      const significant = cell
        .replace(/^[0.]+/, "")
        .replace(/\./, "")
        .replace(/0+$/, "");
      expect(significant.length, cell).toBeLessThanOrEqual(3);
    }
    expect(renderTerminalSummary(result)).toMatch(/\(actual \d{1,3}(?:0*|\.\d+)ms\)/);
  });
});

describe("the rolling-update report (pods replaced one by one, a Eureka registry)", () => {
  const result = shipped("rolling-update");
  const html = renderHtmlReport(result);

  it("draws a coloured bar for every pod and registry span", () => {
    const bars = [...chartSvg(html, "states").matchAll(/aria-roledescription="bar"[^>]*>/g)];
    expect(bars.length).toBeGreaterThanOrEqual(17);
    expect(bars.every((b) => / fill="#[0-9a-f]{6}"/.test(b[0]))).toBe(true);
  });
});

describe("the checkout report (no fault, nothing changes state)", () => {
  const result = shipped("checkout");
  const html = renderHtmlReport(result);
  const md = renderMarkdown(result);

  it("says in one line that nothing changed state instead of drawing flat zero lines", () => {
    expect(result.stateChanges).toEqual([]);
    expect(html).not.toContain('data-chart="states"');
    expect(html).toContain("Nothing changed state in this run");
  });

  it("prints the p99 threshold's actual value as the histogram holds it, not as a bucket edge", () => {
    expect(md).toContain("(actual 361ms)");
    expect(md).not.toContain("360.999");
    expect(renderTerminalSummary(result)).toContain("(actual 361ms)");
  });

  it("has one summary table, with the same columns in report.md, report.html and the terminal", () => {
    const columns = summaryColumns(html, true);
    expect(columns).toEqual([
      "kind",
      "name",
      "requests",
      "errors",
      "error rate",
      "throughput req/s",
      "utilisation",
      "mean ms",
      "p50 ms",
      "p90 ms",
      "p99 ms",
      "p99.9 ms",
      "max ms",
    ]);
    expect(summaryColumns(md, false)).toEqual(columns);
    const terminal = renderTerminalSummary(result);
    for (const column of columns) expect(terminal).toContain(column);
    expect(terminal).toContain("Bottleneck:");
  });

  it("names the latency chart's percentiles in a legend", () => {
    // The points' layer once said legend: null on the shared colour scale, which took it away.
    expect(chartSvg(html, "latency")).toContain("Symbol legend titled 'percentile'");
  });

  it("stays under 400 KB", () => {
    // 392,726 bytes with the stage change marked, the latency legend back and hover values to 3 figures (npx meshsim run scenarios/checkout.yaml --out DIR; wc -c DIR/report.html).
    expect(Buffer.byteLength(html)).toBeLessThan(400_000);
  });

  it("marks the load's two stage changes on every chart over time and lists them", () => {
    expect(result.loadStages?.map((c) => c.atMs)).toEqual([0, 120_000]);
    const title = "<title>shoppers stage 2 began at 120 s: 600 → 600 requests/s over 8 min</title>";
    for (const id of ["latency", "traffic", "services", "instance-spread"])
      expect(chartSvg(html, id), id).toContain(title);
    expect(md).toContain(
      "| 120 | load stage | shoppers stage 2 began at 120 s: 600 → 600 requests/s over 8 min |",
    );
  });

  it("gives report.md the load against latency table, one row per point of the chart", () => {
    const section = md.slice(md.indexOf("## Load against latency"), md.indexOf("## Faults"));
    const rows = section.split("\n").filter((l) => /^\| \d/.test(l));
    const points = [...chartSvg(html, "saturation").matchAll(/aria-roledescription="point"/g)];
    // The chart draws p50 and p99 per slice on the left and completed per slice on the right.
    expect(rows.length).toBeGreaterThan(3);
    expect(points.length).toBe(rows.length * 3);
  });
});
