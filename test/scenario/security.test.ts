// The security part of the file: `security:` (Istio PeerAuthentication modes, identities, the
// handshake cost), `authorizationPolicies:` and a load's `identity`. Absent means not modelled;
// defaults are Istio's; mistakes are reported with file:line, the path and what was expected.
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { problemsOf as problemsOfText } from "../helpers/problems.ts";

function fileWith(extra: string, loadExtra = ""): string {
  return `version: 1
name: t
duration: 20s
services:
  front:
    operations:
      page: { serviceTime: exp(1ms), calls: [{ call: pay.charge }] }
  pay:
    operations:
      charge: { serviceTime: exp(1ms) }
      refund: { serviceTime: exp(1ms) }
load:
  - { name: shoppers, executor: constant-arrival-rate, rate: 1, target: front.page${loadExtra} }
  - { name: rogue, executor: constant-arrival-rate, rate: 1, target: pay.charge, identity: { serviceAccount: rogue } }
  - { name: batch, executor: constant-arrival-rate, rate: 1, target: pay.charge, identity: none }
${extra}`;
}

const problemsOf = (text: string): string[] => problemsOfText(text).map(formatProblem);

describe("the security section", () => {
  it("is not modelled (null) with neither `security:` nor `authorizationPolicies:`, whatever the loads' identities", () => {
    expect(parseScenario(fileWith(""), "s.yaml").security).toBeNull();
  });

  it("fills in Istio's defaults: PERMISSIVE, cluster.local, each service its own account in default, loads as the ingress gateway", () => {
    const security = parseScenario(fileWith("security: {}"), "s.yaml").security!;
    expect(security.mtls).toBe("PERMISSIVE");
    expect(security.trustDomain).toBe("cluster.local");
    expect(security.handshakeTime.mean).toBeCloseTo(2.5, 12);
    expect(security.services).toEqual([
      {
        identity: { principal: "cluster.local/ns/default/sa/front", namespace: "default" },
        mtls: "PERMISSIVE",
      },
      {
        identity: { principal: "cluster.local/ns/default/sa/pay", namespace: "default" },
        mtls: "PERMISSIVE",
      },
    ]);
    expect(security.loads).toEqual([
      {
        principal: "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account",
        namespace: "istio-system",
      },
      { principal: "cluster.local/ns/default/sa/rogue", namespace: "default" },
      null,
    ]);
    expect(security.authorizationPolicies).toEqual([]);
  });

  it("reads per-service modes and accounts, the trust domain and the handshake time", () => {
    const security = parseScenario(
      fileWith(`security:
  mtls: STRICT
  trustDomain: example.org
  handshakeTime: 0
  services:
    pay: { mtls: PERMISSIVE, serviceAccount: payments, namespace: billing }`),
      "s.yaml",
    ).security!;
    expect(security.services.map((s) => [s.identity.principal, s.mtls])).toEqual([
      ["example.org/ns/default/sa/front", "STRICT"],
      ["example.org/ns/billing/sa/payments", "PERMISSIVE"],
    ]);
    expect(security.handshakeTime.mean).toBe(0);
  });

  it("reads policies with Istio's defaults: ALLOW, no rules (allow nothing), from/to absent = any", () => {
    const security = parseScenario(
      fileWith(`authorizationPolicies:
  - { name: nothing, service: pay }
  - name: from-front
    service: pay
    rules:
      - from: [{ source: { principals: [cluster.local/ns/default/sa/front] } }]
        to: [{ operation: { paths: [/charge], notPaths: [/refund] } }]
  - { name: no-plaintext, action: DENY, rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }] }`),
      "s.yaml",
    ).security!;
    expect(security.mtls).toBe("PERMISSIVE");
    expect(security.authorizationPolicies).toEqual([
      { name: "nothing", service: "pay", action: "ALLOW", rules: [] },
      {
        name: "from-front",
        service: "pay",
        action: "ALLOW",
        rules: [
          {
            from: [
              {
                principals: ["cluster.local/ns/default/sa/front"],
                notPrincipals: null,
                namespaces: null,
                notNamespaces: null,
              },
            ],
            to: [{ paths: ["/charge"], notPaths: ["/refund"] }],
          },
        ],
      },
      {
        name: "no-plaintext",
        service: null,
        action: "DENY",
        rules: [
          {
            from: [
              { principals: null, notPrincipals: ["*"], namespaces: null, notNamespaces: null },
            ],
            to: [],
          },
        ],
      },
    ]);
  });

  it("reports unknown services, paths that match no operation, spiffe:// principals and duplicate names, each at its place", () => {
    const problems = problemsOf(
      fileWith(`security:
  services:
    payment: { mtls: STRICT }
authorizationPolicies:
  - name: a
    service: payment
  - name: b
    service: pay
    rules:
      - from: [{ source: { principals: [spiffe://cluster.local/ns/default/sa/front] } }]
        to: [{ operation: { paths: [/charge, /refnd, charge], notPaths: [/page] } }]
  - name: b
    rules: [{ to: [{ operation: { paths: ["/nothing*"] } }] }]`),
    );
    expect(problems).toEqual([
      "s.yaml:18:5: security.services.payment: there is no service `payment`; services are: front, pay",
      "s.yaml:21:14: authorizationPolicies[0].service: there is no service `payment`; services are: front, pay",
      "s.yaml:25:41: authorizationPolicies[1].rules[0].from[0].source.principals[0]: write principals without spiffe:// (Istio adds it), e.g. cluster.local/ns/default/sa/front; as written it never matches",
      "s.yaml:26:46: authorizationPolicies[1].rules[0].to[0].operation.paths[1]: matches no operation of pay; request paths are /<operation>: /charge, /refund",
      "s.yaml:26:54: authorizationPolicies[1].rules[0].to[0].operation.paths[2]: matches no operation of pay (a path starts with /); request paths are /<operation>: /charge, /refund",
      "s.yaml:26:74: authorizationPolicies[1].rules[0].to[0].operation.notPaths[0]: excludes no operation of pay; request paths are /<operation>: /charge, /refund",
      's.yaml:27:11: authorizationPolicies[2].name: policy name "b" is already used by authorizationPolicies[1]',
      "s.yaml:28:43: authorizationPolicies[2].rules[0].to[0].operation.paths[0]: matches no operation of any service; request paths are /<operation>: /charge, /page, /refund",
    ]);
  });

  it("reports bad shapes: a mode, an action, an empty source, an empty list, an unknown key, a load identity", () => {
    const problems = problemsOf(
      fileWith(
        `security: { mtls: strict }
authorizationPolicies:
  - name: a
    action: AUDIT
    rules:
      - from: [{ source: {} }]
        to: [{ operation: { paths: [] } }]
      - when: []`,
        ", identity: gateway",
      ),
    );
    expect(problems).toEqual([
      's.yaml:13:95: load[0].identity: expected ingress-gateway (the default), none (no sidecar: plaintext), or { serviceAccount, namespace }, found string "gateway"',
      's.yaml:16:19: security.mtls: expected STRICT, PERMISSIVE or DISABLE (Istio PeerAuthentication mtls.mode), found string "strict"',
      's.yaml:19:13: authorizationPolicies[0].action: expected ALLOW or DENY, found string "AUDIT"',
      "s.yaml:21:26: authorizationPolicies[0].rules[0].from[0].source: an empty source would match every request; give principals, notPrincipals, namespaces or notNamespaces, or leave `from` out",
      "s.yaml:22:36: authorizationPolicies[0].rules[0].to[0].operation.paths: needs at least one value",
      "s.yaml:23:9: authorizationPolicies[0].rules[1].when: `when` is not a field of a rule; expected one of: from, to",
    ]);
  });

  it("names the wrong field inside a load's identity map", () => {
    const problems = problemsOf(fileWith("security: {}", ", identity: { serviceAccount: 3 }"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^s\.yaml:13:\d+: load\[0\]\.identity: serviceAccount: expected a name of letters, digits, _ and -, found number 3$/,
    );
  });
});
