// The scraped series against the run's own ground truth: counters equal what the model counted,
// histogram buckets and window quantiles match the exact latencies, gauges follow instance deaths
// to the scrape tick, and downsampling keeps exactly the points a full-resolution run has.
import { describe, expect, test } from "vitest";
import type { EndUserRequest } from "../../../src/model/request.ts";
import type { MetricsResult } from "../../../src/result/metrics.ts";
import type { RunResult } from "../../../src/result/run.ts";
import { summarise } from "../../../src/run/result.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { runWithScrapes } from "../../../src/run/scrapedRun.ts";
import { buildWorld, type World } from "../../../src/scenario/build.ts";
import { parseScenario } from "../../../src/scenario/loader.ts";

const SYSTEM = `
version: 1
name: monitored
seed: 7
duration: 2m
network: { latency: const(1ms) }
services:
  front:
    instances: 2
    concurrency: 16
    operations:
      work:
        serviceTime: exp(4ms)
        errorRate: 0.02
        calls: [ { call: back.work } ]
  back:
    instances: 3
    concurrency: 2
    queue: { capacity: 3 }
    operations:
      work: { serviceTime: exp(15ms) }
load:
  - name: users
    executor: constant-arrival-rate
    rate: 300
    timeUnit: 1s
    target: front.work
`;

function last(metrics: MetricsResult, name: string, labels: Record<string, string> = {}): number {
  const found = metrics.series.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length === 0) throw new Error(`no series ${name} ${JSON.stringify(labels)}`);
  return found.reduce((sum, s) => sum + (s.values.at(-1) ?? NaN), 0);
}

function seriesOf(
  metrics: MetricsResult,
  name: string,
  labels: Record<string, string>,
): (number | null)[] {
  const found = metrics.series.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found === undefined) throw new Error(`no series ${name} ${JSON.stringify(labels)}`);
  return found.values;
}

/** Runs like runScenario, but also keeps every end-user latency with its finishing time. */
function runKeepingLatencies(text: string): {
  world: World;
  result: RunResult;
  finished: { atMs: number; ms: number; ok: boolean }[];
} {
  const scenario = parseScenario(text, "monitored.yaml");
  const world = buildWorld(scenario);
  const finished: { atMs: number; ms: number; ok: boolean }[] = [];
  const stats = world.stats;
  const original = stats.finished.bind(stats);
  stats.finished = (request: EndUserRequest, status: number) => {
    finished.push({
      atMs: world.scheduler.now,
      ms: world.scheduler.now - request.scheduledAt,
      ok: status < 400,
    });
    original(request, status);
  };
  const reason = runWithScrapes(world.monitor, scenario.durationMs, (t) =>
    world.scheduler.run(t, scenario.maxEvents),
  );
  return {
    world,
    result: summarise(world, reason === "event-cap" ? "event-cap" : "duration"),
    finished,
  };
}

describe("scraped counters equal the model's counts (no warm-up, so the run's statistics cover everything)", () => {
  const result = runScenario(parseScenario(SYSTEM, "monitored.yaml"));
  const m = result.metrics;

  test("a scrape every 15 s, every one stored", () => {
    expect(m.scrapeIntervalMs).toBe(15_000);
    expect(m.stepMs).toBe(15_000);
    expect(m.timesMs).toEqual([15, 30, 45, 60, 75, 90, 105, 120].map((s) => s * 1000));
  });

  test("load counters", () => {
    const load = result.load.users;
    expect(last(m, "meshsim_load_requests_total")).toBe(load.offered);
    expect(last(m, "meshsim_load_completed_total")).toBe(load.completed);
    expect(last(m, "meshsim_load_failed_total")).toBe(load.failed);
    for (const [status, count] of Object.entries(load.failures))
      expect(last(m, "meshsim_load_failed_total", { status })).toBe(count);
    expect(last(m, "meshsim_load_in_flight")).toBe(load.inFlight);
    expect(last(m, "meshsim_load_request_duration_seconds_count")).toBe(load.completed);
    expect(last(m, "meshsim_load_request_duration_seconds_bucket", { le: "+Inf" })).toBe(
      load.completed,
    );
    expect(last(m, "meshsim_load_request_duration_seconds_sum")).toBeCloseTo(
      (load.latencyMs.mean * load.completed) / 1000,
      2,
    );
  });

  test("service and instance counters", () => {
    for (const [name, service] of Object.entries(result.services)) {
      expect(last(m, "meshsim_requests_total", { service: name })).toBe(service.requests);
      for (const instance of service.instances) {
        expect(last(m, "meshsim_requests_total", { service: name, instance: instance.id })).toBe(
          instance.requests,
        );
      }
      const errors = m.series.filter(
        (s) => s.name === "meshsim_request_errors_total" && s.labels.service === name,
      );
      expect(errors.reduce((sum, s) => sum + (s.values.at(-1) ?? 0), 0)).toBe(service.errors);
      expect(last(m, "meshsim_request_duration_seconds_count", { service: name })).toBe(
        service.requests - service.rejected,
      );
    }
    // The back end's small queue turns calls away: the 503s are counted under their status.
    expect(result.services.back.rejected).toBeGreaterThan(0);
    expect(last(m, "meshsim_request_errors_total", { service: "back", status: "503" })).toBe(
      result.services.back.rejected,
    );
  });

  test("busy seconds give the run's utilisation; the per-interval utilisation averages to it", () => {
    for (const [name, service] of Object.entries(result.services)) {
      const concurrency = name === "front" ? 16 : 2;
      for (const instance of service.instances) {
        const labels = { service: name, instance: instance.id };
        const busyS = last(m, "meshsim_instance_busy_seconds_total", labels);
        expect(busyS / (concurrency * 120)).toBeCloseTo(instance.utilization, 5);
        const perInterval = seriesOf(m, "meshsim_instance_utilization_ratio", labels) as number[];
        const mean = perInterval.reduce((a, b) => a + b, 0) / perInterval.length;
        expect(mean).toBeCloseTo(instance.utilization, 5);
      }
    }
  });

  test("edge counters equal the edges' proxy counters", () => {
    for (const [key, edge] of Object.entries(result.edges)) {
      const [source, target] = key.split("->");
      expect(last(m, "meshsim_proxy_tries_total", { source, target })).toBe(edge.proxy.tries);
      expect(last(m, "meshsim_proxy_tries_total", { source, target })).toBe(edge.requests);
    }
  });

  test("counters never decrease", () => {
    for (const s of m.series.filter(
      (s) => s.name.endsWith("_total") || s.name.endsWith("_bucket") || s.name.endsWith("_count"),
    )) {
      const values = s.values as number[];
      for (let i = 1; i < values.length; i++)
        expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    }
  });
});

describe("histograms against the exact latencies", () => {
  const { result, finished } = runKeepingLatencies(SYSTEM);
  const m = result.metrics;

  test("bucket counts at every stored point equal the exact number of latencies at or below le", () => {
    const buckets = m.series.filter(
      (s) => s.name === "meshsim_load_request_duration_seconds_bucket" && s.labels.le !== "+Inf",
    );
    expect(buckets.length).toBe(11);
    m.timesMs.forEach((t, i) => {
      for (const bucket of buckets) {
        const leMs = Number(bucket.labels.le) * 1000;
        const exact = finished.filter((f) => f.ok && f.atMs <= t && f.ms <= leMs).length;
        expect(bucket.values[i]).toBe(exact);
      }
    });
  });

  test("window quantiles are the exact quantiles of each step's latencies within the histogram's 0.4%", () => {
    let checked = 0;
    m.timesMs.forEach((t, i) => {
      const from = i === 0 ? 0 : m.timesMs[i - 1];
      const window = finished
        .filter((f) => f.ok && f.atMs > from && f.atMs <= t)
        .map((f) => f.ms)
        .sort((a, b) => a - b);
      for (const q of [0.5, 0.9, 0.99]) {
        const value = seriesOf(m, "meshsim_load_latency_window_seconds", { quantile: String(q) })[
          i
        ]!;
        const exact = window[Math.max(1, Math.ceil(q * window.length)) - 1];
        expect(Math.abs(value * 1000 - exact) / exact).toBeLessThanOrEqual(0.004);
        checked++;
      }
    });
    expect(checked).toBe(24);
  });
});

describe("downsampling", () => {
  const full = runScenario(
    parseScenario(SYSTEM.replace("duration: 2m", "duration: 4m"), "a.yaml"),
  ).metrics;
  const thin = runScenario(
    parseScenario(
      SYSTEM.replace("duration: 2m", "duration: 4m") + "monitoring: { maxPoints: 10 }\n",
      "a.yaml",
    ),
  ).metrics;

  test("16 scrapes at most 10 points: every 2nd scrape is stored, the last always", () => {
    expect(full.timesMs.length).toBe(16);
    expect(thin.stepMs).toBe(30_000);
    expect(thin.timesMs).toEqual([30, 60, 90, 120, 150, 180, 210, 240].map((s) => s * 1000));
  });

  test("counters and gauges at the stored points are those of the full-resolution run", () => {
    for (const s of thin.series.filter(
      (s) =>
        s.family !== "meshsim_load_latency_window_seconds" &&
        s.family !== "meshsim_latency_window_seconds",
    )) {
      const twin = full.series.find(
        (f) => f.name === s.name && JSON.stringify(f.labels) === JSON.stringify(s.labels),
      )!;
      expect(s.values).toEqual(thin.timesMs.map((t) => twin.values[full.timesMs.indexOf(t)]));
    }
  });

  test("a long run keeps at most maxPoints (default 2000)", () => {
    const long = runScenario(
      parseScenario(
        SYSTEM.replace("duration: 2m", "duration: 10h").replace("rate: 300\n", "rate: 1\n") +
          "monitoring: { scrapeInterval: 5s }\n",
        "a.yaml",
      ),
    ).metrics;
    // 7200 scrapes, stride 4: 1800 points.
    expect(long.stepMs).toBe(20_000);
    expect(long.timesMs.length).toBe(1800);
    expect(long.series.every((s) => s.values.length === 1800)).toBe(true);
  });
});

describe("gauges follow the model's state to the scrape tick", () => {
  const text = `${SYSTEM}faults:
  - name: kill-one
    kind: pod-kill
    at: 30s
    target: { service: back, mode: one }
    restartAfter: 30s
`;
  const result = runScenario(parseScenario(text, "kill.yaml"));
  const m = result.metrics;

  test("a pod killed at 30 s is down at the 30 s and 45 s scrapes and back at 60 s", () => {
    expect(seriesOf(m, "meshsim_service_live_instances", { service: "back" })).toEqual([
      3, 2, 2, 3, 3, 3, 3, 3,
    ]);
    const killed = result.faults[0].targets[0];
    expect(seriesOf(m, "meshsim_instance_up", { service: "back", instance: killed })).toEqual([
      1, 0, 0, 1, 1, 1, 1, 1,
    ]);
    expect(
      seriesOf(m, "meshsim_instance_in_flight", { service: "back", instance: killed }).slice(1, 3),
    ).toEqual([0, 0]);
  });

  test("the same scenario and seed give the same series", () => {
    expect(runScenario(parseScenario(text, "kill.yaml")).metrics).toEqual(m);
  });
});

describe("the series in the result", () => {
  test("whole counts stay exact past 6 digits; other values keep 6 significant digits; NaN is null", async () => {
    const { SeriesStore } = await import("../../../src/observe/metrics/seriesStore.ts");
    const { summariseMetrics } = await import("../../../src/observe/metrics/summary.ts");
    const store = new SeriesStore();
    const counter = { name: "c", type: "counter", unit: "", help: "h" } as const;
    const gauge = { name: "g", type: "gauge", unit: "", help: "h" } as const;
    store.seriesOf(counter, "c_total", []).current = 1_234_567;
    store.seriesOf(gauge, "g", []).current = 0.123456789;
    store.store(15_000);
    store.seriesOf(gauge, "g", []).current = NaN;
    store.store(30_000);
    const monitor = { store, intervalMs: 15_000, stepMs: 15_000 } as unknown as Parameters<
      typeof summariseMetrics
    >[0];
    const result = summariseMetrics(monitor);
    expect(result.series.map((s) => s.values)).toEqual([
      [1_234_567, 1_234_567],
      [0.123457, null],
    ]);
  });
});
