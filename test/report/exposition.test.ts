// The pieces both metric exports share: escaping, number rendering, and the grouping of series
// into families and metrics in exposition order.
import { describe, expect, test } from "vitest";
import { DEFAULT_EPOCH, DEFAULT_EPOCH_MS } from "../../src/report/exports/epoch.ts";
import {
  canonicalFloat,
  escapeHelp004,
  escapeLabelValue,
  formatLabels,
  formatValue,
  goFloat,
  groupByFamily,
} from "../../src/report/exports/exposition.ts";
import { unixSeconds } from "../../src/report/exports/openMetrics.ts";
import type { MetricsResult } from "../../src/result/metrics.ts";

describe("escaping", () => {
  test("label values escape backslash, double quote and line feed, and nothing else", () => {
    expect(escapeLabelValue('a\\b"c\nd\te')).toBe('a\\\\b\\"c\\nd\te');
    expect(escapeLabelValue("plain-value_1.2")).toBe("plain-value_1.2");
  });

  test("0.0.4 HELP text escapes backslash and line feed but keeps double quotes", () => {
    expect(escapeHelp004('say "hi"\\now\nthen')).toBe('say "hi"\\\\now\\nthen');
  });

  test("labels render in their given order, escaped, and not at all when there are none", () => {
    expect(formatLabels({ service: 'we"ird', instance: "a\\b" })).toBe(
      '{service="we\\"ird",instance="a\\\\b"}',
    );
    expect(formatLabels({})).toBe("");
  });
});

describe("numbers", () => {
  test("values: null and NaN as NaN, infinities as +Inf and -Inf, -0 as 0", () => {
    expect([null, NaN, Infinity, -Infinity, -0, 3, 0.25, 1e-7, 1e21].map(formatValue)).toEqual([
      "NaN",
      "NaN",
      "+Inf",
      "-Inf",
      "0",
      "3",
      "0.25",
      "1e-7",
      "1e+21",
    ]);
  });

  test("goFloat matches Go's strconv.FormatFloat(x, 'g', -1, 64)", () => {
    const cases: [number, string][] = [
      [0, "0"],
      [1, "1"],
      [0.005, "0.005"],
      [2.5, "2.5"],
      [1e-5, "1e-05"],
      [1e-4, "0.0001"],
      [100000, "100000"],
      [1e6, "1e+06"],
      [1.1e23, "1.1e+23"],
      [123456789, "1.23456789e+08"],
      [-0.5, "-0.5"],
      [Infinity, "+Inf"],
    ];
    for (const [x, go] of cases) expect(goFloat(x)).toBe(go);
  });

  test("canonicalFloat gives the OpenMetrics spec's examples for le and quantile", () => {
    const spec = "0.0 0.001 0.002 0.01 0.1 0.9 0.95 0.99 0.999 1.0 1.7 10.0".split(" ");
    expect(spec.map((s) => canonicalFloat(Number(s)))).toEqual(spec);
    const powers = "1e-10 1e-09 1e-05 0.0001 0.1 1.0 100000.0 1e+06 1e+10".split(" ");
    expect(powers.map((s) => canonicalFloat(Number(s)))).toEqual(powers);
    expect(canonicalFloat(Infinity)).toBe("+Inf");
  });

  test("timestamps are decimal unix seconds without exponent or trailing zeros", () => {
    expect(unixSeconds(DEFAULT_EPOCH_MS)).toBe("1767225600");
    expect(unixSeconds(DEFAULT_EPOCH_MS + 15_000)).toBe("1767225615");
    expect(unixSeconds(DEFAULT_EPOCH_MS + 250)).toBe("1767225600.25");
    expect(unixSeconds(DEFAULT_EPOCH_MS + 0.5)).toBe("1767225600.0005");
    expect(unixSeconds(0)).toBe("0");
  });

  test("the default epoch is 2026-01-01T00:00:00Z", () => {
    expect(DEFAULT_EPOCH).toBe("2026-01-01T00:00:00Z");
    expect(new Date(DEFAULT_EPOCH_MS).toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });
});

describe("grouping", () => {
  const metrics: MetricsResult = {
    scrapeIntervalMs: 1000,
    stepMs: 1000,
    timesMs: [1000],
    families: [
      { name: "h_seconds", type: "histogram", unit: "seconds", help: "h" },
      { name: "c", type: "counter", unit: "", help: "c" },
    ],
    series: [
      { family: "h_seconds", name: "h_seconds_bucket", labels: { s: "a", le: "10" }, values: [2] },
      { family: "c", name: "c_total", labels: { s: "a" }, values: [1] },
      {
        family: "h_seconds",
        name: "h_seconds_bucket",
        labels: { s: "a", le: "+Inf" },
        values: [2],
      },
      {
        family: "h_seconds",
        name: "h_seconds_bucket",
        labels: { s: "b", le: "+Inf" },
        values: [0],
      },
      { family: "h_seconds", name: "h_seconds_sum", labels: { s: "a" }, values: [3] },
      { family: "h_seconds", name: "h_seconds_bucket", labels: { s: "a", le: "2" }, values: [1] },
      { family: "h_seconds", name: "h_seconds_count", labels: { s: "a" }, values: [2] },
      { family: "c", name: "c_total", labels: { s: "b" }, values: [4] },
    ],
  };

  test("families keep result order; metrics are label sets without le, buckets ascending then the named suffixes", () => {
    const groups = groupByFamily(metrics, ["_count", "_sum"]);
    expect(groups.map((g) => g.family.name)).toEqual(["h_seconds", "c"]);
    const [a, b] = groups[0].metrics.map((m) =>
      m.series.map((s) => `${s.name}${s.labels.le === undefined ? "" : `@${s.labels.le}`}`),
    );
    expect(a).toEqual([
      "h_seconds_bucket@2",
      "h_seconds_bucket@10",
      "h_seconds_bucket@+Inf",
      "h_seconds_count",
      "h_seconds_sum",
    ]);
    expect(b).toEqual(["h_seconds_bucket@+Inf"]);
    expect(groups[1].metrics.map((m) => m.series[0].labels.s)).toEqual(["a", "b"]);
  });

  test("a series naming a family the result does not list is an error, not a silent drop", () => {
    const broken = {
      ...metrics,
      series: [{ family: "nope", name: "nope", labels: {}, values: [1] }],
    };
    expect(() => groupByFamily(broken, [])).toThrow(/family nope/);
  });
});
