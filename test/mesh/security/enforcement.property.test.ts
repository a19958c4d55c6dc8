// Whole runs of random small meshes with random security: services with one or two operations
// calling later services, loads with every kind of identity (the ingress gateway, a workload of
// their own, no sidecar), a random mTLS mode per service, random authorization policies and
// handshake costs. Every try the proxies send is followed to its end and checked against what
// Istio would do, worked out here: the connection from the caller's sidecar (or its absence) and
// the service's mode, then the pure evaluator on the principal that connection carries.

import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { constant, exponential } from "../../../src/kernel/distributions.ts";
import {
  type AuthorizationAction,
  type AuthorizationRule,
  evaluateAuthorization,
} from "../../../src/mesh/security/authorization.ts";
import { type WorkloadIdentity, workloadIdentity } from "../../../src/mesh/security/identity.ts";
import type { MtlsMode } from "../../../src/mesh/security/peerAuthentication.ts";
import { type Call, Reason } from "../../../src/model/call.ts";
import type { RunResult } from "../../../src/result/run.ts";
import { summarise } from "../../../src/run/result.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import type {
  AuthorizationPolicySpec,
  LoadSpec,
  Scenario,
  SecuritySpec,
  ServiceSpec,
} from "../../../src/scenario/types.ts";
import { scenario, station } from "../../helpers/scenarios.ts";

const TD = "cluster.local";
const OPS = ["a", "b"] as const;
const IDENTITIES = ["gateway", "none", "x", "y"] as const;

interface ServiceCase {
  ops: number; // 1 or 2 operations: a, b
  instances: number;
  mode: MtlsMode;
  calls: { op: number; to: number; toOp: number }[];
}

interface Case {
  seed: number;
  services: ServiceCase[];
  loads: { service: number; op: number; identity: (typeof IDENTITIES)[number] }[];
  policies: { service: number | null; action: AuthorizationAction; rules: AuthorizationRule[] }[];
  handshake: "none" | "constant" | "exp";
  latency: boolean;
}

const principalPattern = fc.constantFrom(
  `${TD}/ns/default/sa/s0`,
  `${TD}/ns/default/sa/s1`,
  `${TD}/ns/default/sa/s2`,
  `${TD}/ns/default/sa/x`,
  `${TD}/ns/istio-system/sa/istio-ingressgateway-service-account`,
  `${TD}/ns/default/*`,
  "*sa/y",
  "*",
);
const list = <T>(item: fc.Arbitrary<T>) =>
  fc.option(fc.array(item, { minLength: 1, maxLength: 2 }), { nil: null });
const rule: fc.Arbitrary<AuthorizationRule> = fc.record({
  from: fc.array(
    fc.record({
      principals: list(principalPattern),
      notPrincipals: list(principalPattern),
      namespaces: list(fc.constantFrom("default", "istio-system", "*")),
      notNamespaces: list(fc.constantFrom("default", "istio-system")),
    }),
    { maxLength: 2 },
  ),
  to: fc.array(
    fc.record({
      paths: list(fc.constantFrom("/a", "/b", "/a*", "*b", "*")),
      notPaths: list(fc.constantFrom("/a", "/b")),
    }),
    { maxLength: 2 },
  ),
});

const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 2, max: 4 }).chain((n) =>
  fc.record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    services: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          ops: fc.integer({ min: 1, max: 2 }),
          instances: fc.integer({ min: 1, max: 2 }),
          mode: fc.constantFrom<MtlsMode>("STRICT", "PERMISSIVE", "DISABLE"),
          calls:
            i === n - 1
              ? fc.constant<{ op: number; to: number; toOp: number }[]>([])
              : fc.array(
                  fc.record({
                    op: fc.integer({ min: 0, max: 1 }),
                    to: fc.integer({ min: i + 1, max: n - 1 }),
                    toOp: fc.integer({ min: 0, max: 1 }),
                  }),
                  { maxLength: 3 },
                ),
        }),
      ),
    ),
    loads: fc.array(
      fc.record({
        service: fc.integer({ min: 0, max: n - 1 }),
        op: fc.integer({ min: 0, max: 1 }),
        identity: fc.constantFrom(...IDENTITIES),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    policies: fc.array(
      fc.record({
        service: fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: null }),
        action: fc.constantFrom<AuthorizationAction>("ALLOW", "DENY"),
        rules: fc.array(rule, { maxLength: 2 }),
      }),
      { maxLength: 4 },
    ),
    handshake: fc.constantFrom("none" as const, "constant" as const, "exp" as const),
    latency: fc.boolean(),
  }),
);

const opOf = (svc: ServiceCase, op: number) => OPS[Math.min(op, svc.ops - 1)];

function toScenario(c: Case): Scenario {
  const services: ServiceSpec[] = c.services.map((svc, i) => {
    const base = station({
      name: `s${i}`,
      instances: svc.instances,
      concurrency: 1000,
      serviceTime: constant(1),
    });
    const operations = OPS.slice(0, svc.ops).map((name, k) => ({
      name,
      serviceTime: constant(1),
      errorRate: 0,
      onCancel: "finish" as const,
      commitPoint: 1,
      calls: svc.calls
        .filter((call) => Math.min(call.op, svc.ops - 1) === k)
        .map((call) => ({
          kind: "call" as const,
          target: { service: `s${call.to}`, operation: opOf(c.services[call.to], call.toOp) },
          probability: 1,
        })),
    }));
    return { ...base, operations };
  });
  const loads: LoadSpec[] = c.loads.map((l, k) => ({
    name: `l${k}`,
    executor: "constant-arrival-rate",
    target: { service: `s${l.service}`, operation: opOf(c.services[l.service], l.op) },
    startTimeMs: 0,
    durationMs: 400,
    clients: 2,
    zone: null,
    keys: null,
    attributes: [],
    ratePerMs: 0.05,
    arrival: "poisson",
  }));
  const identityOf = (id: (typeof IDENTITIES)[number]): WorkloadIdentity | null =>
    id === "none"
      ? null
      : id === "gateway"
        ? workloadIdentity(TD, "istio-system", "istio-ingressgateway-service-account")
        : workloadIdentity(TD, "default", id);
  const security: SecuritySpec = {
    trustDomain: TD,
    mtls: "PERMISSIVE",
    handshakeTime:
      c.handshake === "none"
        ? constant(0)
        : c.handshake === "constant"
          ? constant(1)
          : exponential(1),
    services: c.services.map((svc, i) => ({
      identity: workloadIdentity(TD, "default", `s${i}`),
      mtls: svc.mode,
    })),
    loads: c.loads.map((l) => identityOf(l.identity)),
    authorizationPolicies: c.policies.map(
      (p, k): AuthorizationPolicySpec => ({
        name: `p${k}`,
        service: p.service === null ? null : `s${p.service}`,
        action: p.action,
        rules: p.rules,
      }),
    ),
  };
  return scenario({
    services,
    load: loads,
    durationMs: 5000,
    seed: c.seed,
    latency: constant(c.latency ? 0.2 : 0),
    security,
  });
}

type Outcome = "refused" | "denied" | "allowed";

interface Followed {
  scenario: Scenario;
  result: RunResult;
  /** Every try sent: its edge, what Istio would do with it, and the policies a denial is counted on. */
  tries: {
    call: Call;
    edge: string;
    expected: Outcome;
    plaintextToStrict: boolean;
    policies: number[];
  }[];
  rejected403: Set<Call>;
  started: Set<Call>;
}

function follow(c: Case): Followed {
  const s = toScenario(c);
  const spec = s.security!;
  // Watched (by a watcher that does nothing), so no sidecar makes a call again: the sets below keep calls.
  const world = buildWorld(s, s.seed, {});
  const stats = world.stats;
  const callers: (WorkloadIdentity | null)[] = [
    ...spec.services.map((x) => x.identity),
    ...spec.loads,
  ];
  const names = [...s.services.map((x) => x.name), ...s.load.map((l) => `load:${l.name}`)];
  const tries: Followed["tries"] = [];
  const rejected403 = new Set<Call>();
  const started = new Set<Call>();
  const callSent = stats.callSent.bind(stats);
  stats.callSent = (source, call, instance) => {
    const target = instance.service.index;
    const mode = spec.services[target].mtls;
    const caller = callers[source.index];
    // Istio: auto mTLS from a sidecar unless the workload disables it; STRICT closes plaintext.
    const mtls = caller !== null && mode !== "DISABLE";
    const applicable = spec.authorizationPolicies.flatMap((p, k) =>
      p.service === null || p.service === instance.service.name ? [k] : [],
    );
    const peer = mtls ? caller : null;
    const decision = evaluateAuthorization(
      applicable.map((k) => spec.authorizationPolicies[k]),
      {
        principal: peer?.principal ?? null,
        namespace: peer?.namespace ?? null,
        path: `/${call.operation.name}`,
      },
    );
    const expected: Outcome =
      !mtls && mode === "STRICT" ? "refused" : decision.allowed ? "allowed" : "denied";
    const policies =
      expected !== "denied"
        ? []
        : decision.reason === "deny"
          ? [applicable[decision.policy]]
          : applicable.filter((k) => spec.authorizationPolicies[k].action === "ALLOW");
    tries.push({
      call,
      edge: `${names[source.index]}->${instance.service.name}`,
      expected,
      plaintextToStrict: !mtls && mode === "STRICT",
      policies,
    });
    callSent(source, call, instance);
  };
  const callRejected = stats.callRejected.bind(stats);
  stats.callRejected = (call, status) => {
    if (status === 403) rejected403.add(call);
    callRejected(call, status);
  };
  const callStarted = stats.callStarted.bind(stats);
  stats.callStarted = (call, waitMs) => {
    started.add(call);
    callStarted(call, waitMs);
  };
  world.scheduler.run(s.durationMs);
  return { scenario: s, result: summarise(world, "duration"), tries, rejected403, started };
}

describe("security enforced in whole runs", () => {
  fcTest.prop([caseArb], { numRuns: 80 })(
    "every try ends as Istio would decide it: refused, denied with 403 by the right policies, or served",
    (c) => {
      const { result, tries, rejected403, started } = follow(c);
      expect(tries.length).toBeGreaterThan(0);
      const count = (edge: string, outcome: Outcome) =>
        tries.filter((t) => t.edge === edge && t.expected === outcome).length;
      for (const t of tries) {
        const outcome: Outcome = rejected403.has(t.call)
          ? "denied"
          : started.has(t.call)
            ? "allowed"
            : t.call.answerReason === Reason.connectFailure
              ? "refused"
              : ("lost" as Outcome);
        expect({ edge: t.edge, outcome }).toEqual({ edge: t.edge, outcome: t.expected });
      }
      const security = result.security!;
      for (const edge of new Set(tries.map((t) => t.edge))) {
        expect({
          edge,
          refused: security.edges[edge].refused,
          denied: security.edges[edge].denied,
        }).toEqual({ edge, refused: count(edge, "refused"), denied: count(edge, "denied") });
      }
      security.policies.forEach((policy, k) => {
        const expected: Record<string, number> = {};
        for (const t of tries)
          if (t.policies.includes(k)) expected[t.edge] = (expected[t.edge] ?? 0) + 1;
        expect({ policy: policy.name, byEdge: policy.byEdge }).toEqual({
          policy: policy.name,
          byEdge: expected,
        });
      });
      for (const load of Object.values(result.load)) expect(load.inFlight).toBe(0);
    },
  );

  fcTest.prop(
    [
      caseArb.map((c) => ({
        ...c,
        services: c.services.map((s) => ({ ...s, mode: "STRICT" as MtlsMode })),
      })),
    ],
    { numRuns: 60 },
  )(
    "with STRICT mTLS no plaintext try is ever served, and a load without a sidecar completes nothing",
    (c) => {
      const { scenario: s, result, tries, started } = follow(c);
      for (const t of tries) if (t.plaintextToStrict) expect(started.has(t.call)).toBe(false);
      s.load.forEach((load, k) => {
        if (s.security!.loads[k] === null) expect(result.load[load.name].completed).toBe(0);
      });
    },
  );
});
