// The inbound sidecar's connection step, on runs small enough to work out by hand: the handshake
// a new mTLS connection adds (once per calling proxy and instance, shared by tries that arrive
// while it is being opened, paid again after the instance went down), plaintext refused by STRICT
// and DISABLE hiding the principal; and that a scenario with nothing to enforce costs nothing.
import { describe, expect, it } from "vitest";
import type { Distribution } from "../../../src/kernel/distribution.ts";
import { constant } from "../../../src/kernel/distributions.ts";
import {
  spiffeId,
  type WorkloadIdentity,
  workloadIdentity,
} from "../../../src/mesh/security/identity.ts";
import type { MtlsMode } from "../../../src/mesh/security/peerAuthentication.ts";
import { summarise } from "../../../src/run/result.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import { defaultResilience } from "../../../src/scenario/loader.ts";
import type {
  AuthorizationPolicySpec,
  LoadSpec,
  Scenario,
  SecuritySpec,
} from "../../../src/scenario/types.ts";
import { scenario, station } from "../../helpers/scenarios.ts";

const GATEWAY = workloadIdentity(
  "cluster.local",
  "istio-system",
  "istio-ingressgateway-service-account",
);

function security(o: {
  mtls?: MtlsMode;
  handshake?: Distribution;
  services?: number;
  loads?: (WorkloadIdentity | null)[];
  policies?: AuthorizationPolicySpec[];
}): SecuritySpec {
  const mtls = o.mtls ?? "PERMISSIVE";
  return {
    trustDomain: "cluster.local",
    mtls,
    handshakeTime: o.handshake ?? constant(0),
    services: Array.from({ length: o.services ?? 1 }, (_, i) => ({
      identity: workloadIdentity("cluster.local", "default", `s${i}`),
      mtls,
    })),
    loads: o.loads ?? [GATEWAY],
    authorizationPolicies: o.policies ?? [],
  };
}

/** Uniform arrivals every `everyMs` from one client, for `forMs`. */
function steady(everyMs: number, forMs: number, name = "customers"): LoadSpec {
  return {
    name,
    executor: "constant-arrival-rate",
    target: { service: "server", operation: "work" },
    startTimeMs: 0,
    durationMs: forMs,
    clients: 1,
    zone: null,
    keys: null,
    attributes: [],
    ratePerMs: 1 / everyMs,
    arrival: "uniform",
  };
}

/** Each request's end-to-end latency, in the order they finished. */
function latencies(s: Scenario): { latency: number[]; result: ReturnType<typeof summarise> } {
  const world = buildWorld(s);
  const latency: number[] = [];
  const finished = world.stats.finished.bind(world.stats);
  world.stats.finished = (request, status) => {
    latency.push(world.scheduler.now - request.scheduledAt);
    finished(request, status);
  };
  world.scheduler.run(s.durationMs);
  return { latency, result: summarise(world, "duration") };
}

const server = (instances: number) =>
  station({
    instances,
    concurrency: 100,
    serviceTime: constant(10),
    loadBalancer: { policy: "round-robin", slowStart: null },
  });

describe("mTLS connections", () => {
  it("the first request to each instance pays the handshake once; later ones reuse the connection", () => {
    const s = scenario({
      services: [server(2)],
      load: [steady(100, 1000)],
      durationMs: 2000,
      security: security({ handshake: constant(5) }),
    });
    const { latency, result } = latencies(s);
    expect(latency).toEqual([15, 15, 10, 10, 10, 10, 10, 10, 10, 10]);
    expect(result.security!.handshakes).toEqual({ count: 2, meanMs: 5 });
    expect(result.security!.edges["load:customers->server"]).toEqual({
      connection: "mtls",
      handshakes: 2,
      refused: 0,
      denied: 0,
    });
  });

  it("tries that reach an instance while its connection opens wait for the rest of the handshake", () => {
    // Requests at 0, 2, 4, 6 ms; the connection is ready at 5 ms, so they arrive at 5, 5, 5, 6.
    const s = scenario({
      services: [server(1)],
      load: [steady(2, 8)],
      durationMs: 100,
      security: security({ handshake: constant(5) }),
    });
    expect(latencies(s).latency).toEqual([15, 13, 11, 10]);
  });

  it("opens a new connection after the instance was killed and restarted", () => {
    const noRetries = { retries: { ...defaultResilience().retries, attempts: 0 } };
    const s = scenario({
      services: [station({ concurrency: 100, serviceTime: constant(10), resilience: noRetries })],
      load: [steady(100, 3000)],
      durationMs: 4000,
      security: security({ handshake: constant(5) }),
      faults: [
        {
          name: "kill",
          kind: "pod-kill",
          atMs: 1050,
          target: { kind: "instances", service: "server", selection: { mode: "all" } },
          restartAfterMs: 500,
        },
      ],
    });
    const { latency, result } = latencies(s);
    expect(result.security!.handshakes.count).toBe(2);
    // Requests at 1100 ... 1500 ms find it dead (connect failures); it is back at 1550 ms, and the request at 1600 ms pays again.
    expect(result.load.customers.failures).toEqual({ "503": 5 });
    expect(latency.filter((ms) => ms === 15)).toHaveLength(2);
    expect(latency.indexOf(15, 1)).toBe(16); // the request sent at 1600 ms
  });

  it("DISABLE sends plaintext, so no handshake, and a principal rule can no longer allow", () => {
    const allowGateway: AuthorizationPolicySpec = {
      name: "from-gateway",
      service: "server",
      action: "ALLOW",
      rules: [
        {
          from: [
            {
              principals: [GATEWAY.principal],
              notPrincipals: null,
              namespaces: null,
              notNamespaces: null,
            },
          ],
          to: [],
        },
      ],
    };
    const run = (mtls: MtlsMode) =>
      runScenario(
        scenario({
          services: [server(1)],
          load: [steady(100, 1000)],
          durationMs: 2000,
          security: security({ mtls, handshake: constant(5), policies: [allowGateway] }),
        }),
      );
    const permissive = run("PERMISSIVE");
    expect(permissive.load.customers.failed).toBe(0);
    const disabled = run("DISABLE");
    expect(disabled.security!.handshakes.count).toBe(0);
    expect(disabled.security!.edges["load:customers->server"].connection).toBe("plaintext");
    expect(disabled.load.customers.failures).toEqual({ "403": disabled.load.customers.offered });
    expect(disabled.security!.policies[0].denied).toBe(disabled.load.customers.offered);
  });

  it("STRICT refuses a caller without a sidecar: each try is a 503 connect failure, and Istio's default retries try twice more", () => {
    const s = scenario({
      services: [server(1)],
      load: [steady(100, 1000)],
      durationMs: 2000,
      security: security({ mtls: "STRICT", loads: [null] }),
    });
    const result = runScenario(s);
    const offered = result.load.customers.offered;
    expect(result.load.customers.failures).toEqual({ "503": offered });
    expect(result.security!.edges["load:customers->server"]).toEqual({
      connection: "refused",
      handshakes: 0,
      refused: 3 * offered,
      denied: 0,
    });
    expect(result.edges["load:customers->server"].proxy.connectFailures).toBe(3 * offered);
    expect(result.services.server.requests).toBe(0);
    expect(result.security!.identities).toEqual({
      server: spiffeId("cluster.local/ns/default/sa/s0"),
      "load:customers": null,
    });
  });
});

describe("security that enforces nothing", () => {
  it("installs no inbound step (a null check per call) and changes nothing but the result's security field", () => {
    const base = scenario({
      services: [server(3)],
      load: [steady(7, 5000)],
      durationMs: 6000,
      latency: constant(0.3),
    });
    const secured = { ...base, security: security({ handshake: constant(0) }) };
    expect(buildWorld(secured).services[0].instances.every((i) => i.security === null)).toBe(true);
    const { security: plainSecurity, ...plain } = runScenario(base);
    const { security: withSecurity, ...secure } = runScenario(secured);
    expect(plainSecurity).toBeNull();
    expect(withSecurity).not.toBeNull();
    expect(secure).toEqual(plain);
  });
});
