// The latency distribution as a percentile spectrum: 1 in N requests took longer than the latency
// plotted, per load and per service, from the result's percentiles.
import { describe, expect, it } from "vitest";
import { spectrumChart, spectrumRows } from "../../src/report/html/charts/spectrum.ts";
import { renderHtmlReport } from "../../src/report/html/runReport.ts";
import { fixtureResult } from "./reportFixtures.ts";

describe("the percentile spectrum", () => {
  it("places p50 at 1 in 2, p90 at 1 in 10, p99 at 1 in 100, p99.9 at 1 in 1000 and the max at 1 in the count", () => {
    const result = fixtureResult();
    const load = Object.keys(result.load)[0];
    const l = result.load[load];
    const rows = spectrumRows(result).filter((r) => r.series === `load ${load}`);
    const expected = [
      ["p50", 2, l.latencyMs.p50],
      ["p90", 10, l.latencyMs.p90],
      ["p99", 100, l.latencyMs.p99],
      ["p99.9", 1000, l.latencyMs.p999],
    ].filter(([, n]) => (n as number) < l.completed);
    expect(rows.map((r) => [r.percentile, r.oneIn, r.ms])).toEqual([
      ...expected,
      ["max", Math.max(l.completed, 2), l.latencyMs.max],
    ]);
  });

  it("leaves out a load that completed nothing, and the report shows the chart under its own heading", () => {
    const result = fixtureResult();
    const load = Object.keys(result.load)[0];
    result.load[load].completed = 0;
    expect(spectrumRows(result).some((r) => r.series === `load ${load}`)).toBe(false);
    expect(spectrumChart(fixtureResult())).not.toBeNull();
    expect(renderHtmlReport(fixtureResult())).toContain('data-chart="spectrum"');
  });
});
