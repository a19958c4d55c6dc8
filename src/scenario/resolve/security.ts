// The `security:` section, the `authorizationPolicies:` list and the loads' `identity` after their
// schema (schema/security.ts) → a typed, defaulted SecuritySpec, with every cross-reference
// checked: the services named exist, policy names are unique, each path pattern matches some
// operation of the services its policy selects, and no principal is written with `spiffe://` (Istio
// adds the scheme itself, so such a principal never matches). A principal no workload has is
// allowed: a policy may name callers outside the scenario.
import { parseDistribution } from "../../kernel/distributionText.ts";
import {
  matchesPattern,
  type OperationMatch,
  operationPath,
  type SourceMatch,
} from "../../mesh/security/authorization.ts";
import {
  INGRESS_GATEWAY_NAMESPACE,
  INGRESS_GATEWAY_SERVICE_ACCOUNT,
  type WorkloadIdentity,
  workloadIdentity,
} from "../../mesh/security/identity.ts";
import type { AuthorizationPolicySpec, SecuritySpec } from "../../mesh/spec.ts";
import type { Finding, PathSegment } from "../path.ts";
import {
  HANDSHAKE_TIME,
  ISTIO_SECURITY,
  type RawAuthorizationPolicy,
  type RawLoadIdentity,
  type RawSecurity,
} from "../schema/security.ts";

/** What resolve needs of a service: its name and its operations' names. */
export interface SecurityServiceInfo {
  name: string;
  operations: readonly { name: string }[];
}

export interface ResolvedSecurity {
  /** Null when the file has neither `security:` nor `authorizationPolicies:`. */
  spec: SecuritySpec | null;
  findings: Finding[];
}

export function resolveSecurity(
  raw: RawSecurity | undefined,
  policies: readonly RawAuthorizationPolicy[] | undefined,
  services: readonly SecurityServiceInfo[],
  loadIdentities: readonly (RawLoadIdentity | undefined)[],
): ResolvedSecurity {
  const findings: Finding[] = [];
  if (raw === undefined && policies === undefined) return { spec: null, findings };
  const known = new Map(services.map((s) => [s.name, s]));
  const serviceList = [...known.keys()].sort().join(", ");
  const trustDomain = raw?.trustDomain ?? ISTIO_SECURITY.trustDomain;
  const meshMode = raw?.mtls ?? "PERMISSIVE";
  const own = raw?.services ?? {};
  for (const name of Object.keys(own)) {
    if (!known.has(name))
      findings.push({
        path: ["security", "services", name],
        at: "key",
        message: `there is no service \`${name}\`; services are: ${serviceList}`,
      });
  }
  const spec: SecuritySpec = {
    trustDomain,
    mtls: meshMode,
    handshakeTime: raw?.handshakeTime ?? parseDistribution(HANDSHAKE_TIME),
    services: services.map((s) => ({
      identity: workloadIdentity(
        trustDomain,
        own[s.name]?.namespace ?? ISTIO_SECURITY.namespace,
        own[s.name]?.serviceAccount ?? s.name,
      ),
      mtls: own[s.name]?.mtls ?? meshMode,
    })),
    loads: loadIdentities.map((identity) => loadIdentity(trustDomain, identity)),
    authorizationPolicies: (policies ?? []).map((policy, index) =>
      resolvePolicy(policy, index, known, serviceList, findings),
    ),
  };
  const names = new Map<string, number>();
  spec.authorizationPolicies.forEach((policy, index) => {
    const first = names.get(policy.name);
    if (first === undefined) names.set(policy.name, index);
    else
      findings.push({
        path: ["authorizationPolicies", index, "name"],
        at: "value",
        message: `policy name "${policy.name}" is already used by authorizationPolicies[${first}]`,
      });
  });
  return { spec, findings };
}

function loadIdentity(
  trustDomain: string,
  raw: RawLoadIdentity | undefined,
): WorkloadIdentity | null {
  if (raw === undefined || raw === "ingress-gateway")
    return workloadIdentity(
      trustDomain,
      INGRESS_GATEWAY_NAMESPACE,
      INGRESS_GATEWAY_SERVICE_ACCOUNT,
    );
  if (raw === "none") return null;
  return workloadIdentity(trustDomain, raw.namespace, raw.serviceAccount);
}

function resolvePolicy(
  raw: RawAuthorizationPolicy,
  index: number,
  known: ReadonlyMap<string, SecurityServiceInfo>,
  serviceList: string,
  findings: Finding[],
): AuthorizationPolicySpec {
  const path: PathSegment[] = ["authorizationPolicies", index];
  const service = raw.service ?? null;
  if (service !== null && !known.has(service)) {
    findings.push({
      path: [...path, "service"],
      at: "value",
      message: `there is no service \`${service}\`; services are: ${serviceList}`,
    });
  }
  // The paths a pattern can meet: the selected service's operations, or every service's.
  const selected =
    service === null ? [...known.values()] : known.has(service) ? [known.get(service)!] : [];
  const opPaths = [
    ...new Set(selected.flatMap((s) => s.operations.map((op) => operationPath(op.name)))),
  ].sort();
  const where = service === null ? "any service" : service;
  const rules = raw.rules.map((rule, r) => {
    const from = rule.from.map(({ source }, f): SourceMatch => {
      const at = [...path, "rules", r, "from", f, "source"];
      checkPrincipals(source.principals, [...at, "principals"], findings);
      checkPrincipals(source.notPrincipals, [...at, "notPrincipals"], findings);
      return {
        principals: source.principals ?? null,
        notPrincipals: source.notPrincipals ?? null,
        namespaces: source.namespaces ?? null,
        notNamespaces: source.notNamespaces ?? null,
      };
    });
    const to = rule.to.map(({ operation }, t): OperationMatch => {
      const at = [...path, "rules", r, "to", t, "operation"];
      if (selected.length > 0) {
        checkPaths(operation.paths, [...at, "paths"], opPaths, where, "matches", findings);
        checkPaths(operation.notPaths, [...at, "notPaths"], opPaths, where, "excludes", findings);
      }
      return { paths: operation.paths ?? null, notPaths: operation.notPaths ?? null };
    });
    return { from, to };
  });
  return { name: raw.name, service, action: raw.action, rules };
}

function checkPrincipals(
  principals: readonly string[] | undefined,
  path: PathSegment[],
  findings: Finding[],
): void {
  principals?.forEach((principal, k) => {
    if (principal.toLowerCase().startsWith("spiffe://")) {
      const message = `write principals without spiffe:// (Istio adds it), e.g. ${principal.slice("spiffe://".length)}; as written it never matches`;
      findings.push({ path: [...path, k], at: "value", message });
    }
  });
}

/** Each pattern must meet some operation's path `/<operation>`, or it is a typo that silently matches nothing. */
function checkPaths(
  patterns: readonly string[] | undefined,
  path: PathSegment[],
  opPaths: readonly string[],
  where: string,
  verb: "matches" | "excludes",
  findings: Finding[],
): void {
  patterns?.forEach((pattern, k) => {
    if (opPaths.some((p) => matchesPattern(pattern, p))) return;
    const hint =
      pattern.startsWith("/") || pattern.startsWith("*") ? "" : " (a path starts with /)";
    const message = `${verb} no operation of ${where}${hint}; request paths are /<operation>: ${opPaths.join(", ") || "(none)"}`;
    findings.push({ path: [...path, k], at: "value", message });
  });
}
