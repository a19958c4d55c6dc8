// Expressions evaluated over hand-built scrapes, against values worked out by hand: range
// functions over the sample history, aggregation, one-to-one vector matching, histogram_quantile
// of bucket rates, and a series that appears mid-run. Mirrors src/observe/alerts/promql/evaluate.ts
// and src/observe/alerts/history.ts.
import { describe, expect, test } from "vitest";
import { SampleHistory } from "../../../src/observe/alerts/history.ts";
import { Evaluator, type Sample } from "../../../src/observe/alerts/promql/evaluate.ts";
import { parseExpr } from "../../../src/observe/alerts/promql/parser.ts";
import { SeriesStore } from "../../../src/observe/metrics/seriesStore.ts";
import { rule, SCRAPE_MS, set, tick } from "./scripted.ts";

/** Feeds `ticks` scrapes (each sets the store through `at(k)`), then evaluates `expr` (before its comparison) at the last. */
function valueAfter(
  ticks: number,
  at: (store: SeriesStore, k: number) => void,
  expr: string,
): Sample[] {
  const store = new SeriesStore();
  const history = new SampleHistory(3_600_000);
  const evaluator = new Evaluator(history, SCRAPE_MS);
  for (let k = 1; k <= ticks; k++) {
    at(store, k);
    history.record(tick(k), store.series);
  }
  rule("r", `${expr} > -1e300`); // it checks
  return evaluator.vectorAt(parseExpr(expr), tick(ticks));
}

/** Labels without the metric name, and the value. */
const shown = (samples: Sample[]) =>
  samples.map((s) => [Object.fromEntries(s.labels.filter(([k]) => k !== "__name__")), s.value]);

/** Exactly one sample, with these labels and (to 12 places) this value. */
function expectOne(samples: Sample[], labels: Record<string, string>, value: number): void {
  expect(
    samples.map((s) => Object.fromEntries(s.labels.filter(([k]) => k !== "__name__"))),
  ).toEqual([labels]);
  expect(samples[0].value).toBeCloseTo(value, 12);
}

describe("range functions over the history", () => {
  test("rate per instance of a steady counter is its slope", () => {
    // api-0 serves 10/s and api-1 30/s, from time 0; at 2m the 1m window holds 4 samples, extrapolated by 60/45.
    const out = valueAfter(
      8,
      (store, k) => {
        set(store, "meshsim_requests_total", { service: "api", instance: "api-0" }, 150 * k);
        set(store, "meshsim_requests_total", { service: "api", instance: "api-1" }, 450 * k);
      },
      "increase(meshsim_requests_total[1m])",
    );
    expect(shown(out)).toEqual([
      [{ instance: "api-0", service: "api" }, 600],
      [{ instance: "api-1", service: "api" }, 1800],
    ]);
  });

  test("a series that first appears mid-run reads 0 before, so increase does not extrapolate back past its start", () => {
    // 503s first counted at tick 5 (75 s), 200 per tick. At tick 6 the [1m] window (30 s, 90 s] holds
    // 45, 60 (zeros), 75 (200) and 90 s (400): the zero point is at 60 s, so 400 × (45 + 0 + 0)/45 = 400.
    const out = valueAfter(
      6,
      (store, k) => {
        if (k >= 5)
          set(
            store,
            "meshsim_request_errors_total",
            { service: "api", status: "503" },
            200 * (k - 4),
          );
      },
      "increase(meshsim_request_errors_total[1m])",
    );
    expect(shown(out)).toEqual([[{ service: "api", status: "503" }, 400]]);
  });

  test("avg_over_time and max_over_time read every sample in (t − range, t]", () => {
    const queue = [0, 4, 8, 2, 6, 1];
    const at = (store: SeriesStore, k: number) =>
      set(
        store,
        "meshsim_instance_queue_length",
        { service: "api", instance: "api-0" },
        queue[k - 1],
      );
    // At tick 6 (90 s), [45s] holds ticks 4, 5, 6 (60, 75, 90 s): 2, 6, 1.
    expect(
      shown(valueAfter(6, at, "avg_over_time(meshsim_instance_queue_length[45s])"))[0][1],
    ).toBe(3);
    expect(
      shown(valueAfter(6, at, "max_over_time(meshsim_instance_queue_length[45s])"))[0][1],
    ).toBe(6);
    expect(shown(valueAfter(6, at, "max_over_time(meshsim_instance_queue_length[1m])"))[0][1]).toBe(
      8,
    );
  });
});

describe("aggregation and arithmetic", () => {
  const errorsAndRequests = (store: SeriesStore, k: number) => {
    set(store, "meshsim_requests_total", { service: "api", instance: "api-0" }, 1000 * k);
    set(store, "meshsim_requests_total", { service: "api", instance: "api-1" }, 1000 * k);
    set(store, "meshsim_request_errors_total", { service: "api", status: "500" }, 50 * k);
    set(store, "meshsim_request_errors_total", { service: "api", status: "503" }, 150 * k);
  };

  test("an error ratio: sum by service of errors over sum by service of requests, matched on service", () => {
    const out = valueAfter(
      4,
      errorsAndRequests,
      "sum by (service) (rate(meshsim_request_errors_total[30s])) / on(service) sum by (service) (rate(meshsim_requests_total[30s]))",
    );
    expectOne(out, { service: "api" }, 0.1);
  });

  test("ignoring(status) matches one pinned status against the per-service total, and keeps the left's other labels", () => {
    const out = valueAfter(
      4,
      errorsAndRequests,
      'rate(meshsim_request_errors_total{status="503"}[30s]) / ignoring(status) sum by (service) (rate(meshsim_requests_total[30s]))',
    );
    expectOne(out, { service: "api" }, 0.075);
  });

  test("sum without, count, min and max", () => {
    expect(
      shown(valueAfter(1, errorsAndRequests, "sum without (instance) (meshsim_requests_total)")),
    ).toEqual([[{ service: "api" }, 2000]]);
    expect(shown(valueAfter(1, errorsAndRequests, "count(meshsim_request_errors_total)"))).toEqual([
      [{}, 2],
    ]);
    expect(
      shown(valueAfter(1, errorsAndRequests, "min by (service) (meshsim_request_errors_total)")),
    ).toEqual([[{ service: "api" }, 50]]);
    expect(shown(valueAfter(1, errorsAndRequests, "max(meshsim_request_errors_total)"))).toEqual([
      [{}, 150],
    ]);
    expect(shown(valueAfter(1, errorsAndRequests, "avg(meshsim_request_errors_total)"))).toEqual([
      [{}, 100],
    ]);
  });

  test("vector and number arithmetic; x/0 is Inf as in Prometheus", () => {
    expect(
      shown(valueAfter(1, errorsAndRequests, 'meshsim_request_errors_total{status="500"} * 2 + 1')),
    ).toEqual([[{ service: "api", status: "500" }, 101]]);
    expect(
      shown(valueAfter(1, errorsAndRequests, 'meshsim_request_errors_total{status="500"} / 0')),
    ).toEqual([[{ service: "api", status: "500" }, Infinity]]);
    expect(
      shown(valueAfter(1, errorsAndRequests, '-meshsim_request_errors_total{status="500"}')),
    ).toEqual([[{ service: "api", status: "500" }, -50]]);
  });

  test("regex and negative matchers filter series", () => {
    expect(
      shown(valueAfter(1, errorsAndRequests, 'meshsim_request_errors_total{status=~"5.3"}')).map(
        (s) => s[1],
      ),
    ).toEqual([150]);
    expect(
      shown(valueAfter(1, errorsAndRequests, 'meshsim_request_errors_total{status!~"50."}')),
    ).toEqual([]);
    expect(
      shown(valueAfter(1, errorsAndRequests, 'meshsim_requests_total{instance!="api-0"}')).map(
        (s) => s[1],
      ),
    ).toEqual([1000]);
  });
});

test("histogram_quantile of bucket rates interpolates inside the bucket", () => {
  // Per tick: 50 requests ≤ 100 ms, 40 more ≤ 250 ms, 10 more ≤ 500 ms. p95: rank 95 of 100 lies
  // halfway through (0.25, 0.5]: 0.375 s. Every bucket's rate is scaled alike, so the rates' ratios hold.
  const out = valueAfter(
    4,
    (store, k) => {
      for (const [le, count] of [
        ["0.1", 50],
        ["0.25", 90],
        ["0.5", 100],
        ["+Inf", 100],
      ] as const) {
        set(store, "meshsim_request_duration_seconds_bucket", { service: "api", le }, count * k);
      }
    },
    "histogram_quantile(0.95, sum by (le) (rate(meshsim_request_duration_seconds_bucket[1m])))",
  );
  expectOne(out, {}, 0.375);
});

describe("the operators and functions production rules use", () => {
  const traffic = (store: SeriesStore, k: number) => {
    set(store, "meshsim_requests_total", { service: "api", instance: "api-0" }, 1000 * k);
    set(store, "meshsim_requests_total", { service: "api", instance: "api-1" }, 3000 * k);
    set(store, "meshsim_request_errors_total", { service: "api", status: "500" }, 50 * k);
    set(
      store,
      "meshsim_request_errors_total",
      { service: "api", status: "503" },
      k < 3 ? 0 : 150 * (k - 2),
    );
    set(store, "meshsim_instance_up", { service: "api", instance: "api-0" }, 1);
    set(store, "meshsim_instance_up", { service: "api", instance: "api-1" }, k < 4 ? 1 : 0);
  };
  const values = (expr: string, ticks = 4) => shown(valueAfter(ticks, traffic, expr));

  test("and / or / unless match on labels but the metric name, keeping the left side's samples", () => {
    expect(values('meshsim_instance_up and meshsim_requests_total{instance="api-1"}')).toEqual([
      [{ instance: "api-1", service: "api" }, 0],
    ]);
    expect(
      values('meshsim_instance_up unless on(instance) meshsim_requests_total{instance="api-1"}'),
    ).toEqual([[{ instance: "api-0", service: "api" }, 1]]);
    expect(values('meshsim_instance_up{instance="api-0"} or meshsim_instance_up')).toEqual([
      [{ instance: "api-0", service: "api" }, 1],
      [{ instance: "api-1", service: "api" }, 0],
    ]);
  });

  test("a comparison filters, keeping the vector's value even with the number on the left; bool gives 0 or 1 without the name", () => {
    expect(values("meshsim_instance_up == 0")).toEqual([
      [{ instance: "api-1", service: "api" }, 0],
    ]);
    expect(values("0.5 < meshsim_instance_up")).toEqual([
      [{ instance: "api-0", service: "api" }, 1],
    ]);
    const bool = valueAfter(4, traffic, "meshsim_instance_up == bool 0");
    expect(bool.map((s) => [Object.fromEntries(s.labels), s.value])).toEqual([
      [{ instance: "api-0", service: "api" }, 0],
      [{ instance: "api-1", service: "api" }, 1],
    ]);
  });

  test("group_left: each error series over its service's total, the one side's labels copied on request", () => {
    const out = values(
      "rate(meshsim_request_errors_total[30s]) / ignoring(status) group_left sum by (service) (rate(meshsim_requests_total[30s]))",
    );
    expect(out.map(([labels]) => labels)).toEqual([
      { service: "api", status: "500" },
      { service: "api", status: "503" },
    ]);
    expect(out[0][1]).toBeCloseTo(50 / 4000, 15);
    expect(out[1][1]).toBeCloseTo(150 / 4000, 15);
  });

  test("offset reads the history as it was: increase over 30s a minute ago", () => {
    // The 503 counter counts from tick 3 (45 s): at tick 8 (120 s) with offset 1m the window is
    // (15 s, 60 s], ticks 2–4 holding 0, 150, 300: an increase of 300, not extrapolated back past
    // the counter's zero (its first sample is 0). Without the offset, 150 a tick: 450 over 45 s.
    expect(
      values('increase(meshsim_request_errors_total{status="503"}[45s] offset 1m)', 8),
    ).toEqual([[{ service: "api", status: "503" }, 300]]);
    expect(values('increase(meshsim_request_errors_total{status="503"}[45s])', 8)).toEqual([
      [{ service: "api", status: "503" }, 450],
    ]);
  });

  test("topk, bottomk and quantile across series; count_values by value", () => {
    expect(values("topk(1, meshsim_requests_total)")).toEqual([
      [{ instance: "api-1", service: "api" }, 12000],
    ]);
    expect(values("bottomk(1, meshsim_requests_total)")).toEqual([
      [{ instance: "api-0", service: "api" }, 4000],
    ]);
    expect(values("quantile(0.5, meshsim_requests_total)")).toEqual([[{}, 8000]]);
    expect(values('count_values("up", meshsim_instance_up)')).toEqual([
      [{ up: "0" }, 1],
      [{ up: "1" }, 1],
    ]);
  });

  test("absent gives 1 with the selector's = labels when nothing matches, nothing otherwise", () => {
    expect(values('absent(meshsim_instance_up{service="api", instance=~"x.*"})')).toEqual([
      [{ service: "api" }, 1],
    ]);
    expect(values('absent(meshsim_instance_up{service="api"})')).toEqual([]);
    expect(values('absent_over_time(meshsim_instance_up{instance=~"x.*"}[1m])')).toEqual([[{}, 1]]);
  });

  test("label_replace with Go's $1 expansion, and label_join", () => {
    expect(
      values(
        'label_replace(meshsim_instance_up{instance="api-1"}, "pod", "pod-$1", "instance", "api-(.*)")',
      ),
    ).toEqual([[{ instance: "api-1", pod: "pod-1", service: "api" }, 0]]);
    expect(
      values('label_join(meshsim_instance_up{instance="api-0"}, "id", "/", "service", "instance")'),
    ).toEqual([[{ id: "api/api-0", instance: "api-0", service: "api" }, 1]]);
  });

  test("irate and idelta from the last two samples; delta, changes and quantile_over_time", () => {
    expect(values('irate(meshsim_requests_total{instance="api-0"}[1m])')).toEqual([
      [{ instance: "api-0", service: "api" }, 1000 / 15],
    ]);
    expect(values('idelta(meshsim_instance_up{instance="api-1"}[1m])')).toEqual([
      [{ instance: "api-1", service: "api" }, -1],
    ]);
    expect(values('changes(meshsim_instance_up{instance="api-1"}[1m])')).toEqual([
      [{ instance: "api-1", service: "api" }, 1],
    ]);
    // delta over 45 s holds ticks 2–4 (1, 1, 0): −1 over 30 s, extrapolated by 45/30 (a gauge: no zero clamp).
    expect(values('delta(meshsim_instance_up{instance="api-1"}[45s])')).toEqual([
      [{ instance: "api-1", service: "api" }, -1.5],
    ]);
    expect(values('quantile_over_time(0.5, meshsim_instance_up{instance="api-1"}[1m])')).toEqual([
      [{ instance: "api-1", service: "api" }, 1],
    ]);
  });

  test("a subquery evaluates its expression at every step in its range", () => {
    // sum(rate(requests[30s])) is 4000/15 ≈ 266.7 at every tick; max over the last 45 s of it, step 15s.
    const [[, max]] = values("max_over_time(sum(rate(meshsim_requests_total[30s]))[45s:15s])");
    expect(max).toBeCloseTo(4000 / 15, 9);
    expect(values("count_over_time(sum(rate(meshsim_requests_total[30s]))[45s:15s])")).toEqual([
      [{}, 3],
    ]);
  });

  test("clamp, round, abs and scalar arithmetic", () => {
    expect(values('clamp(meshsim_requests_total{instance="api-1"}, 0, 100)')).toEqual([
      [{ instance: "api-1", service: "api" }, 100],
    ]);
    expect(values('round(meshsim_requests_total{instance="api-0"} / 3, 10)')).toEqual([
      [{ instance: "api-0", service: "api" }, 1330],
    ]);
    expect(values('abs(-meshsim_instance_up{instance="api-0"})')).toEqual([
      [{ instance: "api-0", service: "api" }, 1],
    ]);
    expect(
      values('meshsim_instance_up{instance="api-0"} * scalar(sum(meshsim_instance_up))'),
    ).toEqual([[{ instance: "api-0", service: "api" }, 1]]);
  });
});
