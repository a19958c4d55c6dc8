// A scrape tick that is neither stored nor read by an alert rule skips the collection (issue 22:
// series that nothing reads cost nothing). The stored series must be those of a monitor that
// collects at every tick, byte for byte, also when series first appear between stored ticks: an
// edge's first call, a status's first failure (the store keeps series in the order they were
// first set, so each must still be made at the tick it always was).
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Scheduler } from "../../../src/kernel/scheduler.ts";
import type { Service } from "../../../src/model/service.ts";
import { Monitor } from "../../../src/observe/metrics/monitor.ts";
import { EdgeStats, RunStats } from "../../../src/observe/runStats.ts";
import type { MetricsResult } from "../../../src/result/metrics.ts";
import { summarise } from "../../../src/run/result.ts";
import { runWithScrapes } from "../../../src/run/scrapedRun.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import { loadScenarioFile, parseScenario } from "../../../src/scenario/loader.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../../scenarios");

// 240 ticks of 5 s, stored every 24th (every 2 minutes). A rare downstream call starts its edge
// at a random tick and its errors bring a new status; abort faults bring back's first 503s at 7m
// and its first 500s at 7m40s, between two stored ticks. (The scripted source further down makes
// series appear between stored ticks in every order.)
const SPARSE = `
version: 1
name: sparse
seed: 1
duration: 20m
network: { latency: const(1ms) }
monitoring: { scrapeInterval: 5s, maxPoints: 10 }
services:
  front:
    instances: 2
    concurrency: 8
    operations:
      work:
        serviceTime: exp(4ms)
        calls:
          - { call: back.work }
          - { call: rare.work, probability: 0.004 }
  back:
    instances: 2
    concurrency: 4
    operations:
      work: { serviceTime: exp(6ms) }
  rare:
    instances: 1
    concurrency: 2
    operations:
      work: { serviceTime: exp(6ms), errorRate: 0.4 }
load:
  - name: users
    executor: constant-arrival-rate
    rate: 5
    timeUnit: 1s
    target: front.work
faults:
  - name: back-aborts
    kind: abort
    at: 7m
    duration: 1m
    httpStatus: 503
    percentage: 30
    target: { service: back, mode: fixed, value: 1 }
  - name: back-fails
    kind: abort
    at: 7m40s
    duration: 10s
    httpStatus: 500
    percentage: 30
    target: { service: back, mode: fixed, value: 1 }
`;

function run(
  text: string,
  seed: number,
  everyTick: boolean,
): { metrics: MetricsResult; skipped: number } {
  const scenario = parseScenario(text.replace("seed: 1", `seed: ${seed}`), "sparse.yaml");
  const world = buildWorld(scenario);
  if (everyTick) world.monitor.collectEveryTick();
  const reason = runWithScrapes(world.monitor, scenario.durationMs, (t) =>
    world.scheduler.run(t, scenario.maxEvents),
  );
  const result = summarise(world, reason === "event-cap" ? "event-cap" : "duration");
  return { metrics: result.metrics, skipped: world.monitor.skippedTicks };
}

describe("ticks nobody reads", () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])(
    "seed %i: the stored series are those of a collection at every tick",
    (seed) => {
      const sparse = run(SPARSE, seed, false);
      const reference = run(SPARSE, seed, true);
      expect(reference.skipped).toBe(0);
      expect(sparse.skipped).toBeGreaterThan(100);
      expect(sparse.metrics.timesMs).toHaveLength(10);
      expect(JSON.stringify(sparse.metrics)).toBe(JSON.stringify(reference.metrics));
    },
  );

  test("the series that appear mid-run are there (the case the test is for)", () => {
    const { metrics } = run(SPARSE, 1, false);
    const names = metrics.series.map((s) => `${s.name}${JSON.stringify(s.labels)}`);
    expect(names.some((n) => n.includes('"target":"rare"'))).toBe(true);
    expect(names.some((n) => n.includes('"status":"503"'))).toBe(true);
    expect(names.some((n) => n.includes('"status":"500"'))).toBe(true);
  });

  test("an alert rule reads every tick: nothing is skipped", () => {
    const alerted = `${SPARSE}alerts:\n  - { name: busy, expr: "meshsim_instance_in_flight > 1000" }\n`;
    expect(run(alerted, 1, false).skipped).toBe(0);
  });
});

/** An instance as the monitor reads it: busy time grows by a fixed amount a millisecond. */
function fakeInstance(index: number, busyPerMs: number) {
  return {
    index,
    inFlight: index,
    queueLength: 0,
    processState: "running",
    busyTimeFromZero: (now: number) => now * busyPerMs,
  };
}

/** Two services of two instances, two loads, and a script of what happens before each tick. */
function scriptedSource(withViews: boolean) {
  const stats = new RunStats(2, [2, 2], new Scheduler(), [5, 50, 500]);
  const services = ["front", "back"].map((name, index) => ({
    name,
    index,
    spec: { concurrency: 4 },
    instances: [fakeInstance(0, 0.5 + index / 10), fakeInstance(1, 0.25)],
  })) as unknown as Service[];
  // Registry views, whose edges' series appear as the views do.
  const views: { source: string; target: string; stale: number; unknown: number }[] = [];
  const collectors = withViews ? [{ gauges: () => views }] : [];
  return {
    stats,
    services,
    recovery: { gauges: () => [] },
    loadNames: ["web", "api"],
    collectors,
    views,
  };
}

/** One thing that happens between ticks. */
type Happening =
  | { kind: "failure"; onLoad: boolean; which: number; status: number }
  | { kind: "edge"; source: string; target: string }
  | { kind: "latency"; onLoad: boolean; which: number; ms: number }
  | { kind: "view"; source: string; target: string };

const happening: fc.Arbitrary<Happening> = fc.oneof(
  fc.record({
    kind: fc.constant("failure" as const),
    onLoad: fc.boolean(),
    which: fc.integer({ min: 0, max: 1 }),
    status: fc.constantFrom(429, 500, 503, 504),
  }),
  fc.record({
    kind: fc.constant("edge" as const),
    source: fc.constantFrom("web", "front", "back"),
    target: fc.constantFrom("front", "back", "cache"),
  }),
  fc.record({
    kind: fc.constant("latency" as const),
    onLoad: fc.boolean(),
    which: fc.integer({ min: 0, max: 1 }),
    ms: fc.double({ min: 0.1, max: 900, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant("view" as const),
    source: fc.constantFrom("front", "back"),
    target: fc.constantFrom("back", "cache"),
  }),
);

function apply(source: ReturnType<typeof scriptedSource>, h: Happening): void {
  const { stats } = source;
  if (h.kind === "view") {
    const known = source.views.some((v) => v.source === h.source && v.target === h.target);
    if (!known) source.views.push({ source: h.source, target: h.target, stale: 1, unknown: 0 });
    return;
  }
  if (h.kind === "edge") {
    const known = stats.edges.some((e) => e.source === h.source && e.target === h.target);
    if (!known) stats.edges.push(new EdgeStats(h.source, h.target, 2));
    return;
  }
  const live = (h.onLoad ? stats.loads : stats.services)[h.which].live;
  if (h.kind === "failure") live.countFailure(h.status);
  else live.recordLatency(h.ms, true);
}

function scrapedStore(
  script: Happening[][],
  maxPoints: number,
  everyTick: boolean,
  withViews = false,
) {
  const source = scriptedSource(withViews);
  const ticks = script.length;
  const monitor = new Monitor(
    source,
    { scrapeIntervalMs: 1000, maxPoints, bucketsMs: [5, 50, 500] },
    ticks * 1000,
  );
  if (everyTick) monitor.collectEveryTick();
  script.forEach((happenings, k) => {
    for (const h of happenings) apply(source, h);
    monitor.scrape((k + 1) * 1000);
  });
  const { store } = monitor;
  return {
    skipped: monitor.skippedTicks,
    text: JSON.stringify({
      times: store.timesMs,
      series: store.series.map((s) => [s.name, s.labels, s.values]),
    }),
  };
}

describe("ticks nobody reads, on a scripted source", () => {
  test("whatever appears between stored ticks, the store is that of a collection at every tick", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(happening, { maxLength: 3 }), { minLength: 6, maxLength: 40 }),
        fc.integer({ min: 2, max: 8 }),
        fc.boolean(),
        (script, maxPoints, withViews) => {
          const sparse = scrapedStore(script, maxPoints, false, withViews);
          const reference = scrapedStore(script, maxPoints, true, withViews);
          expect(sparse.text).toBe(reference.text);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("a quiet stretch is skipped, unless registry views are collected", () => {
    const script: Happening[][] = Array.from({ length: 30 }, () => []);
    expect(scrapedStore(script, 3, false).skipped).toBeGreaterThan(20);
    expect(scrapedStore(script, 3, false, true).skipped).toBe(0);
  });
});

describe("ticks nobody reads, in shipped scenarios stored every few ticks", () => {
  test.each([
    "checkout-saga-compensation.yaml", // a ledger, an outage
    "zone-outage.yaml", // breakers and outlier detection through a fault
    "eureka-stale.yaml", // registry views: collected at every tick
    "mm1.yaml",
  ])("%s", (file) => {
    const parsed = loadScenarioFile(join(SCENARIOS, file));
    const scenario = { ...parsed, monitoring: { ...parsed.monitoring, maxPoints: 7 } };
    const runIt = (everyTick: boolean) => {
      const world = buildWorld(scenario);
      if (everyTick) world.monitor.collectEveryTick();
      const reason = runWithScrapes(world.monitor, scenario.durationMs, (t) =>
        world.scheduler.run(t, scenario.maxEvents),
      );
      const result = summarise(world, reason === "event-cap" ? "event-cap" : "duration");
      return { text: JSON.stringify(result), skipped: world.monitor.skippedTicks };
    };
    const sparse = runIt(false);
    const reference = runIt(true);
    expect(sparse.text).toBe(reference.text);
    if (parsed.alerts.length === 0 && file !== "eureka-stale.yaml")
      expect(sparse.skipped).toBeGreaterThan(0);
  });
});
