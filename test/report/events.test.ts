// The scenario's events on every time chart: load stage changes, config pushes, rollout steps and
// the HPA's scale decisions as dotted rules with a hover title saying what happened, named in the chart's
// paragraph; a chart that draws a kind itself (pods: HPA, config versions: pushes) is not given it twice.
import { describe, expect, it } from "vitest";
import { withEvents } from "../../src/report/html/charts/events.ts";
import { compareCharts, renderCompareHtml } from "../../src/report/html/compareReport.ts";
import { timeAxis } from "../../src/report/html/data/chartRows.ts";
import { scenarioEvents } from "../../src/report/html/data/events.ts";
import { controlPlaneCharts, runCharts } from "../../src/report/html/runCharts.ts";
import { renderHtmlReport } from "../../src/report/html/runReport.ts";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import type { LoadStageChange, RunResult } from "../../src/result/run.ts";
import { controlPlaneResult } from "./controlPlaneFixtures.ts";
import { fixtureComparison } from "./experimentFixtures.ts";
import { fixtureResult } from "./reportFixtures.ts";

const stage = (atMs: number, n: number | null, from: number, to: number, durationMs: number) =>
  ({
    atMs,
    load: "shoppers",
    stage: n,
    from,
    to,
    durationMs,
    unit: "requests/s",
  }) as LoadStageChange;

/** The report fixture with a 3-stage ramping load: stages at 0, 5 and 20 s, its end at 35 s. */
function staged(result: RunResult = fixtureResult()): RunResult {
  return {
    ...result,
    loadStages: [
      stage(0, 1, 10, 50, 5000),
      stage(5000, 2, 50, 50, 15_000),
      stage(20_000, 3, 50, 0, 15_000),
      stage(35_000, null, 0, 0, 0),
    ],
  };
}

const kindsOf = (spec: unknown) =>
  eventRules(spec).flatMap((l) => (l.data!.values as { kind: string }[]).map((v) => v.kind));

const layersOf = (spec: unknown): { mark?: { type?: string }; data?: { values?: unknown[] } }[] => {
  const node = spec as { layer?: unknown[]; vconcat?: unknown[]; hconcat?: unknown[] };
  return [
    ...(node.layer ?? []),
    ...(node.vconcat ?? []).flatMap(layersOf),
    ...(node.hconcat ?? []).flatMap(layersOf),
  ] as never;
};
const eventRules = (spec: unknown) =>
  layersOf(spec).filter(
    (l) =>
      l.mark?.type === "rule" &&
      (l.data?.values ?? []).some((v) => (v as { kind?: string }).kind !== undefined),
  );

describe("scenario events", () => {
  const result = controlPlaneResult();
  const axis = timeAxis(result.simulatedMs);
  const events = scenarioEvents(result, axis);

  it("lists the config push, the rollout's start, steps and end, and the HPA's one change of size, in time order", () => {
    expect(events.map((e) => `${e.t} ${e.kind}`)).toEqual(
      expect.arrayContaining([
        "10 config push",
        "10 rollout step",
        "30 rollout step",
        "15 HPA decision",
      ]),
    );
    expect(events.filter((e) => e.kind === "HPA decision")).toHaveLength(1);
    expect(events.find((e) => e.kind === "HPA decision")!.hover).toBe(
      "HPA payment: 2 → 4 replicas at 15 s (DesiredWithinRange, metric 160)",
    );
    expect(events.map((e) => e.t)).toEqual([...events.map((e) => e.t)].sort((a, b) => a - b));
    for (const e of events) expect(e.hover).not.toContain("; ");
  });

  it("are ruled on every time chart and named in its paragraph", () => {
    const charts = runCharts(result);
    for (const chart of [charts.latency, charts.traffic]) {
      expect(eventRules(chart!.spec).length, chart!.id).toBeGreaterThan(0);
      expect(chart!.explanation).toContain("Dotted rules mark the scenario's events");
    }
    const control = controlPlaneCharts(result);
    const podKinds = eventRules(control.pods!.spec).flatMap((l) =>
      (l.data!.values as { kind: string }[]).map((v) => v.kind),
    );
    expect(podKinds).toContain("config push");
    expect(podKinds).not.toContain("HPA decision");
  });

  it("draw as rules with a title in report.html", () => {
    const html = renderHtmlReport(result);
    expect(html).toContain(
      "<title>HPA payment: 2 → 4 replicas at 15 s (DesiredWithinRange, metric 160)</title>",
    );
    expect(html).toContain("<title>config v2 “canary-50” pushed at 10 s</title>");
  });

  it("leave a run without events, and a chart that is not over time, as they were", () => {
    const plain = fixtureResult();
    expect(scenarioEvents(plain, timeAxis(plain.simulatedMs))).toEqual([]);
    const instances = runCharts(result).instances;
    expect(withEvents(instances, events, axis)).toBe(instances);
  });

  it("mark each load stage change, with what the load did, on every time chart", () => {
    const result = staged();
    const events = scenarioEvents(result, timeAxis(result.simulatedMs));
    expect(events.map((e) => `${e.t} ${e.kind}`)).toEqual([
      "0 load stage",
      "5 load stage",
      "20 load stage",
      "35 load stage",
    ]);
    expect(events.map((e) => e.hover)).toEqual([
      "shoppers stage 1 began at 0 s: 10 → 50 requests/s over 5 s",
      "shoppers stage 2 began at 5 s: 50 → 50 requests/s over 15 s",
      "shoppers stage 3 began at 20 s: 50 → 0 requests/s over 15 s",
      "shoppers: its stages ended at 35 s and the load stopped (from 0 requests/s)",
    ]);
    const charts = runCharts(result);
    const timeCharts = [
      charts.latency,
      charts.traffic,
      charts.states,
      charts.services,
      charts.instanceSpread,
      charts.alerts,
    ].filter((c) => c !== null);
    expect(timeCharts.map((c) => c!.id)).toEqual(
      expect.arrayContaining(["latency", "traffic", "states", "alerts"]),
    );
    for (const chart of timeCharts) {
      expect(kindsOf(chart!.spec).filter((k) => k === "load stage").length, chart!.id).toBe(
        // one layer of 3 rules per time panel: the first stage, at time 0, would lie on the y axis
        3 * eventRules(chart!.spec).length,
      );
      expect(chart!.explanation, chart!.id).toContain("3 load stages (teal)");
    }
    const control = controlPlaneCharts(staged(controlPlaneResult()));
    for (const chart of [control.pods, control.staleness, control.configVersions])
      expect(kindsOf(chart!.spec), chart!.id).toContain("load stage");
    const html = renderHtmlReport(result);
    expect(html).toContain(
      "<title>shoppers stage 2 began at 5 s: 50 → 50 requests/s over 15 s</title>",
    );
    // The first stage, at time 0, would lie on the y axis: listed in the table, not ruled.
    expect(html).not.toContain("<title>shoppers stage 1 began at 0 s");
    expect(html).toContain("<td>shoppers stage 1 began at 0 s: 10 → 50 requests/s over 5 s</td>");
  });

  it("are listed in time order in report.md and report.html, beside the faults and state changes", () => {
    const result = staged(controlPlaneResult());
    const md = renderMarkdown(result);
    const section = md.slice(md.indexOf("## Scenario events"), md.indexOf("## Alerts"));
    const rows = section.split("\n").filter((l) => /^\| \d/.test(l));
    const events = scenarioEvents(result, timeAxis(result.simulatedMs));
    expect(rows).toHaveLength(events.length);
    expect(rows[0]).toBe(
      "| 0 | load stage | shoppers stage 1 began at 0 s: 10 → 50 requests/s over 5 s |",
    );
    expect(
      rows.some((r) => r.includes("| HPA decision | HPA payment: 2 → 4 replicas at 15 s")),
    ).toBe(true);
    expect(rows.some((r) => r.includes("| config push |"))).toBe(true);
    const times = rows.map((r) => Number(r.split(" | ")[0].slice(2)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const html = renderHtmlReport(result);
    expect(html).toContain("<td>shoppers stage 3 began at 20 s: 50 → 0 requests/s over 15 s</td>");
    expect(renderMarkdown(fixtureResult())).not.toContain("## Scenario events");
  });

  it("are ruled, with the faults, on the compare report's over-time chart", () => {
    const comparison = fixtureComparison();
    for (const v of comparison.variants) v.results = [staged()];
    const chart = compareCharts(comparison).find((c) => c.id === "compare-p99")!;
    // Two variants, a p99 and a goodput panel each: four panels, each with the stage rules after 0.
    expect(eventRules(chart.spec)).toHaveLength(4);
    expect(chart.explanation).toContain(
      "Dotted rules mark the scenario's events: 3 load stages (teal)",
    );
    expect(chart.explanation).not.toContain("differ");
    expect(renderCompareHtml(comparison)).toContain(
      "<title>shoppers stage 3 began at 20 s: 50 → 0 requests/s over 15 s</title>",
    );
  });

  it("on the compare chart are the baseline's when the variants' differ, and the paragraph says so", () => {
    const comparison = fixtureComparison();
    comparison.baseline = "round-robin";
    comparison.variants[0].results = [staged()];
    comparison.variants[1].results = [fixtureResult()];
    const chart = compareCharts(comparison).find((c) => c.id === "compare-p99")!;
    expect(eventRules(chart.spec)).toEqual([]);
    expect(chart.explanation).toContain(
      "The variants' faults or scenario events differ: those shaded and marked are round-robin's, the baseline's.",
    );
  });
});
