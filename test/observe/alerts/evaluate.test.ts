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
