// The load-time check of alert expressions against what meshsim scrapes: metric names (with the
// _total/_bucket suffix hints), label names and values, counters under rate(), ranges long enough
// for two scrapes, and vector matching that is one-to-one. Mirrors src/observe/alerts/promql/check.ts.
import { describe, expect, test } from "vitest";
import { PromqlError } from "../../../src/observe/alerts/promql/errors.ts";
import { KNOWN_SAMPLES } from "../../../src/observe/alerts/promql/metrics.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { KUBERNETES_DEFAULTS } from "../../../src/scenario/defaults.ts";
import { poissonLoad, scenario, station } from "../../helpers/scenarios.ts";
import { rule } from "./scripted.ts";

function checkFailure(expr: string): PromqlError {
  try {
    rule("r", expr);
  } catch (error) {
    expect(error).toBeInstanceOf(PromqlError);
    return error as PromqlError;
  }
  throw new Error(`expected ${JSON.stringify(expr)} to be rejected`);
}

describe("accepted", () => {
  test.each([
    'sum(rate(meshsim_request_errors_total{service="api"}[1m])) / sum(rate(meshsim_requests_total{service="api"}[1m])) > 0.05',
    'histogram_quantile(0.99, sum by (le) (rate(meshsim_request_duration_seconds_bucket{service="api"}[1m]))) > 0.5',
    "sum by (service) (rate(meshsim_request_errors_total[1m])) / on(service) sum by (service) (rate(meshsim_requests_total[1m])) > 0.1",
    'rate(meshsim_request_errors_total{status="503"}[1m]) / ignoring(status) sum by (service) (rate(meshsim_requests_total[1m])) > 0.1',
    'sum(rate(meshsim_proxy_retries_total{source="load:shop", target="api"}[2m])) > 1',
    'max_over_time(meshsim_instance_queue_length{instance="api-1"}[1m]) > 10',
    'avg_over_time(meshsim_load_latency_window_seconds{quantile="0.99"}[1m]) > 0.3',
    'meshsim_instance_up{service=~"a.*"} == 0',
    "min(meshsim_service_live_instances) < 2",
    'increase(meshsim_load_request_duration_seconds_bucket{le="+Inf"}[30s]) - increase(meshsim_load_request_duration_seconds_bucket{le="0.25"}[30s]) > 100',
    // What the former subset refused (issue 21): set operators, offset, topk, quantile_over_time,
    // arithmetic on both sides, absent, label_replace, bool, group_left, subqueries, clamp.
    "sum(rate(meshsim_request_errors_total[5m])) > 1 and sum(rate(meshsim_requests_total[5m])) > 10",
    "sum(rate(meshsim_requests_total[5m])) < 0.5 * sum(rate(meshsim_requests_total[5m] offset 1h))",
    "topk(1, meshsim_instance_queue_length) > 10",
    "quantile_over_time(0.9, meshsim_instance_queue_length[5m]) > 10",
    'absent(meshsim_instance_up{service="api"})',
    'label_replace(meshsim_instance_up, "pod", "$1", "instance", "(.*)") == 0',
    "sum by (service) (meshsim_instance_up == bool 0) > 0",
    "rate(meshsim_request_errors_total[1m]) / ignoring(status) group_left sum by (service) (rate(meshsim_requests_total[1m])) > 0.1",
    "max_over_time(sum(rate(meshsim_requests_total[1m]))[10m:]) > 100",
    "clamp_max(meshsim_instance_utilization_ratio, 1) > 0.9 unless meshsim_instance_up == 0",
  ])("%s", (expr) => {
    expect(() => rule("r", expr)).not.toThrow();
  });
});

describe("rejected, with the reason and the column", () => {
  const cases: [string, string, number][] = [
    [
      "meshsim_nope > 1",
      'unknown metric "meshsim_nope"; metrics are: meshsim_load_requests_total, ',
      1,
    ],
    [
      "rate(meshsim_requests[1m]) > 1",
      "(a counter's samples end in _total: meshsim_requests_total)",
      6,
    ],
    [
      "meshsim_request_duration_seconds > 1",
      "(a histogram's samples are meshsim_request_duration_seconds_bucket, meshsim_request_duration_seconds_sum and meshsim_request_duration_seconds_count)",
      1,
    ],
    [
      "meshsim_instance_up_total > 1",
      "(meshsim_instance_up is a gauge: its samples have no _total)",
      1,
    ],
    [
      'meshsim_requests_total{services="api"} > 1',
      "meshsim_requests_total has no label services; its labels are service, instance",
      24,
    ],
    [
      'meshsim_requests_total{service="apii"} > 1',
      'no service "apii" in this scenario; service values are: api',
      24,
    ],
    [
      'meshsim_load_requests_total{load="shp"} > 1',
      'no load "shp" in this scenario; load values are: shop',
      29,
    ],
    [
      'meshsim_requests_total{instance="api-2"} > 1',
      'no instance "api-2" in this scenario; instance values are: api-0, api-1',
      24,
    ],
    [
      'meshsim_request_duration_seconds_bucket{le="0.3"} > 1',
      'no le "0.3" in this scenario; le values are: 0.1, 0.25, 0.5, +Inf',
      41,
    ],
    [
      "rate(meshsim_instance_queue_length[1m]) > 1",
      "rate() needs a counter (a _total, _bucket, _sum or _count sample); meshsim_instance_queue_length is a gauge",
      6,
    ],
    [
      "increase(meshsim_requests_total[20s]) > 1",
      "increase() over 20s sees fewer than two scrapes (one every 15s), so it never has a value; use at least 30s",
      33,
    ],
    [
      "max_over_time(meshsim_instance_up[10s]) < 1",
      "max_over_time() over 10s is shorter than the scrape interval (15s)",
      35,
    ],
    [
      "histogram_quantile(0.9, meshsim_request_duration_seconds_sum) > 1",
      "histogram_quantile() needs _bucket series with an le label; this argument has labels service",
      25,
    ],
    [
      "sum by (zone) (meshsim_requests_total) > 1",
      "by (zone): the series being aggregated have no label zone; their labels are service, instance",
      5,
    ],
    [
      "rate(meshsim_request_errors_total[1m]) / rate(meshsim_requests_total[1m]) > 0.1",
      "the two sides have different labels (left: service, status; right: service, instance), so no series would match",
      40,
    ],
    [
      "rate(meshsim_request_errors_total[1m]) / on(service) sum by (service) (rate(meshsim_requests_total[1m])) > 0.1",
      "several series of the left side could match one series of the other (they differ in status)",
      42,
    ],
    [
      "sum(meshsim_requests_total) / on(service) sum(meshsim_requests_total) > 1",
      "on(service): the left side has no label service; its labels are (none)",
      31,
    ],
    ["1 + 2 > 2", "comparisons between numbers must use bool (e.g. 1 > bool 2)", 7],
    ["1 + 2 > bool 2", "the expression is a plain number (a scalar); an alert needs series", 1],
    ["sum(2) > 1", "sum() needs series (an instant vector), found a number (scalar)", 5],
    [
      "rate(meshsim_requests_total[1m])[5m:] > 1",
      "the left side of > must be a number or an instant vector, found a range vector",
      1,
    ],
    [
      "max_over_time((1)[5m:]) > 0",
      "a subquery needs series (an instant vector), found a number (scalar)",
      16,
    ],
    [
      "rate(meshsim_requests_total) > 1",
      "rate() expects a range vector as argument 1, found an instant vector",
      6,
    ],
    [
      'label_replace(meshsim_instance_up, "a-b", "x", "service", ".*") > 0',
      'invalid label name "a-b" in label_replace()',
      36,
    ],
    [
      "topk(meshsim_instance_up, 3) > 0",
      "topk() needs series (an instant vector), found a number (scalar)",
      27,
    ],
    [
      "meshsim_instance_up and 1",
      "and is a set operator: both sides must be series, not numbers",
      21,
    ],
    ["meshsim_instance_up + bool meshsim_instance_up", "bool can only modify a comparison", 21],
    [
      "meshsim_instance_up and on(service) group_left meshsim_instance_up",
      "no group_left/group_right with the set operator and",
      25,
    ],
    [
      "rate(meshsim_request_errors_total[1m]) / on(service) group_left sum by (service, status) (rate(meshsim_request_errors_total[1m])) > 0",
      "the right side of a group_left match must be unique per match",
      42,
    ],
    [
      "meshsim_instance_up * on(service) group_left(zone) sum by (service) (meshsim_instance_up) > 0",
      'group_left(zone): the "one" side has no label zone',
      23,
    ],
  ];
  test.each(cases)("%s", (expr, message, column) => {
    const error = checkFailure(expr);
    expect(error.message).toContain(message);
    expect(error.column).toBe(column);
  });

  test("the unknown-metric message lists every family, the proxy events included", () => {
    const message = checkFailure("meshsim_nope > 1").message;
    for (const name of [
      "meshsim_load_failed_total",
      "meshsim_request_duration_seconds_{bucket,sum,count}",
      "meshsim_proxy_retries_total",
      "meshsim_proxy_breakers_open",
    ]) {
      expect(message).toContain(name);
    }
  });
});

test("every counter and histogram sample is selectable, with the labels the monitor sets", () => {
  expect(KNOWN_SAMPLES.get("meshsim_load_failed_total")?.labels).toEqual(["load", "status"]);
  expect(KNOWN_SAMPLES.get("meshsim_request_duration_seconds_bucket")?.labels).toEqual([
    "service",
    "le",
  ]);
  expect(KNOWN_SAMPLES.get("meshsim_proxy_timeouts_total")?.labels).toEqual(["source", "target"]);
  expect(KNOWN_SAMPLES.get("meshsim_instance_up")?.counter).toBe(false);
  expect(KNOWN_SAMPLES.get("meshsim_requests_total")?.counter).toBe(true);
});

test("the label names the checker knows are those of every series a real run scrapes", () => {
  const result = runScenario(
    scenario({
      services: [
        station({
          name: "front",
          serviceTime: "const(1ms)",
          calls: [{ kind: "call", target: { service: "back", operation: "work" }, probability: 1 }],
        }),
        station({ name: "back", instances: 2, serviceTime: "exp(2ms)", errorRate: 0.1 }),
      ],
      load: [poissonLoad(50, "front")],
      durationMs: 30_000,
      registry: KUBERNETES_DEFAULTS, // for the discovery gauges, which exist only with a registry
    }),
  );
  const names = new Set<string>();
  for (const series of result.metrics.series) {
    names.add(series.name);
    expect([
      series.name,
      [...(KNOWN_SAMPLES.get(series.name)?.labels ?? ["(unknown)"])].sort(),
    ]).toEqual([series.name, Object.keys(series.labels).sort()]);
  }
  // The business ledger's samples exist only when the scenario declares effects: their labels are
  // checked against a run with effects in test/observe/metrics/transactionSeries.test.ts.
  const ledger = [...KNOWN_SAMPLES.keys()].filter((n) => n.startsWith("meshsim_transactions_"));
  expect(names.size).toBe(KNOWN_SAMPLES.size - ledger.length);
});
