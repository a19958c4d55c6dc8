// Alerts on whole runs. A service `api` answers in 5 ms; the load sends exactly 100 requests a
// second (uniform arrivals, no randomness in counts); an abort fault fails every call to api from
// 60 s to 120 s. An error-ratio rule with `for: 30s` must fire at the scrape tick worked out below,
// and the result must report the detection delay; a too-tight latency rule with no fault is a false
// alarm. The counts at each tick are the monitor's own (test/observe/metrics), so only the alert
// arithmetic is under test here.
import { describe, expect, test } from "vitest";
import type { FaultSpec } from "../../../src/faults/spec.ts";
import type { AlertRuleSpec } from "../../../src/observe/alerts/types.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { PROMETHEUS_BUCKETS_MS } from "../../../src/scenario/defaults.ts";
import { checkContext, thresholdRule } from "../../../src/scenario/resolve/alerts.ts";
import type { LoadSpec } from "../../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../../helpers/scenarios.ts";

const SCOPE = checkContext({
  loads: ["customers"],
  services: [{ name: "api", instances: 2 }],
  bucketsMs: PROMETHEUS_BUCKETS_MS,
  scrapeIntervalMs: 15_000,
});

/** Failed over offered requests of the load, per second over the last 30 s (two scrapes). */
const ERROR_RATIO =
  'sum(rate(meshsim_load_failed_total{load="customers"}[30s])) / sum(rate(meshsim_load_requests_total{load="customers"}[30s])) > 0.25';

const ABORT_API: FaultSpec = {
  name: "api-down",
  kind: "abort",
  atMs: 60_000,
  durationMs: 60_000,
  httpStatus: 503,
  percentage: 100,
  target: { kind: "instances", service: "api", selection: { mode: "all" } },
};

/** 100 requests a second, one every 10 ms exactly. */
const UNIFORM_100_PER_S: LoadSpec = {
  ...(poissonLoad(100, "api") as Extract<LoadSpec, { executor: "constant-arrival-rate" }>),
  arrival: "uniform",
};

function run(alerts: AlertRuleSpec[], faults: FaultSpec[], durationMs = 180_000) {
  return runScenario(
    scenario({
      services: [station({ name: "api", instances: 2, concurrency: 4, serviceTime: "const(5ms)" })],
      load: [UNIFORM_100_PER_S],
      durationMs,
      faults,
      alerts,
    }),
  );
}

describe("an abort fault from 60 s to 120 s", () => {
  const rule = thresholdRule({ name: "api-errors", expr: ERROR_RATIO, forMs: 30_000 }, SCOPE);
  const result = run([rule], [ABORT_API]);

  test("the error-ratio alert is pending at 75 s, fires at 105 s and resolves at 135 s", () => {
    // Requests arrive every 10 ms. rate(x[30s]) at tick t reads the samples at t − 15 s and t.
    //  60 s: failed 0 (or 1 for the arrival at exactly 60 s) at 45 s and 60 s: ratio ≈ 0. Inactive.
    //  75 s: failed 0/1 → ≈1500, a counter from (about) zero, so no extrapolation back: ≈1500/30 s = 50/s,
    //        requests 6000 → 7500, extrapolated by 30/15: 100/s. Ratio ≈ 0.5 > 0.25: pending since 75 s.
    //  90 s, 105 s, 120 s: ≈1500 failed of 1500 in each window: ratio ≈ 1. At 105 s, 105 − 75 = 30 s ≥ for: firing.
    // 135 s: the fault ended at 120 s; failed stays put (±1) between 120 s and 135 s: ratio ≈ 0. Resolved.
    expect(result.alerts.timeline).toEqual([
      {
        alert: "api-errors",
        labels: {},
        pendingAtMs: 75_000,
        firingAtMs: 105_000,
        resolvedAtMs: 135_000,
      },
    ]);
  });

  test("the result lists the rule, and reports the detection 45 s after the fault began, with no false alarm", () => {
    expect(result.alerts.rules).toEqual([
      { name: "api-errors", kind: "threshold", expr: ERROR_RATIO, forMs: 30_000, severity: "page" },
    ]);
    expect(result.alerts.detection).toEqual([
      {
        fault: "api-down",
        kind: "abort",
        startMs: 60_000,
        endMs: 120_000,
        alerts: [{ alert: "api-errors", firingAtMs: 105_000, delayMs: 45_000 }],
      },
    ]);
    expect(result.alerts.falseAlarms).toEqual([]);
  });

  test("a burn-rate rule on the same load pages once both of its windows see the outage", () => {
    // SLO 99.9% (budget 0.1%), pair 2m/30s at 14.4× (error ratio 1.44%). The short window passes at
    // 75 s (ratio ≈ 0.5); the 2m window (t − 120 s, t] at 75 s holds 15..75 s: failed ≈1500 (from
    // zero), finished ≈7500 × 67.5/60: ratio ≈ 15% ≫ 1.44%. So both at 75 s.
    const burn: AlertRuleSpec = {
      kind: "burn-rate",
      name: "customers-availability",
      forMs: 0,
      keepFiringForMs: 0,
      slo: {
        target: { kind: "load", name: "customers" },
        objectivePercent: 99.9,
        budget: 0.001,
        sli: "availability",
        thresholdMs: null,
        windows: [{ longMs: 120_000, shortMs: 30_000, burnRate: 14.4, severity: "page" }],
      },
    };
    const alerts = run([burn], [ABORT_API]).alerts;
    expect(alerts.timeline).toEqual([
      {
        alert: "customers-availability",
        labels: { load: "customers", severity: "page" },
        pendingAtMs: 75_000,
        firingAtMs: 75_000,
        resolvedAtMs: 135_000,
      },
    ]);
    expect(alerts.detection[0].alerts).toEqual([
      { alert: "customers-availability", firingAtMs: 75_000, delayMs: 15_000 },
    ]);
    expect(alerts.rules[0].expr).toBe(
      "availability of load customers, SLO 99.9%: burn rate > 14.4 over 2m and 30s (page)",
    );
  });
});

test("with no fault, a latency rule tighter than the service's 5 ms is a false alarm, firing from the first full window", () => {
  // Every request takes 5 ms, which lands in the le="0.005" bucket (inclusive; or the next one, by
  // float dust): p99 interpolates to 0.99 × 5 ms = 4.95 ms at least, > 4 ms. The first window with
  // two samples is at 30 s: pending and firing then (for 0), still firing at the end.
  const tight = thresholdRule(
    {
      name: "latency-p99",
      expr: "histogram_quantile(0.99, sum by (le) (rate(meshsim_load_request_duration_seconds_bucket[30s]))) > 0.004",
    },
    SCOPE,
  );
  const alerts = run([tight], [], 90_000).alerts;
  expect(alerts.timeline).toEqual([
    {
      alert: "latency-p99",
      labels: {},
      pendingAtMs: 30_000,
      firingAtMs: 30_000,
      resolvedAtMs: null,
    },
  ]);
  expect(alerts.detection).toEqual([]);
  expect(alerts.falseAlarms).toEqual([
    { alert: "latency-p99", labels: {}, firingAtMs: 30_000, resolvedAtMs: null },
  ]);
});

test("alerts never change the run: the same scenario with and without rules gives the same result apart from `alerts`", () => {
  const rule = thresholdRule({ name: "api-errors", expr: ERROR_RATIO, forMs: 30_000 }, SCOPE);
  const { alerts: withAlerts, ...withRules } = run([rule], [ABORT_API], 150_000);
  const { alerts: none, ...without } = run([], [ABORT_API], 150_000);
  expect(withAlerts.timeline).not.toEqual([]);
  expect(none).toEqual({
    rules: [],
    timeline: [],
    detection: [{ fault: "api-down", kind: "abort", startMs: 60_000, endMs: 120_000, alerts: [] }],
    falseAlarms: [],
  });
  expect(JSON.stringify(withRules)).toBe(JSON.stringify(without));
});
