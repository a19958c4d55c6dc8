// Hand-built control-plane sections for the report's tests, small enough to check by eye: a
// rolling update of order (4 pods, maxSurge 1 / maxUnavailable 1) and an autoscaled payment; a
// Eureka registry whose views kept a dead payment pod; a config push reaching 4 proxies; a rogue
// caller denied by authorization.

import type { ConfigResult } from "../../src/result/config.ts";
import type { DiscoveryResult } from "../../src/result/discovery.ts";
import type { HpaDecision, RecoveryResult } from "../../src/result/recovery.ts";
import type { RunResult } from "../../src/result/run.ts";
import type { SecurityResult } from "../../src/result/security.ts";
import { fixtureResult } from "./reportFixtures.ts";

const decision = (
  atMs: number,
  currentReplicas: number,
  metric: number,
  recommended: number,
  stabilized: number,
  desired: number,
  reason: HpaDecision["reason"],
): HpaDecision => ({
  atMs,
  currentReplicas,
  metric,
  recommended,
  stabilized,
  desired,
  reason,
});

export function fixtureRecovery(): RecoveryResult {
  return {
    pods: {
      order: [
        { atMs: 0, starting: 0, ready: 4, draining: 0 },
        // The rollout at 10 s scales v2 up by the surge and v1 down by the unavailability, in one instant.
        { atMs: 10_000, starting: 1, ready: 4, draining: 0 },
        { atMs: 10_000, starting: 2, ready: 3, draining: 1 },
        { atMs: 11_000, starting: 2, ready: 3, draining: 0 },
        { atMs: 20_000, starting: 0, ready: 5, draining: 0 },
        { atMs: 20_000, starting: 2, ready: 3, draining: 2 },
        { atMs: 21_000, starting: 2, ready: 3, draining: 0 },
        { atMs: 30_000, starting: 0, ready: 5, draining: 0 },
        { atMs: 30_000, starting: 0, ready: 4, draining: 1 },
        { atMs: 31_000, starting: 0, ready: 4, draining: 0 },
      ],
      payment: [
        { atMs: 0, starting: 0, ready: 2, draining: 0 },
        { atMs: 15_000, starting: 2, ready: 2, draining: 0 },
        { atMs: 25_000, starting: 0, ready: 4, draining: 0 },
      ],
    },
    autoscaling: {
      payment: [
        decision(5_000, 2, 50, 2, 2, 2, "WithinTolerance"),
        decision(10_000, 2, 52, 2, 2, 2, "WithinTolerance"),
        decision(15_000, 2, 160, 4, 4, 4, "DesiredWithinRange"),
        decision(20_000, 4, 30, 2, 4, 4, "ScaleDownStabilized"),
        decision(25_000, 4, 35, 2, 4, 4, "ScaleDownStabilized"),
        decision(30_000, 4, 20, 1, 4, 4, "ScaleDownStabilized"),
      ],
    },
    rollouts: [
      {
        name: "order-v2",
        service: "order",
        fromVersions: ["v1"],
        toVersion: "v2",
        startedAtMs: 10_000,
        finishedAtMs: 30_000,
        desired: 4,
        maxSurge: 1,
        maxUnavailable: 1,
      },
    ],
  };
}

export function fixtureDiscovery(): DiscoveryResult {
  const view = {
    staleMax: 1,
    staleMean: 0.25,
    unknownMax: 0,
    unknownMean: 0,
    longestStaleMs: 20_000,
    sentToDead: 160,
    sentToDraining: 2,
    timeline: [
      [0, 0, 0],
      [10_000, 1, 0],
      [30_000, 0, 0],
    ] as [number, number, number][],
    timelineTruncated: false,
  };
  return {
    kind: "eureka",
    events: { registered: 4 },
    edges: {
      "gateway->payment": {
        proxies: 2,
        sentToDead: 321,
        sentToDraining: 4,
        staleMax: 1,
        staleMean: 0.25,
        unknownMax: 1,
        unknownMean: 0.1,
        longestStaleMs: 20_000,
        perProxy: { "gateway-0": view, "gateway-1": view },
      },
    },
  };
}

/** The fixture's scrapes (10 s … 40 s) of the views' gauges: gateway's and order's views of payment, shoppers' of gateway. */
export function viewGaugeSeries() {
  const series = (name: string, source: string, target: string, values: number[]) => ({
    family: name,
    name,
    labels: { source, target },
    values,
  });
  return [
    series("meshsim_proxy_endpoints_stale", "gateway", "payment", [0, 2, 1, 0]),
    series("meshsim_proxy_endpoints_unknown", "gateway", "payment", [0, 0, 1, 0]),
    series("meshsim_proxy_endpoints_stale", "order", "payment", [0, 1, 1, 0]),
    series("meshsim_proxy_endpoints_unknown", "order", "payment", [0, 0, 2, 0]),
    series("meshsim_proxy_endpoints_stale", "load:shoppers", "gateway", [0, 0, 0, 0]),
    series("meshsim_proxy_endpoints_unknown", "load:shoppers", "gateway", [0, 0, 0, 0]),
  ];
}

export function fixtureConfig(): ConfigResult {
  return {
    versions: [
      {
        version: 1,
        name: "file",
        atMs: 0,
        set: {},
        delivered: 4,
        firstMs: 0,
        medianMs: 0,
        lastMs: 0,
        runningAtEnd: 1,
      },
      {
        version: 2,
        name: "canary-50",
        atMs: 10_000,
        set: { "mesh.services.payment.routes[0].route[1].weight": 50 },
        delivered: 3,
        firstMs: 11_000,
        medianMs: 12_000,
        lastMs: 15_000,
        runningAtEnd: 3,
      },
    ],
    proxies: {
      "gateway-0": [
        { version: 1, fromMs: 0 },
        { version: 2, fromMs: 11_000 },
      ],
      "gateway-1": [
        { version: 1, fromMs: 0 },
        { version: 2, fromMs: 12_000 },
      ],
      "order-0": [
        { version: 1, fromMs: 0 },
        { version: 2, fromMs: 15_000 },
      ],
      "order-1": [{ version: 1, fromMs: 0 }],
    },
  };
}

export function fixtureSecurity(): SecurityResult {
  return {
    trustDomain: "cluster.local",
    mtls: { mesh: "STRICT", services: { gateway: "STRICT", order: "STRICT", payment: "STRICT" } },
    identities: {
      gateway: "spiffe://cluster.local/ns/default/sa/gateway",
      "load:rogue": "spiffe://cluster.local/ns/default/sa/rogue",
    },
    handshakes: { count: 8, meanMs: 2.5 },
    refused: 0,
    denied: 75,
    edges: {
      "gateway->payment": { connection: "mtls", handshakes: 6, refused: 0, denied: 0 },
      "load:rogue->payment": { connection: "mtls", handshakes: 2, refused: 0, denied: 75 },
    },
    policies: [
      {
        name: "payment-allow-gateway",
        service: "payment",
        action: "ALLOW",
        denied: 75,
        byEdge: { "load:rogue->payment": 75 },
      },
    ],
  };
}

/** The report fixture with every control-plane section and the views' gauges among its series. */
export function controlPlaneResult(): RunResult {
  const result = fixtureResult();
  result.metrics.series.push(...viewGaugeSeries());
  return {
    ...result,
    recovery: fixtureRecovery(),
    discovery: fixtureDiscovery(),
    config: fixtureConfig(),
    security: fixtureSecurity(),
  };
}
