// Consul: the StatusHandler's thresholds (counters that start at their thresholds), the reaper of
// deregister_critical_service_after, and status changes held by the agent through an outage.
import { describe, expect, test } from "vitest";
import { StatusHandler } from "../../../src/control/registry/consul.ts";
import { CONSUL_REAP_INTERVAL_MS, type ConsulSpec } from "../../../src/control/registry/presets.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { CONSUL_DEFAULTS } from "../../../src/scenario/defaults.ts";
import { discoveryScenario, killAt, proxyStaleness, runDiscovery } from "./discoveryWorld.ts";

describe("Consul's StatusHandler", () => {
  test("with both thresholds 0 every result counts at once", () => {
    const h = new StatusHandler(0, 0);
    expect([false, true, false, false, true].map((r) => h.result(r))).toEqual([
      "critical",
      "passing",
      "critical",
      "critical",
      "passing",
    ]);
  });

  test("with 3 and 3 the first result counts at once (the counters start at the thresholds), later ones need runs of 3", () => {
    const h = new StatusHandler(3, 3);
    const results = [false, true, true, true, false, false, true, false, false, false];
    expect(results.map((r) => h.result(r))).toEqual([
      "critical",
      null,
      null,
      "passing",
      null,
      null,
      null,
      null,
      null,
      "critical",
    ]);
  });
});

describe("Consul in a run", () => {
  test("deregisterCriticalServiceAfter: the reaper removes a service critical for over 1 minute at its next 30 s tick; a restart registers it again", () => {
    const registry: ConsulSpec = { ...CONSUL_DEFAULTS, deregisterCriticalServiceAfterMs: 60_000 };
    const result = runDiscovery({
      registry,
      seed: 3,
      durationMs: 6 * 60_000,
      faults: [killAt(45_000, 3 * 60_000)],
    });
    const id = result.faults[0].targets[0];
    const entry = result.stateChanges.filter((c) => c.component === `registry ${id}`);
    expect(entry.map((c) => `${c.from}->${c.to}`)).toEqual([
      "passing->critical",
      "critical->deregistered",
      "deregistered->critical",
      "critical->passing",
    ]);
    const [critical, deregistered, reregistered, passing] = entry;
    expect(deregistered.atMs % CONSUL_REAP_INTERVAL_MS).toBe(0);
    expect(deregistered.atMs - critical.atMs).toBeGreaterThan(60_000);
    expect(deregistered.atMs - critical.atMs).toBeLessThanOrEqual(60_000 + CONSUL_REAP_INTERVAL_MS);
    expect(reregistered.atMs).toBe(45_000 + 3 * 60_000);
    // The new check's first run comes after a random stagger within the interval, and passes.
    const check = CONSUL_DEFAULTS.check;
    if (check.type !== "interval") throw new Error("the default check is an interval check");
    expect(passing.atMs - reregistered.atMs).toBeLessThan(check.intervalMs);
  });

  test("a status change during an outage is held by the agent and reaches the catalog, and the views, when the outage ends", () => {
    const s = discoveryScenario({ registry: CONSUL_DEFAULTS, seed: 8, durationMs: 3 * 60_000 });
    s.faults = [
      killAt(40_000),
      { name: "down", kind: "registry-outage", atMs: 30_000, durationMs: 60_000 },
    ];
    const result = runScenario(s);
    const id = result.faults.find((f) => f.name === "kill")!.targets[0];
    const [critical] = result.stateChanges.filter((c) => c.component === `registry ${id}`);
    expect(critical.atMs).toBe(90_000);
    for (const ms of proxyStaleness(result)) {
      expect(ms).toBeGreaterThan(90_000 - 40_000);
      expect(ms).toBeLessThanOrEqual(90_000 - 40_000 + CONSUL_DEFAULTS.pushDelayMs);
    }
  });
});
