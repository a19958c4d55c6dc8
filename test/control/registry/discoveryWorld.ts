// A small world for discovery tests: `clients` load-client proxies (each its own registry client)
// calling one service of `instances` instances, with one fault on it, under a registry preset.
// Retries are off, so a try that reaches a dead instance is an error the caller sees.

import type { RegistrySpec } from "../../../src/control/registry/presets.ts";
import type { FaultSpec } from "../../../src/faults/spec.ts";
import type { RunResult } from "../../../src/result/run.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import type { HealthCheckSpec, Scenario } from "../../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../../helpers/scenarios.ts";

export interface DiscoveryCase {
  registry: RegistrySpec | null;
  seed: number;
  durationMs: number;
  instances?: number;
  clients?: number;
  ratePerS?: number;
  faults?: FaultSpec[];
  healthCheck?: HealthCheckSpec | null;
  healthyPanicThreshold?: number;
}

export function discoveryScenario(c: DiscoveryCase): Scenario {
  const load = { ...poissonLoad(c.ratePerS ?? 20), clients: c.clients ?? 12 };
  return scenario({
    services: [
      station({
        instances: c.instances ?? 8,
        concurrency: 16,
        serviceTime: "exp(2ms)",
        loadBalancer: { policy: "round-robin", slowStart: null },
        resilience: {
          retries: {
            attempts: 0,
            perTryTimeoutMs: null,
            retryOn: [],
            backoff: { baseMs: 25, maxMs: 250, jitter: "full" },
          },
          healthCheck: c.healthCheck ?? null,
          healthyPanicThreshold: c.healthyPanicThreshold ?? 50,
        },
      }),
    ],
    load: [load],
    durationMs: c.durationMs,
    seed: c.seed,
    faults: c.faults ?? [],
    registry: c.registry,
  });
}

export function runDiscovery(c: DiscoveryCase): RunResult {
  return runScenario(discoveryScenario(c));
}

/** A pod-kill of one named instance (`server-<index>`) at `atMs`, restarted after `restartAfterMs` or never. */
export function killAt(atMs: number, restartAfterMs: number | null = null): FaultSpec {
  return {
    name: "kill",
    kind: "pod-kill",
    atMs,
    target: { kind: "instances", service: "server", selection: { mode: "one" } },
    restartAfterMs,
  };
}

/** A pod-failure (a hung pod: running, answering nothing) of one instance. */
export function hangAt(atMs: number, durationMs: number | null = null): FaultSpec {
  return {
    name: "hang",
    kind: "pod-failure",
    atMs,
    target: { kind: "instances", service: "server", selection: { mode: "one" } },
    durationMs,
  };
}

/** Each client proxy's longest staleness of the server's view, ms. */
export function proxyStaleness(result: RunResult): number[] {
  const edge = result.discovery!.edges["load:customers->server"];
  return Object.values(edge.perProxy).map((p) => p.longestStaleMs);
}
