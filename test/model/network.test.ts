import { describe, expect, it } from "vitest";
import { constant, lognormal } from "../../src/kernel/distributions.ts";
import { KeyedDraws, Purpose } from "../../src/kernel/keyedDraws.ts";
import { Network } from "../../src/model/network.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { dist, poissonLoad, scenario, station } from "../helpers/scenarios.ts";

describe("the network", () => {
  it("draws a leg's hop latency and then its cross-zone extra from one keyed sequence per leg and direction", () => {
    const latency = lognormal(0.25, 0.5);
    const crossZone = lognormal(0.6, 0.4);
    const network = new Network(latency, crossZone, new KeyedDraws());
    const draws = new KeyedDraws();
    const request = { seedA: -123456789, seedB: 987654321 };
    for (const [site, crossesZones, back] of [
      [0x5eed, false, false],
      [-0x7654321, true, false],
      [0x7654321, true, true],
    ] as const) {
      const call = { request, site, crossesZones, crossesRegions: false };
      network.leg(call, back);
      const rng = draws.begin(
        request.seedA,
        request.seedB,
        site,
        back ? Purpose.networkBack : Purpose.networkOut,
      );
      const hop = latency.sample(rng);
      expect(network.legMs).toBe(crossesZones ? hop + crossZone.sample(rng) : hop);
    }
    // A constant hop latency draws nothing: the extra takes the sequence's first draw.
    const fixed = new Network(constant(1), crossZone, new KeyedDraws());
    fixed.leg({ request, site: 7, crossesZones: true, crossesRegions: false }, false);
    expect(fixed.legMs).toBe(
      1 + crossZone.sample(draws.begin(request.seedA, request.seedB, 7, Purpose.networkOut)),
    );
    fixed.leg({ request, site: 7, crossesZones: false, crossesRegions: false }, false);
    expect(fixed.legMs).toBe(1);
  });

  it("adds the cross-zone latency on both legs exactly when caller and instance are in different zones", () => {
    // Clients in zone a; server-0 in a, server-1 in b; 1 ms of work, no queueing (many slots),
    // no base latency, 5 ms each way across zones. So latency is 1 ms, or 11 ms via server-1.
    const s = scenario({
      services: [
        station({ instances: 2, concurrency: 100, zones: ["a", "b"], serviceTime: "const(1ms)" }),
      ],
      // The load stops a second before the run, so every request has completed when shares are counted.
      load: [{ ...poissonLoad(200), zone: "a", durationMs: 19_000 }],
      durationMs: 20_000,
      crossZoneLatency: dist("const(5ms)"),
    });
    const result = runScenario(s);
    const load = result.load.customers;
    const viaB = result.edges["load:customers->server"].share["server-1"];
    expect(load.inFlight).toBe(0);
    expect(viaB).toBeGreaterThan(0.3);
    expect(load.latencyMs.mean).toBeCloseTo(1 + 10 * viaB, 3);
    expect(load.latencyMs.max).toBeCloseTo(11, 6);
    expect(result.services.server.latencyMs.max).toBeCloseTo(1, 6);
  });

  it("charges the cross-region latency instead of the cross-zone one between regions", () => {
    // Clients in zone a (region r1); server-0 in a, server-1 in b (r1), server-2 in c (r2); 1 ms
    // of work, 5 ms each way across zones, 40 ms across regions: 1, 11 or 81 ms.
    const s = scenario({
      services: [
        station({
          instances: 3,
          concurrency: 100,
          zones: ["a", "b", "c"],
          serviceTime: "const(1ms)",
        }),
      ],
      load: [{ ...poissonLoad(200), zone: "a", durationMs: 19_000 }],
      durationMs: 20_000,
      crossZoneLatency: dist("const(5ms)"),
      crossRegionLatency: dist("const(40ms)"),
      regions: new Map([
        ["a", "r1"],
        ["b", "r1"],
        ["c", "r2"],
      ]),
    });
    const result = runScenario(s);
    const share = result.edges["load:customers->server"].share;
    const load = result.load.customers;
    expect(share["server-2"]).toBeGreaterThan(0.1); // least-request favours the nearer hosts
    expect(load.latencyMs.mean).toBeCloseTo(1 + 10 * share["server-1"] + 80 * share["server-2"], 3);
    expect(load.latencyMs.max).toBeCloseTo(81, 6);
  });

  it("charges clients outside every zone no cross-zone latency", () => {
    const s = scenario({
      services: [
        station({ instances: 2, concurrency: 100, zones: ["a", "b"], serviceTime: "const(1ms)" }),
      ],
      load: [poissonLoad(200)],
      durationMs: 5_000,
      crossZoneLatency: dist("const(5ms)"),
    });
    expect(runScenario(s).load.customers.latencyMs.max).toBeCloseTo(1, 6);
  });

  it("applies the base latency on the request and on the response of every hop", () => {
    const s = scenario({
      services: [station({ concurrency: 100, serviceTime: "const(1ms)" })],
      load: [poissonLoad(100)],
      durationMs: 5_000,
      latency: dist("const(2ms)"),
    });
    const result = runScenario(s);
    expect(result.load.customers.latencyMs.max).toBeCloseTo(5, 6);
    expect(result.load.customers.latencyMs.mean).toBeCloseTo(5, 6);
  });
});
