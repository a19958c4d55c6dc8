// The configuration center in a running mesh (src/control/config/center.ts): a push changes
// behaviour only on the proxies it has reached, a staged rollout shifts the share of traffic the
// updated proxies carry, in-flight calls finish on the upstream they started with, versions never
// go backwards at a proxy, and the same seed gives the same result.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../src/run/runScenario.ts";
import { buildWorld, type World } from "../../../src/scenario/build.ts";
import { parseScenario } from "../../../src/scenario/loader.ts";

/** Front (4 sidecars) calls back (versions a and b, 2 instances each); two load clients call front. */
function meshText(opts: {
  changes: string;
  mesh?: string;
  backErrorRate?: number;
  backServiceTime?: string;
  seed?: number;
  duration?: string;
  rate?: number;
  extra?: string;
}): string {
  return `version: 1
name: config-test
seed: ${opts.seed ?? 1}
duration: ${opts.duration ?? "60s"}
services:
  front:
    instances: 4
    concurrency: 64
    operations:
      work:
        serviceTime: exp(1ms)
        calls:
          - call: back.work
  back:
    versions:
      a: { instances: 2 }
      b: { instances: 2 }
    concurrency: 64
    operations:
      work:
        serviceTime: ${opts.backServiceTime ?? "exp(1ms)"}
        errorRate: ${opts.backErrorRate ?? 0}
mesh:
${
  opts.mesh ??
  `  services:
    back:
      subsets:
        - { name: a, labels: { version: a } }
        - { name: b, labels: { version: b } }
      routes:
        - route:
            - { subset: a, weight: 100 }
            - { subset: b, weight: 0 }`
}
load:
  - name: users
    executor: constant-arrival-rate
    rate: ${opts.rate ?? 400}
    target: front.work
    clients: 2
${opts.extra ?? ""}
changes:
${opts.changes}`;
}

const SHIFT = `  - kind: config-push
    name: shift
    at: 20s
    set:
      mesh.services.back.routes[0].route[0].weight: 0
      mesh.services.back.routes[0].route[1].weight: 100
    propagation: { debounce: 100ms, delay: 500ms }
    rollout:
      - { percent: 50 }
      - { percent: 100, after: 10s }
`;

/** Requests answered by each instance of `service` while the world runs from its clock to `untilMs`. */
function countsOver(world: World, service: string, untilMs: number): number[] {
  const instances = world.services.find((s) => s.name === service)!.instances;
  const before = instances.map((i) => i.requests);
  world.scheduler.run(untilMs);
  return instances.map((i, k) => i.requests - before[k]);
}

describe("a staged route shift (subset a 100/0 → subset b 0/100)", () => {
  const world = buildWorld(parseScenario(meshText({ changes: SHIFT, seed: 3 }), "shift.yaml"));
  // Deliveries: stage 1 at 20 s + 100 ms + 500 ms, stage 2 ten seconds later.
  const before = countsOver(world, "back", 20_000);
  const frontBefore = countsOver(world, "front", 21_000);
  const frontStage1 = countsOver(world, "front", 30_000);
  const backStage1 = (() => {
    // Re-run the same window on a fresh world for back's counts (front's and back's windows must match).
    const again = buildWorld(parseScenario(meshText({ changes: SHIFT, seed: 3 }), "shift.yaml"));
    again.scheduler.run(21_000);
    return countsOver(again, "back", 30_000);
  })();
  countsOver(world, "back", 31_000);
  const after = countsOver(world, "back", 60_000);
  const config = world.config!.result((ms) => ms);

  it("sends everything to subset a before the push", () => {
    expect(before[0] + before[1]).toBeGreaterThan(5000);
    expect(before[2] + before[3]).toBe(0);
    expect(frontBefore.reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
  });

  it("delivers stage 1 to half the proxies at exactly 20.6 s and the rest at 30.6 s", () => {
    const times = Object.values(config.proxies).map((h) => h[1].fromMs);
    expect(times.filter((t) => t === 20_600)).toHaveLength(5);
    expect(times.filter((t) => t === 30_600)).toHaveLength(5);
  });

  it("during stage 1 sends to subset b the share of front's traffic that updated sidecars carry", () => {
    const updated = [0, 1, 2, 3].filter((i) => config.proxies[`front-${i}`][1].fromMs === 20_600);
    // The seed is chosen so the first stage updates some front sidecars but not all of them.
    expect(updated.length).toBeGreaterThan(0);
    expect(updated.length).toBeLessThan(4);
    const total = frontStage1.reduce((s, n) => s + n, 0);
    const expected = updated.reduce((s, i) => s + frontStage1[i], 0) / total;
    const toB = (backStage1[2] + backStage1[3]) / backStage1.reduce((s, n) => s + n, 0);
    expect(Math.abs(toB - expected)).toBeLessThan(0.005);
  });

  it("sends everything to subset b once every proxy has the push", () => {
    expect(after[0] + after[1]).toBe(0);
    expect(after[2] + after[3]).toBeGreaterThan(5000);
  });

  it("records the version, its delivery times and which version every proxy ran", () => {
    expect(config.versions.map((v) => [v.version, v.name, v.atMs])).toEqual([
      [1, "file", 0],
      [2, "shift", 20_000],
    ]);
    expect(config.versions[1]).toMatchObject({
      delivered: 10,
      firstMs: 20_600,
      medianMs: 20_600,
      lastMs: 30_600,
      runningAtEnd: 10,
    });
    expect(config.versions[0]).toMatchObject({ delivered: 10, runningAtEnd: 0 });
    expect(Object.keys(config.proxies)).toEqual(world.proxies.map((p) => p.name));
  });
});

describe("a pushed circuit breaker", () => {
  // Back fails half its calls; the push gives front's sidecars a breaker at 20% failures.
  const changes = `  - kind: config-push
    at: 20s
    set:
      mesh.services.back.circuitBreaker: { failureRateThreshold: 20, minimumNumberOfCalls: 20, slidingWindowSize: 20, waitDurationInOpenState: 5s }
    propagation: { delay: 'uniform(0ms, 4s)' }
`;
  const mesh = `  services:
    back:
      retries: { attempts: 0 }`;
  const extra = "monitoring: { scrapeInterval: 1s }";
  const result = runScenario(
    parseScenario(
      meshText({ changes, mesh, backErrorRate: 0.5, rate: 100, extra }),
      "breaker.yaml",
    ),
  );
  const delivered = new Map(
    Object.entries(result.config!.proxies).map(([proxy, h]) => [proxy, h[1].fromMs]),
  );

  it("opens breakers only on sidecars the push has reached, after it reached them", () => {
    const opened = result.stateChanges.filter(
      (c) => c.component.startsWith("breaker ") && c.to === "OPEN",
    );
    expect(new Set(opened.map((c) => c.component))).toEqual(
      new Set([0, 1, 2, 3].map((i) => `breaker front-${i}->back`)),
    );
    for (const c of opened) {
      const proxy = c.component.slice("breaker ".length).split("->")[0];
      expect(c.atMs).toBeGreaterThan(delivered.get(proxy)!);
    }
    expect(result.edges["front->back"].proxy.breakerRejections).toBeGreaterThan(0);
  });

  it("records each sidecar's version change as a state change", () => {
    const changes = result.stateChanges.filter((c) => c.component.startsWith("config "));
    expect(changes).toHaveLength(10);
    for (const c of changes) {
      expect([c.from, c.to]).toEqual(["v1", "v2"]);
      expect(c.atMs).toBe(delivered.get(c.component.slice("config ".length)));
    }
  });

  it("shows the new breakers to monitoring: open-breaker gauges only after the push", () => {
    const series = result.metrics.series.filter(
      (s) => s.name === "meshsim_proxy_breakers_open" && s.labels.source === "front",
    );
    expect(series).toHaveLength(1);
    const openAt = result.metrics.timesMs.filter((_, i) => (series[0].values[i] ?? 0) > 0);
    expect(openAt.length).toBeGreaterThan(10);
    expect(Math.min(...openAt)).toBeGreaterThan(20_000);
  });
});

describe("a pushed inbound rate limit", () => {
  it("turns calls away with 429 at each back instance only once its own sidecar has the push", () => {
    const changes = `  - kind: config-push
    at: 10s
    set:
      mesh.services.back.rateLimit: { maxTokens: 5, tokensPerFill: 5, fillInterval: 1s, per: instance }
      mesh.services.back.retries: { attempts: 0 }
    propagation: { delay: 'uniform(0ms, 2s)' }
`;
    const text = meshText({ changes, rate: 200, duration: "20s" });
    const world = buildWorld(parseScenario(text, "limit.yaml"));
    world.scheduler.run(20_000);
    // Four instances admit about 4 × 5 calls a second of the 200 a second offered.
    expect(world.stats.loads[0].failures.get(429) ?? 0).toBeGreaterThan(1000);
    const config = world.config!.result((ms) => ms);
    const firstBack = Math.min(...[0, 1, 2, 3].map((i) => config.proxies[`back-${i}`][1].fromMs));
    expect(firstBack).toBeGreaterThan(10_100);
    // The same run again, stopped just before the first back sidecar gets the push: no 429 yet.
    const again = buildWorld(parseScenario(text, "limit.yaml"));
    again.scheduler.run(firstBack - 1e-6);
    expect(again.stats.loads[0].failures.get(429) ?? 0).toBe(0);
    again.scheduler.run(firstBack + 2000);
    expect(again.stats.loads[0].failures.get(429) ?? 0).toBeGreaterThan(0);
  });
});

describe("calls in flight during a push", () => {
  it("finish on the upstream they started with: every request completes, none is lost or counted twice", () => {
    // Back takes 2 s a call, so thousands of calls are in flight when the shift lands.
    const text = meshText({
      changes: SHIFT,
      backServiceTime: "const(2s)",
      rate: 200,
      duration: "40s",
    });
    const world = buildWorld(parseScenario(text, "inflight.yaml"));
    world.scheduler.run(40_000);
    world.scheduler.run(Infinity);
    const load = world.stats.loads[0];
    expect(load.failed).toBe(0);
    expect(load.completed).toBe(load.offered);
    const back = world.services.find((s) => s.name === "back")!;
    expect(back.instances.reduce((n, i) => n + i.requests, 0)).toBe(load.offered);
    // Had an in-flight call settled on its proxy's new upstream, that upstream's count would go below 0.
    const upstreams = world.proxies.flatMap((proxy) => proxy.upstreamsInUse());
    expect(upstreams.length).toBeGreaterThan(0);
    for (const upstream of upstreams)
      expect([upstream.activeTries, upstream.activeRetries]).toEqual([0, 0]);
  });
});

describe("versions at a proxy", () => {
  const pushArb = fc.record({
    atS: fc.integer({ min: 0, max: 8 }),
    delayMs: fc.integer({ min: 1, max: 6000 }),
    kind: fc.constantFrom("uniform", "exp"),
    debounceMs: fc.integer({ min: 0, max: 500 }),
    staged: fc.boolean(),
  });

  it("never go backwards, whatever the push times and delays (property)", () => {
    fc.assert(
      fc.property(
        fc.array(pushArb, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (pushes, seed) => {
          const changes = pushes
            .map(
              (p, i) => `  - kind: config-push
    at: ${p.atS}s
    set: { mesh.services.back.timeout: ${i + 1}s }
    propagation: { debounce: ${p.debounceMs}ms, delay: '${p.kind === "exp" ? `exp(${p.delayMs}ms)` : `uniform(0ms, ${p.delayMs}ms)`}' }
${p.staged ? "    rollout: [{ percent: 30 }, { percent: 100, after: 1s }]\n" : ""}`,
            )
            .join("");
          const result = runScenario(
            parseScenario(meshText({ changes, seed, rate: 20, duration: "12s" }), "prop.yaml"),
          );
          const config = result.config!;
          for (const history of Object.values(config.proxies)) {
            for (let i = 1; i < history.length; i++) {
              expect(history[i].version).toBeGreaterThan(history[i - 1].version);
              expect(history[i].fromMs).toBeGreaterThanOrEqual(history[i - 1].fromMs);
            }
          }
          // Versions are numbered in time order, ties in file order.
          const ats = config.versions.slice(1).map((v) => v.atMs);
          expect(ats).toEqual([...ats].sort((a, b) => a - b));
          const running = config.versions.reduce((n, v) => n + v.runningAtEnd, 0);
          expect(running).toBe(Object.keys(config.proxies).length);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("determinism", () => {
  it("gives byte-identical results for the same scenario and seed", () => {
    const text = meshText({
      changes: SHIFT.replace("delay: 500ms", "delay: exp(300ms)"),
      rate: 100,
      duration: "40s",
    });
    const a = JSON.stringify(runScenario(parseScenario(text, "d.yaml")));
    const b = JSON.stringify(runScenario(parseScenario(text, "d.yaml")));
    expect(a).toBe(b);
    const other = JSON.stringify(runScenario(parseScenario(text, "d.yaml"), { seed: 99 }).config);
    expect(other).not.toBe(JSON.stringify(JSON.parse(a).config));
  });

  it("leaves config null and records no config state changes without pushes", () => {
    const text = meshText({ changes: "  []", rate: 50, duration: "5s" });
    const result = runScenario(parseScenario(text, "none.yaml"));
    expect(result.config).toBeNull();
    expect(result.stateChanges.filter((c) => c.component.startsWith("config "))).toEqual([]);
  });
});
