// The `registry` section and a traffic policy's `healthCheck` in scenario files: each kind's real
// defaults filled in, overrides under the real names, and clear errors for what is wrong (file,
// line, path, what was expected).
import { describe, expect, test } from "vitest";
import {
  CONSUL_DEFAULTS,
  EUREKA_DEFAULTS,
  KUBERNETES_DEFAULTS,
  NACOS_DEFAULTS,
  ZOOKEEPER_DEFAULTS,
} from "../../../src/scenario/defaults.ts";
import { parseScenario } from "../../../src/scenario/loader.ts";
import type { Scenario } from "../../../src/scenario/types.ts";
import { problemsOf, shown } from "../../helpers/problems.ts";

function scenarioText(extra: string): string {
  return `version: 1
name: t
duration: 20s
services:
  server:
    operations:
      work:
        serviceTime: exp(1s)
load:
  - { name: l, executor: constant-arrival-rate, rate: 1, target: server.work }
${extra}`;
}

function parsed(extra: string): Scenario {
  return parseScenario(scenarioText(extra), "s.yaml");
}

function problems(extra: string): string[] {
  return problemsOf(scenarioText(extra)).map(shown);
}

describe("the registry section", () => {
  test("is absent by default: no registry, no health checks", () => {
    const s = parsed("");
    expect(s.registry).toBeNull();
    expect(s.services[0].trafficPolicy.resilience.healthCheck).toBeNull();
  });

  test("each kind alone gets its real system's defaults", () => {
    expect(parsed("registry: { kind: eureka }").registry).toEqual(EUREKA_DEFAULTS);
    expect(parsed("registry: { kind: nacos }").registry).toEqual(NACOS_DEFAULTS);
    expect(parsed("registry: { kind: consul }").registry).toEqual(CONSUL_DEFAULTS);
    expect(parsed("registry: { kind: kubernetes }").registry).toEqual(KUBERNETES_DEFAULTS);
    expect(parsed("registry: { kind: zookeeper }").registry).toEqual(ZOOKEEPER_DEFAULTS);
  });

  test("fields override the defaults one by one, under the real names with durations", () => {
    const eureka = parsed(
      "registry: { kind: eureka, leaseRenewalInterval: 5s, leaseExpirationDuration: 15s, clientCacheTtl: 0, enableSelfPreservation: false }",
    ).registry;
    expect(eureka).toEqual({
      ...EUREKA_DEFAULTS,
      leaseRenewalIntervalMs: 5_000,
      leaseExpirationDurationMs: 15_000,
      clientCacheTtlMs: 0,
      enableSelfPreservation: false,
    });
    const k8s = parsed(
      "registry: { kind: kubernetes, period: 5s, failureThreshold: 1, debounceAfter: 1s }",
    ).registry;
    expect(k8s).toEqual({
      ...KUBERNETES_DEFAULTS,
      periodMs: 5_000,
      failureThreshold: 1,
      debounceAfterMs: 1_000,
    });
  });

  test("a Consul ttl makes a TTL check, with Spring Cloud Consul's heartbeat of ttl × 2/3 unless given", () => {
    expect(parsed("registry: { kind: consul, ttl: 30s }").registry).toEqual({
      ...CONSUL_DEFAULTS,
      check: { type: "ttl", ttlMs: 30_000, heartbeatIntervalMs: 20_000 },
    });
    expect(parsed("registry: { kind: consul, ttl: 3s }").registry).toMatchObject({
      check: { type: "ttl", ttlMs: 3_000, heartbeatIntervalMs: 2_000 },
    });
    expect(
      parsed("registry: { kind: consul, ttl: 10s, heartbeatInterval: 9s }").registry,
    ).toMatchObject({ check: { heartbeatIntervalMs: 9_000 } });
    expect(
      parsed("registry: { kind: consul, interval: 5s, failuresBeforeCritical: 3 }").registry,
    ).toMatchObject({
      check: { type: "interval", intervalMs: 5_000, timeoutMs: 10_000 },
      failuresBeforeCritical: 3,
    });
  });

  test("an unknown field names the kind and lists the allowed ones", () => {
    const [problem] = problems("registry: { kind: eureka, leaseRenewalIntervalInSeconds: 30 }");
    expect(problem).toMatch(
      /^11:27 registry\.leaseRenewalIntervalInSeconds: `leaseRenewalIntervalInSeconds` is not a field of a eureka registry; expected one of: kind, leaseRenewalInterval, /,
    );
  });

  test("a missing or unknown kind says which kinds there are", () => {
    expect(problems("registry: { leaseRenewalInterval: 5s }")).toEqual([
      "11:1 registry.kind: is required; expected a registry kind, one of eureka, nacos, consul, kubernetes, zookeeper",
    ]);
    expect(problems("registry: { kind: etcd }")).toEqual([
      '11:19 registry.kind: expected a registry kind, one of eureka, nacos, consul, kubernetes, zookeeper, found string "etcd"',
    ]);
  });

  test("relations within a kind are checked: one Consul check, its minimum deregistration, the probe timeout within the period", () => {
    expect(problems("registry: { kind: consul, ttl: 10s, interval: 5s }")).toEqual([
      "11:47 registry.interval: a Consul check has either `ttl` or `interval`, not both",
    ]);
    expect(problems("registry: { kind: consul, ttl: 10s, timeout: 5s }")).toEqual([
      "11:46 registry.timeout: `timeout` goes with an interval check, not with `ttl`",
    ]);
    expect(problems("registry: { kind: consul, deregisterCriticalServiceAfter: 30s }")).toEqual([
      "11:59 registry.deregisterCriticalServiceAfter: must be at least 1m (Consul raises shorter values to 1m), found 30s",
    ]);
    expect(problems("registry: { kind: kubernetes, period: 2s, timeout: 2s }")).toEqual([
      "11:52 registry.timeout: must be shorter than the period (2s): the kubelet probes one at a time, found 2s",
    ]);
    expect(problems("registry: { kind: eureka, renewalPercentThreshold: 1.5 }")).toEqual([
      "11:52 registry.renewalPercentThreshold: expected a fraction above 0, up to 1 (e.g. 0.85), found number 1.5",
    ]);
    expect(problems("registry: { kind: consul, ttl: 1s }")).toEqual([
      "11:32 registry.ttl: Spring Cloud Consul's heartbeat (ttl × 2/3, at most ttl − 1s) needs a ttl of at least 2s; give heartbeatInterval",
    ]);
  });

  test("a ZooKeeper session timeout must lie within 2 to 20 ticks, the range the server negotiates into", () => {
    expect(
      parsed("registry: { kind: zookeeper, tickTime: 1s, sessionTimeout: 15s, roundTrip: 2ms }")
        .registry,
    ).toEqual({
      ...ZOOKEEPER_DEFAULTS,
      tickTimeMs: 1_000,
      sessionTimeoutMs: 15_000,
      roundTripMs: 2,
    });
    // The bounds themselves are allowed: 2 × 2s and 20 × 2s.
    expect(parsed("registry: { kind: zookeeper, sessionTimeout: 4s }").registry).toMatchObject({
      sessionTimeoutMs: 4_000,
    });
    expect(parsed("registry: { kind: zookeeper, sessionTimeout: 40s }").registry).toMatchObject({
      sessionTimeoutMs: 40_000,
    });
    expect(problems("registry: { kind: zookeeper, sessionTimeout: 60s }")).toEqual([
      "11:46 registry.sessionTimeout: must be from 2 to 20 ticks of tickTime 2s (4s to 40s: ZooKeeper's minSessionTimeout and maxSessionTimeout; the server would negotiate it into that range), found 1m",
    ]);
    expect(problems("registry: { kind: zookeeper, sessionTimeout: 3s }")).toEqual([
      "11:46 registry.sessionTimeout: must be from 2 to 20 ticks of tickTime 2s (4s to 40s: ZooKeeper's minSessionTimeout and maxSessionTimeout; the server would negotiate it into that range), found 3s",
    ]);
    // A tickTime that leaves the default 40 s outside its range is named itself.
    expect(problems("registry: { kind: zookeeper, tickTime: 1s }")).toEqual([
      "11:40 registry.tickTime: must be from 2 to 20 ticks of tickTime 1s (2s to 20s: ZooKeeper's minSessionTimeout and maxSessionTimeout; the server would negotiate it into that range), found 40s",
    ]);
  });

  test("a registry-outage fault needs a registry section", () => {
    expect(problems("faults: [{ kind: registry-outage, at: 5s, duration: 5s }]")).toEqual([
      "11:18 faults[0].kind: a registry-outage takes the registry down, but the scenario has no `registry:` section (eureka, nacos, consul, kubernetes or zookeeper)",
    ]);
    const s = parsed(
      "registry: { kind: nacos }\nfaults: [{ name: down, kind: registry-outage, at: 5s, duration: 5s }]",
    );
    expect(s.faults).toEqual([
      { name: "down", kind: "registry-outage", atMs: 5_000, durationMs: 5_000 },
    ]);
  });
});

describe("a traffic policy's healthCheck", () => {
  test("takes Envoy's four fields, merged per service over mesh.defaults; null turns it off for one service", () => {
    const s = parsed(`mesh:
  defaults:
    healthCheck: { interval: 5s, timeout: 1s, unhealthyThreshold: 3, healthyThreshold: 2 }
  services:
    server: { healthCheck: null }`);
    expect(s.services[0].trafficPolicy.resilience.healthCheck).toBeNull();
    const on = parsed(`mesh:
  defaults:
    healthCheck: { interval: 5s, timeout: 1s, unhealthyThreshold: 3, healthyThreshold: 2 }`);
    expect(on.services[0].trafficPolicy.resilience.healthCheck).toEqual({
      intervalMs: 5_000,
      timeoutMs: 1_000,
      unhealthyThreshold: 3,
      healthyThreshold: 2,
    });
  });

  test("every field is required, as in Envoy", () => {
    expect(
      problems(
        "mesh: { defaults: { healthCheck: { interval: 5s, timeout: 1s, healthyThreshold: 2 } } }",
      ),
    ).toEqual([
      "11:21 mesh.defaults.healthCheck.unhealthyThreshold: is required; expected an integer ≥ 1",
    ]);
  });
});
