// Nacos: the protect threshold as the server applies it, the heartbeat timeline of a killed
// instance (unhealthy, then deleted), protection keeping dead instances in views, and an outage
// that deletes every instance until the beats come back.
import { describe, expect, test } from "vitest";
import { reachesProtectThreshold } from "../../../src/control/registry/nacos.ts";
import type { NacosSpec } from "../../../src/control/registry/presets.ts";
import type { FaultSpec } from "../../../src/faults/spec.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { NACOS_DEFAULTS } from "../../../src/scenario/defaults.ts";
import { discoveryScenario, proxyStaleness, runDiscovery } from "./discoveryWorld.ts";

const killSome = (atMs: number, count: number): FaultSpec => ({
  name: "kill",
  kind: "pod-kill",
  atMs,
  target: { kind: "instances", service: "server", selection: { mode: "fixed", count } },
  restartAfterMs: null,
});

describe("Nacos protect threshold", () => {
  test("serves every instance when healthy / total <= protectThreshold", () => {
    expect(reachesProtectThreshold(0, 3, 0)).toBe(true); // the default 0: only when none is healthy
    expect(reachesProtectThreshold(1, 3, 0)).toBe(false);
    expect(reachesProtectThreshold(2, 4, 0.5)).toBe(true); // <=, not <
    expect(reachesProtectThreshold(3, 4, 0.5)).toBe(false);
    expect(reachesProtectThreshold(0, 0, 0)).toBe(false); // no instance at all
    expect(reachesProtectThreshold(4, 4, 1)).toBe(true);
  });
});

describe("Nacos in a run", () => {
  test("a killed instance turns unhealthy after 15 s without a beat (at a 5 s check) and is deleted after 30 s", () => {
    const result = runDiscovery({
      registry: NACOS_DEFAULTS,
      seed: 2,
      durationMs: 120_000,
      faults: [killSome(40_000, 1)],
    });
    const id = result.faults[0].targets[0];
    const [unhealthy, deleted] = result.stateChanges.filter(
      (c) => c.component === `registry ${id}`,
    );
    expect([unhealthy.to, deleted.to]).toEqual(["unhealthy", "deleted"]);
    // The last beat came at most 5 s before the kill; the check runs every 5 s.
    expect(unhealthy.atMs).toBeGreaterThan(40_000 + 15_000 - 5_000);
    expect(unhealthy.atMs).toBeLessThanOrEqual(40_000 + 15_000 + 5_000);
    expect(deleted.atMs - unhealthy.atMs).toBeGreaterThanOrEqual(10_000);
    expect(deleted.atMs - unhealthy.atMs).toBeLessThanOrEqual(20_000);
  });

  test("with protectThreshold 0.5, killing 2 of 4 protects the service: dead instances stay in views until deleted", () => {
    const base = { seed: 4, durationMs: 120_000, instances: 4, faults: [killSome(40_000, 2)] };
    const plain = runDiscovery({ ...base, registry: NACOS_DEFAULTS });
    const protectedRun = runDiscovery({
      ...base,
      registry: { ...NACOS_DEFAULTS, protectThreshold: 0.5 } satisfies NacosSpec,
    });
    const protection = protectedRun.stateChanges.filter(
      (c) => c.component === "registry protect server",
    );
    expect(protection.map((c) => c.to)).toEqual(["protected", "normal"]);
    // Unhealthy instances are held in views until the delete (30 s without a beat, plus a check and the push).
    const budget =
      NACOS_DEFAULTS.ipDeleteTimeoutMs +
      NACOS_DEFAULTS.beatCheckIntervalMs +
      NACOS_DEFAULTS.pushTaskDelayMs +
      NACOS_DEFAULTS.pushDelayMs;
    for (const ms of proxyStaleness(protectedRun)) {
      expect(ms).toBeGreaterThan(
        NACOS_DEFAULTS.ipDeleteTimeoutMs - NACOS_DEFAULTS.heartBeatIntervalMs,
      );
      expect(ms).toBeLessThanOrEqual(budget);
    }
    for (const ms of proxyStaleness(plain))
      expect(ms).toBeLessThan(
        NACOS_DEFAULTS.ipDeleteTimeoutMs - NACOS_DEFAULTS.heartBeatIntervalMs,
      );
    const dead = (r: typeof plain) => r.discovery!.edges["load:customers->server"].sentToDead;
    expect(dead(protectedRun)).toBeGreaterThan(dead(plain));
  });

  test("an outage of the server deletes every instance (no beats reach it); the first beat after it registers each again", () => {
    const s = discoveryScenario({
      registry: NACOS_DEFAULTS,
      seed: 6,
      durationMs: 150_000,
      instances: 3,
    });
    s.faults = [{ name: "down", kind: "registry-outage", atMs: 30_000, durationMs: 60_000 }];
    const result = runScenario(s);
    const entries = result.stateChanges.filter((c) => c.component.startsWith("registry server-"));
    const deleted = entries.filter((c) => c.to === "deleted");
    const back = entries.filter((c) => c.from === "deleted" && c.to === "healthy");
    expect(deleted).toHaveLength(3);
    for (const c of deleted) expect(c.atMs).toBeLessThan(90_000);
    expect(back).toHaveLength(3);
    for (const c of back) {
      expect(c.atMs).toBeGreaterThanOrEqual(90_000);
      expect(c.atMs).toBeLessThanOrEqual(90_000 + NACOS_DEFAULTS.heartBeatIntervalMs);
    }
    // When none is healthy the default threshold 0 protects the service until they are deleted.
    expect(
      result.stateChanges.filter((c) => c.component === "registry protect server").map((c) => c.to),
    ).toEqual(["protected", "normal"]);
  });
});
