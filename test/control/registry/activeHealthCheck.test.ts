// Envoy active health checking: the session's thresholds (network failures count, an answered
// failure is immediate, the first check of a host decides at once), a hung host leaving the
// balancer within unhealthyThreshold × (interval + timeout), and Envoy keeping a host that service
// discovery dropped while it passes its checks.
import { describe, expect, test } from "vitest";
import { HealthCheckSession, outcomeOf } from "../../../src/control/registry/activeHealthCheck.ts";
import type { HealthCheckSpec } from "../../../src/mesh/spec.ts";
import type { Call } from "../../../src/model/call.ts";
import type { EdgeSource } from "../../../src/model/edge.ts";
import type { Instance } from "../../../src/model/instance.ts";
import { summarise } from "../../../src/run/result.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import { NACOS_DEFAULTS } from "../../../src/scenario/defaults.ts";
import { discoveryScenario, hangAt } from "./discoveryWorld.ts";

const config: HealthCheckSpec = {
  intervalMs: 1_000,
  timeoutMs: 500,
  unhealthyThreshold: 3,
  healthyThreshold: 2,
};

describe("an active health check session", () => {
  test("a healthy host turns unhealthy on the 3rd network failure in a row, and healthy again after 2 passes", () => {
    const s = new HealthCheckSession(config, false);
    expect(s.result("pass")).toBe(false); // the first check: already healthy
    expect(
      ["noAnswer", "noAnswer", "pass", "noAnswer", "noAnswer", "noAnswer"].map((o) =>
        s.result(o as "pass"),
      ),
    ).toEqual([false, false, false, false, false, true]);
    expect(s.failing).toBe(true);
    expect([s.result("pass"), s.result("noAnswer"), s.result("pass"), s.result("pass")]).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect(s.failing).toBe(false);
  });

  test("an answered failure (a draining host's 503) marks it unhealthy at once", () => {
    const s = new HealthCheckSession(config, false);
    s.result("pass");
    expect(s.result("answeredFailure")).toBe(true);
  });

  test("a host added later starts failing, and its first check decides at once whatever the healthy threshold", () => {
    const passing = new HealthCheckSession({ ...config, healthyThreshold: 5 }, true);
    expect(passing.failing).toBe(true);
    expect(passing.result("pass")).toBe(true);
    const dead = new HealthCheckSession(config, true);
    expect(dead.result("noAnswer")).toBe(false);
    expect(dead.failing).toBe(true);
  });

  test("a check finds a ready host passing, a draining one answering 503, a dead or hung one silent", () => {
    expect(outcomeOf({ passesReadiness: true, reachable: true, phase: "ready" })).toBe("pass");
    expect(outcomeOf({ passesReadiness: false, reachable: true, phase: "draining" })).toBe(
      "answeredFailure",
    );
    expect(outcomeOf({ passesReadiness: false, reachable: false, phase: "ready" })).toBe(
      "noAnswer",
    );
    expect(outcomeOf({ passesReadiness: false, reachable: false, phase: "stopped" })).toBe(
      "noAnswer",
    );
  });
});

describe("active health checks in a run", () => {
  test("without a registry, a hung host gets no new try once every proxy's checks failed 3 times: within 3 × (1 s + 0.5 s)", () => {
    const hangMs = 20_000;
    const budget = config.unhealthyThreshold * (config.intervalMs + config.timeoutMs);
    const s = discoveryScenario({
      registry: null,
      seed: 4,
      durationMs: 40_000,
      faults: [hangAt(hangMs)],
      healthCheck: config,
      ratePerS: 200,
    });
    const world = buildWorld(s);
    let lastToHung = 0;
    const stats = world.stats;
    const callSent = stats.callSent.bind(stats);
    stats.callSent = (source: EdgeSource, call: Call, instance: Instance) => {
      if (!instance.reachable) lastToHung = world.scheduler.now;
      callSent(source, call, instance);
    };
    world.scheduler.run(s.durationMs);
    expect(lastToHung).toBeGreaterThan(hangMs);
    expect(lastToHung).toBeLessThanOrEqual(hangMs + budget);
    expect(summarise(world, "duration").discovery).toBeNull();
  });

  test("with a registry, Envoy keeps hosts the registry dropped while they pass their checks: no 'no healthy upstream' after a Nacos outage", () => {
    const base = { registry: NACOS_DEFAULTS, seed: 6, durationMs: 150_000, instances: 3 };
    const outage = {
      name: "down",
      kind: "registry-outage" as const,
      atMs: 30_000,
      durationMs: 60_000,
    };
    const plain = discoveryScenario(base);
    plain.faults = [outage];
    const checked = discoveryScenario({ ...base, healthCheck: config });
    checked.faults = [outage];
    const without = runScenario(plain);
    const withChecks = runScenario(checked);
    // The server deleted everyone during the outage and pushes that empty view when it ends.
    expect(without.edges["load:customers->server"].proxy.noHealthyUpstream).toBeGreaterThan(0);
    expect(withChecks.edges["load:customers->server"].proxy.noHealthyUpstream).toBe(0);
    expect(withChecks.load.customers.failed).toBe(0);
  });
});
