import { describe, expect, it } from "vitest";
import {
  counterRates,
  governanceGaugeRows,
  instanceRows,
  type LineRow,
  latencyRows,
  metricsOf,
  problemRows,
  sumValues,
  throughputRows,
  timeAxis,
  warmupMsOf,
} from "../../src/report/html/data/chartRows.ts";
import { fixtureMetrics, fixtureResult } from "./reportFixtures.ts";

const seconds = timeAxis(40_000);
const line = (rows: LineRow[], series: string) =>
  rows.filter((r) => r.series === series).map((r) => [r.t, r.value]);

describe("counter rates", () => {
  it("are the differences of consecutive points per second, the first counted from time 0", () => {
    expect(counterRates([10_000, 20_000, 30_000], [100, 250, 250])).toEqual([10, 15, 0]);
  });

  it("use the actual time between points, so a shorter last step is not diluted", () => {
    expect(counterRates([15_000, 30_000, 35_000], [15, 30, 40])).toEqual([1, 1, 2]);
  });

  it("give null across a reset or a missing point instead of a negative or made-up rate", () => {
    expect(counterRates([1000, 2000, 3000, 4000], [5, 2, null, 4])).toEqual([5, null, null, null]);
  });
});

describe("summing series", () => {
  it("adds point by point and keeps null only where every series is null", () => {
    expect(
      sumValues(
        [
          [1, null, null],
          [2, 3, null],
        ],
        3,
      ),
    ).toEqual([3, 3, null]);
  });
});

describe("the time axis", () => {
  it("shows seconds up to 20 minutes, then minutes, then hours", () => {
    expect(timeAxis(1_200_000)).toEqual({ unit: "s", msPerUnit: 1000, end: 1200 });
    expect(timeAxis(1_260_000)).toEqual({ unit: "min", msPerUnit: 60_000, end: 21 });
    expect(timeAxis(48 * 3_600_000).unit).toBe("h");
  });
});

describe("latency percentiles over time", () => {
  it("are the window quantiles in ms, one line per quantile, with null where no request completed", () => {
    const rows = latencyRows(fixtureResult(), fixtureMetrics(), seconds);
    expect([...new Set(rows.map((r) => r.series))]).toEqual(["p50", "p90", "p99"]);
    expect(line(rows, "p99")).toEqual([
      [10, 300],
      [20, 900],
      [30, null],
      [40, 300],
    ]);
  });

  it("name each line after its load when there are several loads", () => {
    const result = fixtureResult();
    result.load.other = result.load.shoppers;
    const rows = latencyRows(result, fixtureMetrics(), seconds);
    expect(new Set(rows.map((r) => r.series))).toEqual(
      new Set(["shoppers p50", "shoppers p90", "shoppers p99"]),
    );
  });
});

describe("throughput over time", () => {
  it("gives offered, completed and failed per second, each rate also drawn from time 0", () => {
    const rows = throughputRows(fixtureMetrics(), seconds);
    expect(line(rows, "offered")).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
      [30, 10],
      [40, 10],
    ]);
    expect(line(rows, "completed")).toEqual([
      [0, 10],
      [10, 10],
      [20, 9],
      [30, 9],
      [40, 10],
    ]);
    expect(line(rows, "failed")).toEqual([
      [0, 0],
      [10, 0],
      [20, 1],
      [30, 1],
      [40, 0],
    ]);
  });
});

describe("failures and rejections over time", () => {
  it("split failures by status, sum each proxy event over edges, and leave out lines that stay at 0", () => {
    const rows = problemRows(fixtureMetrics(), seconds);
    expect([...new Set(rows.map((r) => r.series))]).toEqual([
      "failed 500",
      "failed 503",
      "breaker open",
    ]);
    expect(line(rows, "breaker open")).toEqual([
      [0, 0],
      [10, 0],
      [20, 0],
      [30, 5],
      [40, 0],
    ]);
  });

  it("keep one flat failed line when nothing went wrong", () => {
    const metrics = fixtureMetrics();
    metrics.series = metrics.series.filter(
      (s) =>
        !s.name.startsWith("meshsim_load_failed") && !s.name.startsWith("meshsim_proxy_breaker"),
    );
    const rows = problemRows(metrics, seconds);
    expect(new Set(rows.map((r) => r.series))).toEqual(new Set(["failed"]));
    expect(rows.every((r) => r.value === 0)).toBe(true);
  });
});

describe("governance gauges", () => {
  it("sum open breakers and ejected hosts, and count instances down as instances minus live ones", () => {
    const rows = governanceGaugeRows(fixtureMetrics(), seconds);
    expect(line(rows, "breakers open").map(([, v]) => v)).toEqual([0, 1, 1, 0]);
    expect(line(rows, "hosts ejected").map(([, v]) => v)).toEqual([0, 0, 2, 0]);
    expect(line(rows, "instances down").map(([, v]) => v)).toEqual([0, 1, 0, 0]);
  });
});

describe("instances", () => {
  it("share a service's calls over every edge into it, weighted by each edge's tries", () => {
    const payment = instanceRows(fixtureResult()).filter((r) => r.service === "payment");
    // gateway sent 400 tries half and half, order sent 100 with 90 to payment-0: 290 and 210 of 500.
    expect(payment.map((r) => [r.instance, r.share, r.evenShare, r.utilization])).toEqual([
      ["payment-0", 0.58, 0.5, 0.4],
      ["payment-1", 0.42, 0.5, 0.45],
    ]);
  });

  it("have a null share when no call to their service was measured", () => {
    const result = fixtureResult();
    result.edges = {};
    expect(instanceRows(result).every((r) => r.share === null)).toBe(true);
  });
});

describe("older saved results", () => {
  it("without metrics or warm-up read as no time series and no warm-up", () => {
    const result = fixtureResult() as unknown as Record<string, unknown>;
    delete result.metrics;
    delete result.warmupMs;
    expect(metricsOf(result as never)).toBeNull();
    expect(warmupMsOf(result as never)).toBe(0);
  });
});
