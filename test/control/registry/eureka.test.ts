// Eureka's server arithmetic (the self-preservation threshold with its int cast, the 15% eviction
// cap) against worked values, and the behaviours they produce in runs: the cap spreading evictions
// over ticks, self-preservation during a registry outage, and a graceful cancel's shorter path.
import { describe, expect, test } from "vitest";
import {
  evictionLimit,
  leaseExpirationEnabled,
  renewsPerMinThreshold,
} from "../../../src/control/registry/eureka.ts";
import type { EurekaSpec } from "../../../src/control/registry/presets.ts";
import { summarise } from "../../../src/run/result.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import { EUREKA_DEFAULTS } from "../../../src/scenario/defaults.ts";
import { discoveryScenario, proxyStaleness, runDiscovery } from "./discoveryWorld.ts";

describe("Eureka's arithmetic", () => {
  test("the renews-per-minute threshold is (int)(expected × 60/30 × 0.85)", () => {
    const cases: [number, number][] = [
      [1, 1], // 1.7
      [2, 3], // 3.4
      [4, 6], // 6.8
      [5, 8], // 8.5
      [7, 11], // 11.9
      [10, 17],
      [20, 34],
      [100, 170],
    ];
    for (const [clients, threshold] of cases)
      expect(renewsPerMinThreshold(clients, 30_000, 0.85), `${clients} clients`).toBe(threshold);
    // A 10 s expected interval means 6 renews a minute per client.
    expect(renewsPerMinThreshold(10, 10_000, 0.85)).toBe(51);
  });

  test("one eviction tick removes at most size − (int)(size × 0.85) leases", () => {
    const cases: [number, number][] = [
      [1, 1],
      [3, 1], // 3 − 2
      [5, 1], // 5 − 4
      [6, 1], // 6 − 5
      [7, 2], // 7 − 5
      [10, 2],
      [20, 3],
      [100, 15],
    ];
    for (const [size, limit] of cases)
      expect(evictionLimit(size, 0.85), `registry of ${size}`).toBe(limit);
  });

  test("leases expire only while the last minute's renews exceed a positive threshold, unless self-preservation is off", () => {
    expect(leaseExpirationEnabled(true, 13, 14)).toBe(true);
    expect(leaseExpirationEnabled(true, 13, 13)).toBe(false);
    expect(leaseExpirationEnabled(true, 0, 100)).toBe(false);
    expect(leaseExpirationEnabled(false, 13, 0)).toBe(true);
  });
});

describe("Eureka in a run", () => {
  test("with self-preservation off, 5 of 10 dead leases are evicted 2, 2 and 1 per tick (the 15% cap, recomputed on the shrinking registry)", () => {
    const registry: EurekaSpec = { ...EUREKA_DEFAULTS, enableSelfPreservation: false };
    const s = discoveryScenario({ registry, seed: 7, durationMs: 10 * 60_000, instances: 10 });
    s.faults = [
      {
        name: "half",
        kind: "pod-kill",
        atMs: 30_000,
        target: { kind: "instances", service: "server", selection: { mode: "fixed", count: 5 } },
        restartAfterMs: null,
      },
    ];
    const result = runScenario(s);
    const evictions = result.stateChanges.filter((c) => c.to === "evicted");
    const perTick = new Map<number, number>();
    for (const e of evictions) perTick.set(e.atMs, (perTick.get(e.atMs) ?? 0) + 1);
    expect([...perTick.values()]).toEqual([2, 2, 1]);
    const ticks = [...perTick.keys()];
    expect(ticks.every((t) => t % EUREKA_DEFAULTS.evictionIntervalMs === 0)).toBe(true);
    expect(ticks[1] - ticks[0]).toBe(EUREKA_DEFAULTS.evictionIntervalMs);
  });

  test("a registry outage puts the server in self-preservation: leases expire but none is evicted, and renewals resume after it", () => {
    const s = discoveryScenario({
      registry: EUREKA_DEFAULTS,
      seed: 3,
      durationMs: 15 * 60_000,
      instances: 8,
    });
    s.faults = [
      { name: "down", kind: "registry-outage", atMs: 2 * 60_000, durationMs: 5 * 60_000 },
    ];
    const result = runScenario(s);
    const server = result.stateChanges.filter((c) => c.component === "registry");
    expect(server.map((c) => c.to)).toEqual(["self-preservation", "normal"]);
    // The first full minute without renews ends at 3 min; renewals count again from 7 min, so the minute ending at 8 min is normal again.
    expect(server[0].atMs).toBe(3 * 60_000);
    expect(server[1].atMs).toBe(8 * 60_000);
    expect(result.stateChanges.filter((c) => c.to === "evicted")).toEqual([]);
    const expired = result.stateChanges.filter((c) => c.to === "expired");
    expect(expired).toHaveLength(8);
    // Each lease is renewed at its instance's first heartbeat after the outage, within one renewal interval.
    const renewed = result.stateChanges.filter(
      (c) => c.from === "expired" && c.to === "registered",
    );
    expect(renewed).toHaveLength(8);
    for (const c of renewed) {
      expect(c.atMs).toBeGreaterThanOrEqual(7 * 60_000);
      expect(c.atMs).toBeLessThan(7 * 60_000 + EUREKA_DEFAULTS.leaseRenewalIntervalMs);
    }
    // Clients kept their last (complete) view all along.
    const edge = result.discovery!.edges["load:customers->server"];
    expect(edge.unknownMax).toBe(0);
    expect(edge.staleMax).toBe(0);
  });

  test("a graceful stop cancels at once, so the instance leaves every view within the caches: 30 + 30 + 35 = 95 s", () => {
    const budget =
      EUREKA_DEFAULTS.responseCacheUpdateIntervalMs +
      EUREKA_DEFAULTS.registryFetchIntervalMs +
      EUREKA_DEFAULTS.clientCacheTtlMs;
    let worst = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const s = discoveryScenario({ registry: EUREKA_DEFAULTS, seed, durationMs: 5 * 60_000 });
      const world = buildWorld(s);
      const leaving = world.services[0].instances[3];
      world.scheduler.post(60_000 + seed * 3_100, () => leaving.beginDraining());
      world.scheduler.run(s.durationMs);
      const result = summarise(world, "duration");
      expect(
        result.stateChanges
          .filter((c) => c.component === `registry ${leaving.id}`)
          .map((c) => c.to),
      ).toEqual(["cancelled"]);
      for (const ms of proxyStaleness(result)) {
        expect(ms).toBeGreaterThan(0);
        expect(ms).toBeLessThanOrEqual(budget);
        worst = Math.max(worst, ms);
      }
    }
    expect(worst).toBeGreaterThan(0.8 * budget);
  });

  test("a restarted instance registers again at once and is in every view within the caches", () => {
    const result = runDiscovery({
      registry: EUREKA_DEFAULTS,
      seed: 5,
      durationMs: 12 * 60_000,
      faults: [
        {
          name: "kill",
          kind: "pod-kill",
          atMs: 60_000,
          target: { kind: "instances", service: "server", selection: { mode: "one" } },
          restartAfterMs: 6 * 60_000,
        },
      ],
    });
    const id = result.faults[0].targets[0];
    const entry = result.stateChanges.filter((c) => c.component === `registry ${id}`);
    expect(entry.map((c) => `${c.from}->${c.to}`)).toEqual([
      "registered->expired",
      "expired->evicted",
      "evicted->registered",
    ]);
    expect(entry[2].atMs).toBe(7 * 60_000);
    const edge = result.discovery!.edges["load:customers->server"];
    expect(edge.unknownMax).toBe(1);
    expect(result.discovery!.events).toEqual({ evicted: 1, expired: 1, registered: 1 });
  });
});
