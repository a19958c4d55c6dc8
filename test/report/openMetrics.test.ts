// metrics.om: every stored point in OpenMetrics 1.0 text with timestamps, on a hand-built result
// whose expected text is written out in full.
import { describe, expect, test } from "vitest";
import { DEFAULT_EPOCH_MS } from "../../src/report/exports/epoch.ts";
import { renderOpenMetrics } from "../../src/report/exports/openMetrics.ts";
import { SMALL_METRICS } from "./fixture.ts";

describe("metrics.om", () => {
  const text = renderOpenMetrics(SMALL_METRICS, DEFAULT_EPOCH_MS);

  test("writes TYPE, UNIT and HELP per family, then each metric's points in time order, ending # EOF", () => {
    expect(text).toBe(
      [
        "# TYPE demo_requests counter",
        '# HELP demo_requests Calls \\"answered\\", with a \\\\ and a\\nnewline.',
        'demo_requests_total{service="we\\"ird\\\\name\\n"} 3 1767225615',
        'demo_requests_total{service="we\\"ird\\\\name\\n"} 7 1767225630',
        'demo_requests_total{service="b"} 0 1767225615',
        'demo_requests_total{service="b"} 1 1767225630',
        "# TYPE demo_duration_seconds histogram",
        "# UNIT demo_duration_seconds seconds",
        "# HELP demo_duration_seconds Latency.",
        'demo_duration_seconds_bucket{service="a",le="0.5"} 1 1767225615',
        'demo_duration_seconds_bucket{service="a",le="1.0"} 2 1767225615',
        'demo_duration_seconds_bucket{service="a",le="+Inf"} 2 1767225615',
        'demo_duration_seconds_count{service="a"} 2 1767225615',
        'demo_duration_seconds_sum{service="a"} 0.75 1767225615',
        'demo_duration_seconds_bucket{service="a",le="0.5"} 2 1767225630',
        'demo_duration_seconds_bucket{service="a",le="1.0"} 3 1767225630',
        'demo_duration_seconds_bucket{service="a",le="+Inf"} 4 1767225630',
        'demo_duration_seconds_count{service="a"} 4 1767225630',
        'demo_duration_seconds_sum{service="a"} 4.5 1767225630',
        "# TYPE demo_in_flight gauge",
        "# HELP demo_in_flight In flight.",
        'demo_in_flight{service="a"} 1 1767225615',
        'demo_in_flight{service="a"} NaN 1767225630',
        "# TYPE demo_window_seconds summary",
        "# UNIT demo_window_seconds seconds",
        "# HELP demo_window_seconds Window quantiles.",
        'demo_window_seconds{service="a",quantile="0.5"} 0.2 1767225615',
        'demo_window_seconds{service="a",quantile="0.99"} 0.9 1767225615',
        'demo_window_seconds{service="a",quantile="0.5"} NaN 1767225630',
        'demo_window_seconds{service="a",quantile="0.99"} NaN 1767225630',
        "# TYPE demo_busy_seconds counter",
        "# UNIT demo_busy_seconds seconds",
        "# HELP demo_busy_seconds Busy.",
        'demo_busy_seconds_total{service="a"} 1.5 1767225615',
        'demo_busy_seconds_total{service="a"} 2.25 1767225630',
        "# EOF",
        "",
      ].join("\n"),
    );
  });

  test("timestamps count from the given epoch", () => {
    const shifted = renderOpenMetrics(SMALL_METRICS, Date.parse("2030-06-01T12:00:00Z"));
    expect(shifted).toContain('demo_in_flight{service="a"} 1 1906545615\n');
  });

  test("leaves out a UNIT the family name does not end with (the spec forbids that pairing)", () => {
    const odd = {
      ...SMALL_METRICS,
      families: SMALL_METRICS.families.map((f) =>
        f.name === "demo_in_flight" ? { ...f, unit: "seconds" } : f,
      ),
    };
    expect(renderOpenMetrics(odd, DEFAULT_EPOCH_MS)).not.toContain("# UNIT demo_in_flight");
  });

  test("a run with no stored point still gives a valid exposition: metadata, then # EOF", () => {
    const empty = {
      ...SMALL_METRICS,
      timesMs: [],
      series: SMALL_METRICS.series.map((s) => ({ ...s, values: [] })),
    };
    const lines = renderOpenMetrics(empty, DEFAULT_EPOCH_MS).trimEnd().split("\n");
    expect(lines.every((l) => l.startsWith("# "))).toBe(true);
    expect(lines.at(-1)).toBe("# EOF");
  });
});
