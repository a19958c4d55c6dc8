// The Istio AuthorizationPolicy evaluator: the examples of Istio's AuthorizationPolicy reference
// and security concept pages (methods, which meshsim requests lack, turned into paths), then a
// property over random policies and requests against a reference written here from Istio's
// documented order, matching strings the way Istio's generated Envoy matchers do (regexes).

import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type AuthorizationPolicy,
  type AuthorizationRequest,
  evaluateAuthorization,
  matchesPattern,
  type OperationMatch,
  ruleMatches,
  type SourceMatch,
} from "../../../src/mesh/security/authorization.ts";

const SLEEP = "cluster.local/ns/default/sa/sleep";
const DEV_APP = "cluster.local/ns/dev/sa/app";

const src = (s: Partial<SourceMatch>): SourceMatch => ({
  principals: null,
  notPrincipals: null,
  namespaces: null,
  notNamespaces: null,
  ...s,
});
const op = (o: Partial<OperationMatch>): OperationMatch => ({ paths: null, notPaths: null, ...o });
const mtls = (principal: string, path: string): AuthorizationRequest => ({
  principal,
  namespace: principal.split("/")[2],
  path,
});
const plaintext = (path: string): AuthorizationRequest => ({
  principal: null,
  namespace: null,
  path,
});

describe("Istio string matching", () => {
  it("matches exact, prefix*, *suffix and * (present) as Istio's value matching documents", () => {
    expect(matchesPattern("/test/abc", "/test/abc")).toBe(true);
    expect(matchesPattern("/test/abc", "/test/abcd")).toBe(false);
    expect(matchesPattern("/test/*", "/test/a/b")).toBe(true);
    expect(matchesPattern("/test/*", "/tes")).toBe(false);
    expect(matchesPattern("*/test", "/a/test")).toBe(true);
    expect(matchesPattern("*/test", "/test/a")).toBe(false);
    expect(matchesPattern("*", "anything")).toBe(true);
    expect(matchesPattern("*", "")).toBe(false);
  });

  it("reads a leading * first, as Istio does: *abc* is the suffix abc*", () => {
    expect(matchesPattern("*abc*", "xabc*")).toBe(true);
    expect(matchesPattern("*abc*", "xabcx")).toBe(false);
  });
});

describe("evaluateAuthorization, Istio's examples", () => {
  // "allow-read": requests from the sleep service account or from the dev namespace may read.
  const allowRead: AuthorizationPolicy = {
    name: "allow-read",
    action: "ALLOW",
    rules: [
      {
        from: [{ ...src({ principals: [SLEEP] }) }, src({ namespaces: ["dev"] })],
        to: [op({ paths: ["/info*"] })],
      },
    ],
  };

  it("ALLOW: any `from` source and any `to` operation of a rule", () => {
    expect(evaluateAuthorization([allowRead], mtls(SLEEP, "/info"))).toEqual({
      allowed: true,
      reason: "allow",
      policy: 0,
    });
    expect(evaluateAuthorization([allowRead], mtls(DEV_APP, "/info/detail")).allowed).toBe(true);
    expect(
      evaluateAuthorization([allowRead], mtls("cluster.local/ns/prod/sa/app", "/info")),
    ).toEqual({ allowed: false, reason: "no-allow-match", policy: -1 });
    expect(evaluateAuthorization([allowRead], mtls(SLEEP, "/delete")).allowed).toBe(false);
  });

  it("principals and namespaces need mTLS: a plaintext request matches neither", () => {
    expect(evaluateAuthorization([allowRead], plaintext("/info")).allowed).toBe(false);
  });

  // "deny-method-post" in the dev namespace's example: requests from dev may not write.
  const denyWrite: AuthorizationPolicy = {
    name: "deny-write",
    action: "DENY",
    rules: [{ from: [src({ namespaces: ["dev"] })], to: [op({ paths: ["/write"] })] }],
  };

  it("DENY first: a matching DENY policy wins over a matching ALLOW policy", () => {
    const allowAll: AuthorizationPolicy = {
      name: "allow-all",
      action: "ALLOW",
      rules: [{ from: [], to: [] }],
    };
    expect(evaluateAuthorization([allowAll, denyWrite], mtls(DEV_APP, "/write"))).toEqual({
      allowed: false,
      reason: "deny",
      policy: 1,
    });
    expect(evaluateAuthorization([allowAll, denyWrite], mtls(DEV_APP, "/read"))).toEqual({
      allowed: true,
      reason: "allow",
      policy: 0,
    });
  });

  it("a workload with only DENY policies allows whatever they do not match", () => {
    expect(evaluateAuthorization([denyWrite], mtls(SLEEP, "/write"))).toEqual({
      allowed: true,
      reason: "no-allow-policy",
      policy: -1,
    });
    expect(evaluateAuthorization([], plaintext("/anything"))).toEqual({
      allowed: true,
      reason: "no-allow-policy",
      policy: -1,
    });
  });

  it("allow-nothing (spec: {}) denies every request; allow-all (rules: [{}]) allows every one", () => {
    const allowNothing: AuthorizationPolicy = { name: "allow-nothing", action: "ALLOW", rules: [] };
    const allowAll: AuthorizationPolicy = {
      name: "allow-all",
      action: "ALLOW",
      rules: [{ from: [], to: [] }],
    };
    for (const request of [mtls(SLEEP, "/info"), plaintext("/")]) {
      expect(evaluateAuthorization([allowNothing], request).allowed).toBe(false);
      expect(evaluateAuthorization([allowAll], request).allowed).toBe(true);
      expect(evaluateAuthorization([allowNothing, allowAll], request).allowed).toBe(true);
    }
  });

  it("deny-all (DENY with rules: [{}]) denies everything, even where an ALLOW policy matches", () => {
    const denyAll: AuthorizationPolicy = {
      name: "deny-all",
      action: "DENY",
      rules: [{ from: [], to: [] }],
    };
    const allowAll: AuthorizationPolicy = {
      name: "allow-all",
      action: "ALLOW",
      rules: [{ from: [], to: [] }],
    };
    expect(evaluateAuthorization([allowAll, denyAll], mtls(SLEEP, "/info"))).toEqual({
      allowed: false,
      reason: "deny",
      policy: 1,
    });
    // A DENY policy without rules matches nothing.
    expect(
      evaluateAuthorization([{ name: "deny-none", action: "DENY", rules: [] }], plaintext("/"))
        .allowed,
    ).toBe(true);
  });

  it("notPrincipals: ['*'] is the documented way to deny plaintext callers (they have no principal)", () => {
    const denyPlaintext: AuthorizationPolicy = {
      name: "require-mtls",
      action: "DENY",
      rules: [{ from: [src({ notPrincipals: ["*"] })], to: [] }],
    };
    expect(evaluateAuthorization([denyPlaintext], plaintext("/info")).allowed).toBe(false);
    expect(evaluateAuthorization([denyPlaintext], mtls(SLEEP, "/info")).allowed).toBe(true);
  });

  it("exclusion: notPaths lets every path but the listed ones match", () => {
    // Istio's concept page: deny requests without a principal, except to /healthz.
    const policy: AuthorizationPolicy = {
      name: "deny-plaintext-but-healthz",
      action: "DENY",
      rules: [{ from: [src({ notPrincipals: ["*"] })], to: [op({ notPaths: ["/healthz"] })] }],
    };
    expect(evaluateAuthorization([policy], plaintext("/healthz")).allowed).toBe(true);
    expect(evaluateAuthorization([policy], plaintext("/info")).allowed).toBe(false);
    expect(evaluateAuthorization([policy], mtls(SLEEP, "/info")).allowed).toBe(true);
  });

  it("a source's fields must all hold: principals AND notNamespaces", () => {
    const policy: AuthorizationPolicy = {
      name: "team",
      action: "ALLOW",
      rules: [
        { from: [src({ principals: ["cluster.local/ns/*"], notNamespaces: ["dev"] })], to: [] },
      ],
    };
    expect(evaluateAuthorization([policy], mtls(SLEEP, "/")).allowed).toBe(true);
    expect(evaluateAuthorization([policy], mtls(DEV_APP, "/")).allowed).toBe(false);
  });

  it("reports the first matching DENY policy, and the first matching ALLOW policy", () => {
    const deny = (name: string): AuthorizationPolicy => ({
      name,
      action: "DENY",
      rules: [{ from: [], to: [op({ paths: ["/x"] })] }],
    });
    const allow = (name: string): AuthorizationPolicy => ({
      name,
      action: "ALLOW",
      rules: [{ from: [], to: [] }],
    });
    expect(
      evaluateAuthorization([allow("a1"), deny("d1"), allow("a2"), deny("d2")], plaintext("/x"))
        .policy,
    ).toBe(1);
    expect(
      evaluateAuthorization([deny("d1"), allow("a1"), allow("a2")], plaintext("/y")).policy,
    ).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// The reference: Istio's documented order, written independently, with values matched by the
// regular expressions Istio's StringMatcher translation amounts to.

function regexOf(pattern: string): RegExp {
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  if (pattern === "*") return /^.+$/s;
  if (pattern.startsWith("*")) return new RegExp(`^.*${quote(pattern.slice(1))}$`, "s");
  if (pattern.endsWith("*")) return new RegExp(`^${quote(pattern.slice(0, -1))}.*$`, "s");
  return new RegExp(`^${quote(pattern)}$`, "s");
}

/** Envoy RBAC semantics: an `ids` list is OR, a source is AND of its fields, `not_id` negates. */
function referenceDecision(
  policies: AuthorizationPolicy[],
  request: AuthorizationRequest,
): { allowed: boolean; policy: number } {
  const orOf = (patterns: readonly string[], value: string | null) =>
    value !== null && patterns.some((p) => regexOf(p).test(value));
  const checks = (s: SourceMatch) => [
    s.principals === null || orOf(s.principals, request.principal),
    s.notPrincipals === null || !orOf(s.notPrincipals, request.principal),
    s.namespaces === null || orOf(s.namespaces, request.namespace),
    s.notNamespaces === null || !orOf(s.notNamespaces, request.namespace),
  ];
  const opChecks = (o: OperationMatch) => [
    o.paths === null || orOf(o.paths, request.path),
    o.notPaths === null || !orOf(o.notPaths, request.path),
  ];
  const matched = policies.map((p) =>
    p.rules.some(
      (r) =>
        (r.from.length === 0 ? true : r.from.some((s) => checks(s).every(Boolean))) &&
        (r.to.length === 0 ? true : r.to.some((o) => opChecks(o).every(Boolean))),
    ),
  );
  const firstDeny = policies.findIndex((p, i) => p.action === "DENY" && matched[i]);
  if (firstDeny >= 0) return { allowed: false, policy: firstDeny };
  if (!policies.some((p) => p.action === "ALLOW")) return { allowed: true, policy: -1 };
  const firstAllow = policies.findIndex((p, i) => p.action === "ALLOW" && matched[i]);
  return { allowed: firstAllow >= 0, policy: firstAllow };
}

const PRINCIPALS = [
  "cluster.local/ns/default/sa/a",
  "cluster.local/ns/default/sa/b",
  "cluster.local/ns/dev/sa/a",
  "other.org/ns/default/sa/a",
];
const NAMESPACES = ["default", "dev", "istio-system"];
const PATHS = ["/a", "/ab", "/b", "/ba", "/"];

const principalPattern = fc.oneof(
  fc.constantFrom(...PRINCIPALS),
  fc.constantFrom("*", "cluster.local/*", "*/sa/a", "*sa/b", "cluster.local/ns/dev/*", "x*"),
);
const namespacePattern = fc.oneof(
  fc.constantFrom(...NAMESPACES),
  fc.constantFrom("*", "de*", "*t"),
);
const pathPattern = fc.oneof(
  fc.constantFrom(...PATHS),
  fc.constantFrom("*", "/a*", "*b", "/*", "*a"),
);
const maybeList = <T>(item: fc.Arbitrary<T>) =>
  fc.option(fc.array(item, { minLength: 1, maxLength: 3 }), { nil: null });

const sourceArb: fc.Arbitrary<SourceMatch> = fc.record({
  principals: maybeList(principalPattern),
  notPrincipals: maybeList(principalPattern),
  namespaces: maybeList(namespacePattern),
  notNamespaces: maybeList(namespacePattern),
});
const operationArb: fc.Arbitrary<OperationMatch> = fc.record({
  paths: maybeList(pathPattern),
  notPaths: maybeList(pathPattern),
});
const policyArb: fc.Arbitrary<AuthorizationPolicy> = fc.record({
  name: fc.constant("p"),
  action: fc.constantFrom("ALLOW" as const, "DENY" as const),
  rules: fc.array(
    fc.record({
      from: fc.array(sourceArb, { maxLength: 2 }),
      to: fc.array(operationArb, { maxLength: 2 }),
    }),
    { maxLength: 3 },
  ),
});
const requestArb: fc.Arbitrary<AuthorizationRequest> = fc.oneof(
  fc
    .record({ principal: fc.constantFrom(...PRINCIPALS), path: fc.constantFrom(...PATHS) })
    .map(({ principal, path }) => mtls(principal, path)),
  fc.constantFrom(...PATHS).map(plaintext),
);

describe("evaluateAuthorization against the reference", () => {
  fcTest.prop(
    [fc.array(policyArb, { maxLength: 5 }), fc.array(requestArb, { minLength: 1, maxLength: 10 })],
    { numRuns: 2000 },
  )(
    "decides every request as Istio's order does: DENY, then no ALLOW policy, then any ALLOW match",
    (policies, requests) => {
      for (const request of requests) {
        const decision = evaluateAuthorization(policies, request);
        const expected = referenceDecision(policies, request);
        expect({ allowed: decision.allowed, policy: decision.policy }).toEqual(expected);
      }
    },
  );

  fcTest.prop([fc.array(policyArb, { maxLength: 5 }), fc.constantFrom(...PATHS)], { numRuns: 500 })(
    "a plaintext request is never matched by a source that names principals or namespaces",
    (policies, path) => {
      const request = plaintext(path);
      for (const policy of policies) {
        for (const rule of policy.rules.filter((r) => ruleMatches(r, request))) {
          expect(
            rule.from.length === 0 ||
              rule.from.some((s) => s.principals === null && s.namespaces === null),
          ).toBe(true);
        }
      }
    },
  );
});
