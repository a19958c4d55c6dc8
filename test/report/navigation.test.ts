// Navigation without a server: a table of contents linking to every section of report.html, and a
// hover title (SVG <title>) on every mark item with its values.
import { describe, expect, it } from "vitest";
import { renderCompareHtml } from "../../src/report/html/compareReport.ts";
import { withContents } from "../../src/report/html/page.ts";
import { renderHtmlReport } from "../../src/report/html/runReport.ts";
import { withHoverTitles } from "../../src/report/html/svg.ts";
import { fixtureComparison } from "./experimentFixtures.ts";
import { fixtureResult } from "./reportFixtures.ts";

describe("report.html's table of contents", () => {
  const html = renderHtmlReport(fixtureResult());

  it("links to every section, each heading carrying the anchor", () => {
    const headings = [...html.matchAll(/<a id="([^"]+)"><\/a><h2>([^<]+)<\/h2>/g)];
    expect(headings.map((h) => h[2])).toContain("Summary");
    const nav = html.slice(html.indexOf('<nav class="toc">'), html.indexOf("</nav>"));
    for (const [, id, title] of headings) expect(nav).toContain(`<a href="#${id}">${title}</a>`);
    expect(html.indexOf("<nav")).toBeLessThan(html.indexOf("<h2"));
  });

  it("is in the comparison's report too", () => {
    expect(renderCompareHtml(fixtureComparison())).toContain('<a href="#section-side-by-side">');
  });

  it("gives two headings of one title distinct anchors, and leaves a short page alone", () => {
    const body = "<h2>A</h2><h2>A</h2><h2>B</h2>";
    expect(withContents(body)).toContain('<a id="section-a-2"></a><h2>A</h2>');
    expect(withContents("<h2>A</h2>")).toBe("<h2>A</h2>");
  });
});

describe("hover titles", () => {
  it("give every bar of every chart an SVG title with its values", () => {
    const html = renderHtmlReport(fixtureResult());
    const bars = [
      ...html.matchAll(
        /<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="bar"[^>]*>(<title>[^<]*<\/title>)?/g,
      ),
    ];
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) expect(bar[2]).toBe(`<title>${bar[1]}</title>`);
  });

  it("leave a line (one path per series) or text vega labels with its first row's fields without one", () => {
    const line =
      '<path aria-label="t: 1; value: 2" role="graphics-symbol" aria-roledescription="line mark" d="M0,0"/>';
    expect(withHoverTitles(line)).toBe(line);
    const rect =
      '<path aria-label="t: 1; value: 2" role="graphics-symbol" aria-roledescription="bar" d="M0,0h1v1h-1Z" fill="red"/>';
    expect(withHoverTitles(rect)).toBe(
      '<path aria-label="t: 1; value: 2" role="graphics-symbol" aria-roledescription="bar" d="M0,0h1v1h-1Z" fill="red"><title>t: 1; value: 2</title></path>',
    );
  });

  it("give a value with a fraction to the 3 figures the report prints, not as a bucket edge", () => {
    const point =
      '<path aria-label="simulated time (s): 480; latency (ms, log scale): 340.999; percentile: p99" role="graphics-symbol" aria-roledescription="point" d="M1,0"/>';
    expect(withHoverTitles(point)).toBe(
      '<path aria-label="simulated time (s): 480; latency (ms, log scale): 341; percentile: p99" role="graphics-symbol" aria-roledescription="point" d="M1,0"><title>simulated time (s): 480; latency (ms, log scale): 341; percentile: p99</title></path>',
    );
    const bar =
      '<path aria-label="variant: b; latency (ms): 2631.99; requests: 316497; share: 0.0007630" role="graphics-symbol" aria-roledescription="bar" d="M0,0"/>';
    expect(withHoverTitles(bar)).toContain(
      "<title>variant: b; latency (ms): 2630; requests: 316497; share: 0.000763</title>",
    );
  });

  it("give a described line its series' summary and a text mark its full label", () => {
    const line =
      '<path aria-label="p99: lowest 3 ms" role="graphics-symbol" aria-roledescription="line mark" d="M0,0"/>';
    expect(withHoverTitles(line)).toContain("<title>p99: lowest 3 ms</title></path>");
    const text =
      '<text aria-label="payment-slow: from 120 s to 180 s" role="graphics-symbol" aria-roledescription="text mark">paym…</text>';
    expect(withHoverTitles(text)).toContain(
      "<title>payment-slow: from 120 s to 180 s</title>paym…",
    );
  });

  it("give the report's latency, traffic and gauge lines, and the fault labels, a title with their values", () => {
    const html = renderHtmlReport(fixtureResult());
    const titled = (chart: string, role: string) => {
      const start = html.indexOf(`data-chart="${chart}"`);
      const svg = html.slice(start, html.indexOf("</svg>", start));
      return [
        ...svg.matchAll(
          new RegExp(`aria-roledescription="${role}"[^>]*>(?:<title>([^<]*)</title>)?`, "g"),
        ),
      ].map((m) => m[1] ?? "");
    };
    const latency = titled("latency", "line mark");
    expect(latency.length).toBeGreaterThan(0);
    for (const title of latency)
      expect(title).toMatch(/^p\d+: lowest .* ms at .*, highest .*, last /);
    for (const title of titled("traffic", "line mark")) expect(title).toMatch(/\/s$/);
    expect(titled("traffic", "line mark").length).toBeGreaterThan(0);
    const labels = titled("latency", "text mark");
    expect(labels.length).toBeGreaterThan(0);
    for (const title of labels) expect(title).toMatch(/: from [\d.]+ s to [\d.]+ s$/);
  });
});
