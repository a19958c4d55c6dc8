// A run against a baseline run: each headline figure beside the baseline's with its change
// (relative for latencies, throughput and utilisation; percentage points for the error rate), the
// one-line verdict, in report.md and report.html alike.
import { describe, expect, it } from "vitest";
import { renderHtmlReport } from "../../src/report/html/runReport.ts";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import {
  baselineHeadline,
  baselineTable,
  pointChange,
  relativeChange,
} from "../../src/report/sections/baseline.ts";
import type { RunResult } from "../../src/result/run.ts";
import { fixtureResult } from "./reportFixtures.ts";

/** The fixture as a baseline named round-robin, its shoppers' p99 and payment's utilisation changed. */
function pair(): { result: RunResult; baseline: RunResult } {
  const result = fixtureResult();
  const baseline = structuredClone(result);
  baseline.scenario = "round-robin";
  const load = Object.values(baseline.load)[0];
  load.latencyMs = { ...load.latencyMs, p99: result.load.shoppers.latencyMs.p99 / 0.86 };
  return { result, baseline };
}

describe("changes against a baseline", () => {
  it("are relative with a true minus sign, or in percentage points, or — without a base", () => {
    expect(relativeChange(86, 100)).toBe("−14%");
    expect(relativeChange(103.2, 100)).toBe("+3.2%");
    expect(relativeChange(100, 100)).toBe("0%");
    expect(relativeChange(5, 0)).toBe("—");
    expect(relativeChange(null, 4)).toBe("—");
    expect(pointChange(0.012, 0.01)).toBe("+0.2 pp");
  });

  it("give each figure its change, and a headline per load", () => {
    const { result, baseline } = pair();
    const table = baselineTable(result, baseline);
    expect(table.columns.map((c) => c.title)).toEqual([
      "figure",
      "this run",
      "baseline: round-robin",
      "change",
    ]);
    const p99 = table.rows.find((r) => r[0] === "shoppers p99 ms")!;
    expect(p99[3]).toBe("−14%");
    expect(table.rows.find((r) => r[0] === "shoppers p50 ms")![3]).toBe("0%");
    expect(baselineHeadline(result, baseline)).toBe(
      "shoppers: p99 −14%, completed per s 0%, error rate 0 pp against round-robin.",
    );
  });

  it("appear in report.md and report.html only when a baseline is given", () => {
    const { result, baseline } = pair();
    const md = renderMarkdown(result, baseline);
    expect(md).toContain("## Against the baseline");
    expect(md).toMatch(/\| shoppers p99 ms \| [^|]+ \| [^|]+ \| −14% \|/);
    const html = renderHtmlReport(result, baseline);
    expect(html).toContain("<h2>Against the baseline</h2>");
    expect(html).toContain("shoppers: p99 −14%");
    expect(renderMarkdown(result)).not.toContain("Against the baseline");
  });
});
