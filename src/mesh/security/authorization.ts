// Istio AuthorizationPolicy (security/v1beta1), evaluated as the RBAC filter of a workload's
// inbound sidecar does: DENY policies first (any match denies); then, when the workload has no
// ALLOW policy, allow; else allow exactly when some ALLOW policy matches. A policy matches when one
// of its rules does; a rule when one of its `from` sources and one of its `to` operations match (an
// absent `from` or `to` matches every request, so `rules: [{}]` matches all); an ALLOW policy with
// no rules matches nothing, so it denies everything (Istio's "allow-nothing", `spec: {}`). Strings
// match as Istio's: exact, `prefix*`, `*suffix`, and `*` (any non-empty value). Principals and
// namespaces come from the peer's certificate, so a plaintext request matches no `principals` or
// `namespaces` and every `notPrincipals` or `notNamespaces`. A pure function of its arguments, usable
// outside the simulator. Left out: CUSTOM and AUDIT, `when`, requestPrincipals (JWT), hosts, ports
// and methods (a meshsim request has a path, `/<operation>`, and nothing else to match).

import type { AuthorizationAction } from "../../result/security.ts";

export type { AuthorizationAction } from "../../result/security.ts";

/** `from[].source`: each field given must match (AND); a list matches when any entry does (OR). */
export interface SourceMatch {
  /** Peer principals, `<trust domain>/ns/<namespace>/sa/<service account>`, or null (any). */
  principals: readonly string[] | null;
  notPrincipals: readonly string[] | null;
  /** Peer namespaces, or null (any). */
  namespaces: readonly string[] | null;
  notNamespaces: readonly string[] | null;
}

/** `to[].operation`: request paths, `/<operation>` in meshsim. */
export interface OperationMatch {
  paths: readonly string[] | null;
  notPaths: readonly string[] | null;
}

export interface AuthorizationRule {
  /** Any one must match; empty: every source. */
  from: readonly SourceMatch[];
  /** Any one must match; empty: every operation. */
  to: readonly OperationMatch[];
}

/** The part of an AuthorizationPolicy the evaluator reads; which workloads it selects is the caller's concern. */
export interface AuthorizationPolicy {
  name: string;
  action: AuthorizationAction;
  rules: readonly AuthorizationRule[];
}

export interface AuthorizationRequest {
  /** The peer principal from the mTLS certificate, or null for a plaintext request. */
  principal: string | null;
  /** The peer's namespace (from the same certificate), or null for a plaintext request. */
  namespace: string | null;
  /** The request path, e.g. `/charge`. */
  path: string;
}

/**
 * Why a request was allowed or denied: `deny` (DENY policy `policy` matched, the first in order),
 * `no-allow-match` (the workload has ALLOW policies and none matched), `allow` (ALLOW policy
 * `policy` matched, the first in order), `no-allow-policy` (nothing applies, so allow). `policy`
 * indexes the list given to `evaluateAuthorization`; -1 when no single policy decided.
 */
export interface AuthorizationDecision {
  allowed: boolean;
  reason: "deny" | "no-allow-match" | "allow" | "no-allow-policy";
  policy: number;
}

/** Istio's string match: `*` any non-empty value, `*abc` suffix, `abc*` prefix, else exact (checked in that order). */
export function matchesPattern(pattern: string, value: string): boolean {
  if (pattern === "*") return value !== "";
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

/** Whether any pattern matches `value`; an absent value (plaintext: no principal) matches none. */
function anyMatches(patterns: readonly string[], value: string | null): boolean {
  if (value === null) return false;
  for (const pattern of patterns) if (matchesPattern(pattern, value)) return true;
  return false;
}

export function sourceMatches(source: SourceMatch, request: AuthorizationRequest): boolean {
  if (source.principals !== null && !anyMatches(source.principals, request.principal)) return false;
  if (source.notPrincipals !== null && anyMatches(source.notPrincipals, request.principal))
    return false;
  if (source.namespaces !== null && !anyMatches(source.namespaces, request.namespace)) return false;
  if (source.notNamespaces !== null && anyMatches(source.notNamespaces, request.namespace))
    return false;
  return true;
}

export function operationMatches(
  operation: OperationMatch,
  request: AuthorizationRequest,
): boolean {
  if (operation.paths !== null && !anyMatches(operation.paths, request.path)) return false;
  if (operation.notPaths !== null && anyMatches(operation.notPaths, request.path)) return false;
  return true;
}

export function ruleMatches(rule: AuthorizationRule, request: AuthorizationRequest): boolean {
  return (
    (rule.from.length === 0 || rule.from.some((source) => sourceMatches(source, request))) &&
    (rule.to.length === 0 || rule.to.some((operation) => operationMatches(operation, request)))
  );
}

/** A policy matches when at least one of its rules does (so a policy without rules never matches). */
export function policyMatches(policy: AuthorizationPolicy, request: AuthorizationRequest): boolean {
  return policy.rules.some((rule) => ruleMatches(rule, request));
}

/** Istio's decision for `request` at a workload that `policies` (in file order) apply to. */
export function evaluateAuthorization(
  policies: readonly AuthorizationPolicy[],
  request: AuthorizationRequest,
): AuthorizationDecision {
  for (let i = 0; i < policies.length; i++) {
    if (policies[i].action === "DENY" && policyMatches(policies[i], request))
      return { allowed: false, reason: "deny", policy: i };
  }
  let anyAllow = false;
  for (let i = 0; i < policies.length; i++) {
    if (policies[i].action !== "ALLOW") continue;
    anyAllow = true;
    if (policyMatches(policies[i], request)) return { allowed: true, reason: "allow", policy: i };
  }
  return anyAllow
    ? { allowed: false, reason: "no-allow-match", policy: -1 }
    : { allowed: true, reason: "no-allow-policy", policy: -1 };
}

/** The path of a request for operation `operation` (what `paths` and `notPaths` match). */
export function operationPath(operation: string): string {
  return `/${operation}`;
}
