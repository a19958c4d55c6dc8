// The sidecars' recovery gauges against the breakers and detectors themselves: per edge, open and
// half-open breakers and ejected hosts summed over the caller's proxies, and nothing for an
// upstream without a breaker or an outlier detector.
import { describe, expect, it } from "vitest";
import { ProxyGauges } from "../../src/mesh/gauges.ts";
import { buildWorld } from "../../src/scenario/build.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

const TEXT = `
version: 1
name: gauges
seed: 11
duration: 40s
network: { latency: const(1ms) }
services:
  front:
    instances: 3
    concurrency: 32
    operations:
      work: { serviceTime: exp(2ms), calls: [ { call: back.work }, { call: side.work } ] }
  back:
    instances: 4
    concurrency: 8
    operations:
      work: { serviceTime: exp(5ms), errorRate: 0.6 }
  side:
    instances: 2
    concurrency: 8
    operations:
      work: { serviceTime: exp(1ms) }
mesh:
  services:
    back:
      retries: { attempts: 0 }
      circuitBreaker: { failureRateThreshold: 50, minimumNumberOfCalls: 10, slidingWindowSize: 20, waitDurationInOpenState: 2s }
      outlierDetection: { consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 5s, maxEjectionPercent: 50 }
load:
  - name: users
    executor: constant-arrival-rate
    rate: 200
    timeUnit: 1s
    target: front.work
`;

describe("recovery gauges", () => {
  const world = buildWorld(parseScenario(TEXT, "gauges.yaml"));
  const gauges = new ProxyGauges(world.proxies);

  it("sum each edge's open and half-open breakers and ejected hosts over the caller's proxies", () => {
    let sawOpen = false;
    let sawEjected = false;
    for (let t = 1000; t <= 40_000; t += 1000) {
      world.scheduler.run(t);
      const expected = { breakersOpen: 0, breakersHalfOpen: 0, ejectedHosts: 0 };
      for (const proxy of world.proxies.filter((p) => p.source.name === "front")) {
        const upstream = proxy.upstreamsInUse().find((u) => u.service.name === "back")!;
        if (upstream.breaker!.state === "OPEN") expected.breakersOpen++;
        if (upstream.breaker!.state === "HALF_OPEN") expected.breakersHalfOpen++;
        expected.ejectedHosts += upstream.detector!.ejected.reduce((n, flag) => n + flag, 0);
      }
      const back = gauges.gauges().find((g) => g.source === "front" && g.target === "back");
      expect(back).toEqual({ source: "front", target: "back", ...expected });
      sawOpen ||= expected.breakersOpen > 0;
      sawEjected ||= expected.ejectedHosts > 0;
    }
    // The gauges were compared while something was open and ejected, not only at zero.
    expect(sawOpen).toBe(true);
    expect(sawEjected).toBe(true);
  });

  it("leave out edges whose upstream has neither a breaker nor an outlier detector", () => {
    const edges = gauges.gauges().map((g) => `${g.source}->${g.target}`);
    expect(edges).toEqual(["front->back"]);
  });
});
