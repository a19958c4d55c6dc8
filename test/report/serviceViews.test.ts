// The per-service views over time: each service's latency at the service, its utilisation (mean
// over the instances up: a dead or never-started one is no worker time), its queue and calls in
// flight (summed), the per-instance spread (busiest and least busy drawn, the rest as a band), the
// table of each one's worst window in report.md and report.html, and the paragraphs' figures.
import { describe, expect, it } from "vitest";
import { timeAxis } from "../../src/report/html/data/chartRows.ts";
import {
  instanceSpreads,
  podServing,
  serviceGaugeRows,
  serviceLatencyRows,
} from "../../src/report/html/data/serviceRows.ts";
import { runCharts } from "../../src/report/html/runCharts.ts";
import { renderHtmlReport } from "../../src/report/html/runReport.ts";
import { renderSvg } from "../../src/report/html/svg.ts";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import type { RunResult } from "../../src/result/run.ts";
import { fixtureResult } from "./reportFixtures.ts";

const series = (name: string, labels: Record<string, string>, values: (number | null)[]) => ({
  family: name.replace(/_total$/, ""),
  name,
  labels,
  values,
});

/** The fixture with three payment instances (payment-1 down at 20 s, payment-2 never started) and one order instance. */
function withServiceSeries(): RunResult {
  const result = fixtureResult();
  const pay = (instance: string) => ({ service: "payment", instance });
  result.metrics.series.push(
    series(
      "meshsim_latency_window_seconds",
      { service: "payment", quantile: "0.5" },
      [0.02, 0.03, 0.02, 0.02],
    ),
    series("meshsim_latency_window_seconds", { service: "payment", quantile: "0.99" }, [
      0.1,
      0.8,
      0.2,
      null,
    ]),
    series("meshsim_instance_utilization_ratio", pay("payment-0"), [0.5, 0.9, 0.6, 0.4]),
    series("meshsim_instance_utilization_ratio", pay("payment-1"), [0.3, 0, 0.2, 0.2]),
    series("meshsim_instance_utilization_ratio", pay("payment-3"), [0.4, 0.5, 0.4, 0.3]),
    series("meshsim_instance_utilization_ratio", pay("payment-2"), [0, 0, 0, 0]),
    series("meshsim_instance_up", pay("payment-3"), [1, 1, 1, 1]),
    series("meshsim_instance_up", pay("payment-2"), [0, 0, 0, 0]),
    series("meshsim_instance_queue_length", pay("payment-0"), [0, 7, 1, 0]),
    series("meshsim_instance_queue_length", pay("payment-1"), [0, 0, 2, 0]),
    series("meshsim_instance_in_flight", pay("payment-0"), [3, 12, 4, 2]),
    series("meshsim_instance_in_flight", pay("payment-1"), [2, 0, 3, 1]),
    series(
      "meshsim_instance_utilization_ratio",
      { service: "order", instance: "order-0" },
      [0.1, 0.2, 0.1, 0.1],
    ),
  );
  return result;
}

describe("per-service rows", () => {
  const result = withServiceSeries();
  const axis = timeAxis(result.simulatedMs);

  it("average utilisation over the instances up at each scrape, and sum queues and calls in flight", () => {
    const rows = serviceGaugeRows(result.metrics, axis).filter((r) => r.service === "payment");
    const of = (gauge: string) => rows.filter((r) => r.gauge === gauge).map((r) => r.value);
    // payment-1 is down at 20 s (fixture's up 1, 0, 1, 1) and payment-2 never up.
    expect(of("utilisation")).toEqual([0.4, 0.7, 0.4, 0.3].map((v) => expect.closeTo(v, 12)));
    expect(of("queue")).toEqual([0, 7, 3, 0]);
    expect(of("in flight")).toEqual([5, 12, 7, 3]);
  });

  it("leave a starting pod (up, not yet ready) out of its service's utilisation", () => {
    const changes = [
      { atMs: 0, component: "pod payment-3", from: "stopped", to: "starting" },
      { atMs: 25_000, component: "pod payment-3", from: "starting", to: "ready" },
    ];
    const serving = podServing(changes);
    expect([10_000, 20_000, 30_000].map((ms) => serving("payment-3", ms))).toEqual([
      false,
      false,
      true,
    ]);
    expect(serving("payment-0", 10_000)).toBe(true);
    const rows = serviceGaugeRows(result.metrics, axis, serving).filter(
      (r) => r.service === "payment" && r.gauge === "utilisation",
    );
    // payment-3 (0.4, 0.5) counted from 30 s only: 10 s is payment-0 and -1, 20 s payment-0 alone.
    expect(rows.map((r) => r.value)).toEqual(
      [0.4, 0.9, 0.4, 0.3].map((v) => expect.closeTo(v, 12)),
    );
  });

  it("give each service's window p50 and p99 in milliseconds", () => {
    const p99 = serviceLatencyRows(result.metrics, axis).filter((r) => r.series === "payment p99");
    expect(p99.map((r) => r.value)).toEqual([100, 800, 200, null]);
  });

  it("draw the busiest and the least busy instance over the run, the others as a band", () => {
    const [spread, ...rest] = instanceSpreads(result.metrics, axis);
    expect(rest).toEqual([]); // order has one instance
    expect(spread.busiest).toBe("payment-0");
    expect(spread.leastBusy).toBe("payment-1");
    expect(spread.others).toBe(1);
    expect(spread.band.map((b) => [b.low, b.high])).toEqual([
      [0.4, 0.4],
      [0.5, 0.5],
      [0.4, 0.4],
      [0.3, 0.3],
    ]);
    // The least busy instance's line breaks while it is down.
    expect(spread.lines.filter((l) => l.instance === "payment-1").map((l) => l.value)).toEqual([
      0.3,
      null,
      0.2,
      0.2,
    ]);
  });
});

describe("the per-service views in the reports", () => {
  const result = withServiceSeries();

  it("chart each service and the instance spread, explained with the run's own peaks, with no warning", () => {
    const { services, instanceSpread } = runCharts(result);
    expect(services!.explanation).toContain(
      "The busiest was payment: its utilisation peaked at 70.0% at 20 s, with up to 7 calls queued (at 20 s) and its p99 at its worst 800 ms (at 20 s).",
    );
    expect(instanceSpread!.explanation).toContain("The widest spread was in payment: payment-0");
    for (const chart of [services!, instanceSpread!]) {
      const { svg, warnings } = renderSvg(chart.spec, chart.id);
      expect(warnings, chart.id).toEqual([]);
      expect(svg).toContain('aria-roledescription="line mark"');
    }
    expect(renderSvg(instanceSpread!.spec, "s").svg).toContain('aria-roledescription="area mark"');
  });

  it("put a table of each service's worst window in report.md and report.html", () => {
    const md = renderMarkdown(result);
    expect(md).toContain("## Services over time");
    expect(md).toContain("| payment | 800 at 20 s | 70.0% at 20 s | 7 at 20 s | 12 at 20 s |");
    const html = renderHtmlReport(result);
    expect(html).toContain('<figure class="chart" id="services">');
    expect(html).toContain('<figure class="chart" id="instance-spread">');
    expect(html).toContain('<td class="num">800 at 20 s</td>');
  });

  it("are left out of a result without per-service series", () => {
    const plain = fixtureResult();
    expect(runCharts(plain).services).toBeNull();
    expect(renderMarkdown(plain)).not.toContain("Services over time");
  });
});
