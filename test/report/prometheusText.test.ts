// metrics.prom: the last stored point of every series in the 0.0.4 text format, on a hand-built
// result whose expected text is written out in full.
import { describe, expect, test } from "vitest";
import { renderPrometheusText } from "../../src/report/exports/prometheusText.ts";
import { SMALL_METRICS } from "./fixture.ts";

describe("metrics.prom", () => {
  test("writes HELP and TYPE per family and each series' final value, grouped by family", () => {
    expect(renderPrometheusText(SMALL_METRICS)).toBe(
      [
        '# HELP demo_requests_total Calls "answered", with a \\\\ and a\\nnewline.',
        "# TYPE demo_requests_total counter",
        'demo_requests_total{service="we\\"ird\\\\name\\n"} 7',
        'demo_requests_total{service="b"} 1',
        "# HELP demo_duration_seconds Latency.",
        "# TYPE demo_duration_seconds histogram",
        'demo_duration_seconds_bucket{service="a",le="0.5"} 2',
        'demo_duration_seconds_bucket{service="a",le="1"} 3',
        'demo_duration_seconds_bucket{service="a",le="+Inf"} 4',
        'demo_duration_seconds_sum{service="a"} 4.5',
        'demo_duration_seconds_count{service="a"} 4',
        "# HELP demo_in_flight In flight.",
        "# TYPE demo_in_flight gauge",
        'demo_in_flight{service="a"} NaN',
        "# HELP demo_window_seconds Window quantiles.",
        "# TYPE demo_window_seconds summary",
        'demo_window_seconds{service="a",quantile="0.5"} NaN',
        'demo_window_seconds{service="a",quantile="0.99"} NaN',
        "# HELP demo_busy_seconds_total Busy.",
        "# TYPE demo_busy_seconds_total counter",
        'demo_busy_seconds_total{service="a"} 2.25',
        "",
      ].join("\n"),
    );
  });

  test("sorts histogram buckets by le and summary quantiles ascending whatever the result's order, +Inf last", () => {
    const shuffled = { ...SMALL_METRICS, series: [...SMALL_METRICS.series].reverse() };
    const text = renderPrometheusText(shuffled);
    expect([...text.matchAll(/[{,]le="([^"]+)"/g)].map((m) => m[1])).toEqual(["0.5", "1", "+Inf"]);
    expect([...text.matchAll(/[{,]quantile="([^"]+)"/g)].map((m) => m[1])).toEqual(["0.5", "0.99"]);
  });

  test("a run with no stored point yet writes an empty file", () => {
    const empty = {
      ...SMALL_METRICS,
      timesMs: [],
      series: SMALL_METRICS.series.map((s) => ({ ...s, values: [] })),
    };
    expect(renderPrometheusText(empty)).toBe("");
  });
});
