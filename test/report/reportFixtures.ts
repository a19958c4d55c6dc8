// Hand-built run results for the report's tests: small enough to check by eye, with every part the
// report reads (loads, services, edges, faults, state changes, scraped series, alerts, tracing).

import type { AlertsSection } from "../../src/report/sections/optional.ts";
import type { LatencySummary } from "../../src/result/latency.ts";
import type { MetricsResult } from "../../src/result/metrics.ts";
import type { RunResult } from "../../src/result/run.ts";

const latency = (p50: number): LatencySummary => ({
  mean: p50 * 1.2,
  p50,
  p90: p50 * 2,
  p99: p50 * 5,
  p999: p50 * 8,
  max: p50 * 10,
});

const proxy = {
  tries: 0,
  retries: 0,
  hedges: 0,
  timeouts: 0,
  breakerRejections: 0,
  rateLimited: 0,
  overflows: 0,
  noHealthyUpstream: 0,
  connectFailures: 0,
  resets: 0,
  retryOverflows: 0,
};

/** Scrapes at 10 s, 20 s, 30 s and 40 s of a 40 s run. */
export function fixtureMetrics(): MetricsResult {
  const series = (name: string, labels: Record<string, string>, values: (number | null)[]) => ({
    family: name.replace(/_total$/, ""),
    name,
    labels,
    values,
  });
  return {
    scrapeIntervalMs: 10_000,
    stepMs: 10_000,
    timesMs: [10_000, 20_000, 30_000, 40_000],
    families: [],
    series: [
      series("meshsim_load_requests_total", { load: "shoppers" }, [100, 200, 300, 400]),
      series("meshsim_load_completed_total", { load: "shoppers" }, [100, 190, 280, 380]),
      series("meshsim_load_failed_total", { load: "shoppers", status: "500" }, [0, 5, 10, 10]),
      series("meshsim_load_failed_total", { load: "shoppers", status: "503" }, [0, 5, 10, 10]),
      series("meshsim_load_latency_window_seconds", { load: "shoppers", quantile: "0.5" }, [
        0.05,
        0.06,
        null,
        0.05,
      ]),
      series("meshsim_load_latency_window_seconds", { load: "shoppers", quantile: "0.9" }, [
        0.1,
        0.12,
        null,
        0.1,
      ]),
      series("meshsim_load_latency_window_seconds", { load: "shoppers", quantile: "0.99" }, [
        0.3,
        0.9,
        null,
        0.3,
      ]),
      series(
        "meshsim_proxy_breaker_rejections_total",
        { source: "gateway", target: "payment" },
        [0, 0, 40, 40],
      ),
      series(
        "meshsim_proxy_breaker_rejections_total",
        { source: "gateway", target: "order" },
        [0, 0, 10, 10],
      ),
      series("meshsim_proxy_retries_total", { source: "gateway", target: "payment" }, [0, 0, 0, 0]),
      series("meshsim_proxy_breakers_open", { source: "gateway", target: "payment" }, [0, 1, 1, 0]),
      series("meshsim_proxy_ejected_hosts", { source: "gateway", target: "payment" }, [0, 0, 2, 0]),
      series("meshsim_instance_up", { service: "payment", instance: "payment-0" }, [1, 1, 1, 1]),
      series("meshsim_instance_up", { service: "payment", instance: "payment-1" }, [1, 0, 1, 1]),
      series("meshsim_service_live_instances", { service: "payment" }, [2, 1, 2, 2]),
    ],
  };
}

export function fixtureAlerts(): AlertsSection {
  return {
    rules: [
      {
        name: "PaymentErrors",
        kind: "threshold",
        expr: "sum(rate(meshsim_request_errors_total[1m])) > 1 or vector(0) > 1",
        forMs: 10_000,
        severity: "page",
      },
      { name: "Noisy", kind: "threshold", expr: "vector(1) > 0", forMs: 0, severity: "ticket" },
    ],
    timeline: [
      {
        alert: "PaymentErrors",
        labels: {},
        pendingAtMs: 20_000,
        firingAtMs: 30_000,
        resolvedAtMs: null,
      },
      {
        alert: "Noisy",
        labels: { service: "order" },
        pendingAtMs: 10_000,
        firingAtMs: 10_000,
        resolvedAtMs: 20_000,
      },
      { alert: "Flappy", labels: {}, pendingAtMs: 30_000, firingAtMs: null, resolvedAtMs: 40_000 },
    ],
    detection: [
      {
        fault: "payment-errors",
        kind: "abort",
        startMs: 15_000,
        endMs: 35_000,
        alerts: [{ alert: "PaymentErrors", firingAtMs: 30_000, delayMs: 15_000 }],
      },
    ],
    falseAlarms: [
      { alert: "Noisy", labels: { service: "order" }, firingAtMs: 10_000, resolvedAtMs: 20_000 },
    ],
  };
}

export function fixtureTracing() {
  const entry = (meanMs: number, share: number) => ({
    p50Ms: meanMs * 0.8,
    p99Ms: meanMs * 4,
    meanMs,
    share,
  });
  return {
    criticalPath: {
      shoppers: {
        requests: 380,
        meanMs: 60,
        services: { gateway: entry(6, 0.1), payment: entry(36, 0.6) },
        network: entry(18, 0.3),
        client: entry(0, 0),
      },
    },
  };
}

/** A 40 s run of shoppers → gateway → (order, payment) with a fault, a breaker and an ejection. */
export function fixtureResult(
  parts: { alerts?: AlertsSection | null; tracing?: unknown } = {},
): RunResult {
  const result = {
    scenario: "fixture",
    seed: 7,
    simulatedMs: 40_000,
    events: 12_345,
    load: {
      shoppers: {
        offered: 400,
        completed: 380,
        failed: 20,
        latencyMs: latency(50),
        inFlight: 0,
        failures: { "500": 10, "503": 10 },
        throughputPerS: 9.5,
      },
    },
    services: {
      gateway: service(["gateway-0"], [400], [0.1]),
      order: service(["order-0", "order-1"], [150, 250], [0.3, 0.5]),
      payment: service(["payment-0", "payment-1"], [200, 200], [0.4, 0.45]),
    },
    stateChanges: [
      { atMs: 12_000, component: "breaker gateway-0->payment", from: "CLOSED", to: "OPEN" },
      { atMs: 17_000, component: "breaker gateway-0->payment", from: "OPEN", to: "HALF_OPEN" },
      { atMs: 18_000, component: "breaker gateway-0->payment", from: "HALF_OPEN", to: "CLOSED" },
      { atMs: 25_000, component: "outlier gateway-0->payment-1", from: "healthy", to: "ejected" },
      { atMs: 15_000, component: "instance payment-1", from: "running", to: "dead" },
    ],
    faults: [
      {
        name: "payment-errors",
        kind: "abort",
        startMs: 15_000,
        endMs: 35_000,
        targets: ["payment-1"],
      },
      {
        name: "payment-slow",
        kind: "delay",
        startMs: 15_000,
        endMs: 35_000,
        targets: ["gateway->payment"],
      },
      { name: "zone-b-down", kind: "partition", startMs: 30_000, endMs: null, targets: ["b"] },
    ],
    stopReason: "duration",
    warmupMs: 5_000,
    thresholds: [
      { metric: "latency", expression: "p(99)<600ms", actual: 250, ok: true },
      { metric: "errors", expression: "rate<0.01", actual: 0.05, ok: false },
    ],
    edges: {
      "gateway->order": {
        requests: 300,
        share: { "order-0": 0.4, "order-1": 0.6 },
        imbalance: 1.2,
        proxy,
      },
      "gateway->payment": {
        requests: 400,
        share: { "payment-0": 0.5, "payment-1": 0.5 },
        imbalance: 1,
        proxy,
      },
      "load:shoppers->gateway": { requests: 400, share: { "gateway-0": 1 }, imbalance: 1, proxy },
      "order->payment": {
        requests: 100,
        share: { "payment-0": 0.9, "payment-1": 0.1 },
        imbalance: 1.8,
        proxy,
      },
    },
    metrics: fixtureMetrics(),
    tracing: parts.tracing ?? null,
    alerts: parts.alerts === undefined ? fixtureAlerts() : parts.alerts,
  };
  return result as unknown as RunResult;
}

function service(ids: string[], requests: number[], utilization: number[]) {
  return {
    requests: requests.reduce((a, b) => a + b, 0),
    errors: 1,
    utilization: utilization.reduce((a, b) => a + b, 0) / utilization.length,
    latencyMs: latency(10),
    queueWaitMs: latency(1),
    instances: ids.map((id, i) => ({
      id,
      requests: requests[i],
      utilization: utilization[i],
      activeMax: 3,
    })),
    rejected: 0,
    meanInSystem: 1,
    throughputPerS: 10,
    cache: null,
  };
}
