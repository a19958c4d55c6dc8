// The comparison's per-edge and per-service views, and its labels: each edge's imbalance per
// variant (not the worst edge alone), each service's utilisation and the bottleneck per variant,
// requests labelled as summed over seeds, "—" for a load none of whose requests completed, and the
// over-time chart as one small multiple per variant.
import { describe, expect, it } from "vitest";
import { compareCharts, renderCompareHtml } from "../../src/report/html/compareReport.ts";
import {
  edgeImbalanceTable,
  serviceUtilisationTable,
} from "../../src/report/sections/compareTables.ts";
import {
  compareHeader,
  compareRows,
  renderCompareMarkdown,
} from "../../src/report/terminal/compareTable.ts";
import { fixtureComparison } from "./experimentFixtures.ts";

describe("the comparison's views", () => {
  it("show every edge's imbalance per variant, so a canary's 90/10 edge does not hide the others", () => {
    const comparison = fixtureComparison();
    const canary = structuredClone(comparison.variants[1].results[0]);
    canary.edges["gateway->payment"].imbalance = 1.8;
    comparison.variants[1].results = [canary];
    const table = edgeImbalanceTable(comparison);
    expect(table.columns.map((c) => c.title)).toEqual(["edge", "least-request", "round-robin"]);
    const edges = table.rows.map((r) => r[0]);
    expect(edges).toContain("gateway → payment");
    expect(table.rows.length).toBe(Object.keys(canary.edges).length);
    const row = table.rows.find((r) => r[0] === "gateway → payment")!;
    expect(row[2]).toBe("1.800");
    expect(renderCompareHtml(comparison)).toContain("Imbalance per edge");
    expect(renderCompareMarkdown(comparison)).toContain("| gateway → payment |");
  });

  it("show each service's utilisation per variant and name each variant's bottleneck", () => {
    const comparison = fixtureComparison();
    comparison.variants[1].services.order = { ...comparison.variants[1].services.payment };
    comparison.variants[1].services.order.utilization = 0.9;
    const table = serviceUtilisationTable(comparison);
    expect(table.rows.at(-1)).toEqual(["bottleneck", "payment", "order"]);
    expect(table.rows.find((r) => r[0] === "payment")).toEqual(["payment", "50.0%", "75.0%"]);
    expect(table.rows.find((r) => r[0] === "order")).toEqual(["order", "—", "90.0%"]);
  });

  it("label requests as summed over seeds and every other figure as a mean", () => {
    expect(compareHeader).toContain("requests (all seeds)");
    expect(compareHeader).toContain("error rate");
    expect(renderCompareHtml(fixtureComparison())).toContain(
      "requests are summed over seeds; every other figure is the mean over seeds",
    );
  });

  it("show — for the latencies of a load none of whose requests completed, not 0", () => {
    const comparison = fixtureComparison();
    const load = comparison.variants[1].loads[0];
    load.throughputPerS = 0;
    for (const p of ["mean", "p50", "p90", "p99", "p999"] as const) load.latencyMs[p] = 0;
    const row = compareRows(comparison)[1];
    expect(row.slice(4, 9)).toEqual(["—", "—", "—", "—", "—"]);
  });

  it("draw the over-time chart as one row of small multiples per variant, on shared scales", () => {
    const chart = compareCharts(fixtureComparison()).find((c) => c.id === "compare-p99")!;
    const rows = (chart.spec as { vconcat: { title: { text: string } }[] }).vconcat;
    expect(rows.map((r) => r.title.text)).toEqual(["least-request", "round-robin"]);
  });

  it("print the variants' percentiles to the 3 figures their histogram holds, not as bucket edges", () => {
    const comparison = fixtureComparison();
    const load = comparison.variants[1].loads[0];
    load.latencyMs.p99 = 2631.99;
    load.latencyMs.p99Ci95 = [2600.123, 2663.857];
    const row = compareRows(comparison)[1];
    const p99 = row[compareHeader.indexOf("p99 ms")];
    expect(p99).toBe("2630 ±31.9");
    expect(renderCompareMarkdown(comparison)).not.toContain("2631.99");
    expect(renderCompareHtml(comparison)).not.toContain("2631.99");
  });
});
