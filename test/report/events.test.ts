// The scenario's events on every time chart: config pushes, rollout steps and the HPA's scale
// decisions as dotted rules with a hover title saying what happened, named in the chart's
// paragraph; a chart that draws a kind itself (pods: HPA, config versions: pushes) is not given it twice.
import { describe, expect, it } from "vitest";
import { withEvents } from "../../src/report/html/charts/events.ts";
import { timeAxis } from "../../src/report/html/data/chartRows.ts";
import { scenarioEvents } from "../../src/report/html/data/events.ts";
import { controlPlaneCharts, runCharts } from "../../src/report/html/runCharts.ts";
import { renderHtmlReport } from "../../src/report/html/runReport.ts";
import { controlPlaneResult } from "./controlPlaneFixtures.ts";
import { fixtureResult } from "./reportFixtures.ts";

const layersOf = (spec: unknown): { mark?: { type?: string }; data?: { values?: unknown[] } }[] => {
  const node = spec as { layer?: unknown[]; vconcat?: unknown[] };
  return [...(node.layer ?? []), ...(node.vconcat ?? []).flatMap(layersOf)] as never;
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
});
