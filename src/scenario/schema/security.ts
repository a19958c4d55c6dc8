// The zod schema of a scenario's security: the `security:` section (Istio PeerAuthentication
// modes, mesh-wide and per service, workload identities, the mTLS handshake cost), the
// `authorizationPolicies:` list (Istio AuthorizationPolicy: name, the service it selects, ALLOW or
// DENY, rules of `from` sources and `to` operations), and a load's `identity`. Shapes and values
// only: services, operations and policy names are checked by src/scenario/resolve/security.ts.
// Built when a file has this section (deferred.ts), so other files never pay for it.
import { z } from "zod";
import { MTLS_MODES } from "../../mesh/security/peerAuthentication.ts";
import { HANDSHAKE_TIME, ISTIO_SECURITY } from "../defaults.ts";
import { deferred } from "./deferred.ts";
import { describeFound, distribution, expecting, fields, name, nonEmptyList } from "./leaves.ts";
import { IDENT_PATTERN, NAME_PATTERN } from "./patterns.ts";

/** The section's defaults, for its resolver (src/scenario/resolve/security.ts). */
export { HANDSHAKE_TIME, ISTIO_SECURITY };

const accountName = (what: string) =>
  name(IDENT_PATTERN, "letters, digits, _ and -").describe(what);

/** Built when a file has `security:` (deferred.ts). */
export const securitySchema = deferred(() => {
  const mtlsMode = z.enum(MTLS_MODES, {
    error: expecting("STRICT, PERMISSIVE or DISABLE (Istio PeerAuthentication mtls.mode)"),
  });
  const serviceSecurity = fields("a service's security", {
    mtls: mtlsMode
      .optional()
      .describe(
        "This service's PeerAuthentication mode (a policy with a workload selector); absent: the mesh's.",
      ),
    serviceAccount: accountName(
      "The service account of its instances; default: the service's name.",
    ).optional(),
    namespace: accountName(`Its namespace; default: ${ISTIO_SECURITY.namespace}.`).optional(),
  });

  return fields("security", {
    mtls: mtlsMode
      .default(ISTIO_SECURITY.mtls)
      .describe("The mesh-wide PeerAuthentication mode (Istio's default: PERMISSIVE)."),
    trustDomain: name(NAME_PATTERN, "letters, digits, _, . and -")
      .default(ISTIO_SECURITY.trustDomain)
      .describe("The trust domain of every SPIFFE id."),
    handshakeTime: distribution()
      .prefault(HANDSHAKE_TIME)
      .describe(
        "Time a new mTLS connection (one per calling proxy and instance) adds to its first try; 0 turns the cost off.",
      ),
    services: z
      .record(z.string().regex(IDENT_PATTERN), serviceSecurity, {
        error: expecting("a map from service names to their security settings"),
      })
      .default({})
      .describe("Per service: its own mTLS mode, service account and namespace."),
  });
});

// ---------------------------------------------------------------------------------------------
// AuthorizationPolicy.

/** Built when a file has `authorizationPolicies:` (deferred.ts). */
export const authorizationPoliciesSchema = deferred(() => {
  const patterns = (what: string) =>
    nonEmptyList(
      "value",
      z
        .string({ error: expecting(`${what} (exact, prefix*, *suffix or *)`) })
        .min(1, { error: "must not be empty (Istio matches exact, prefix*, *suffix or *)" }),
      "values",
    ).optional();

  const source = fields("a source", {
    principals: patterns("a principal such as cluster.local/ns/default/sa/gateway").describe(
      "Peer principals (needs mTLS), any of them.",
    ),
    notPrincipals: patterns("a principal").describe(
      "Peer principals that do not match (a plaintext peer matches none).",
    ),
    namespaces: patterns("a namespace").describe("Peer namespaces (needs mTLS), any of them."),
    notNamespaces: patterns("a namespace").describe("Peer namespaces that do not match."),
  }).refine((s) => Object.values(s).some((v) => v !== undefined), {
    message:
      "an empty source would match every request; give principals, notPrincipals, namespaces or notNamespaces, or leave `from` out",
  });

  const operation = fields("an operation", {
    paths: patterns("a path such as /charge").describe("Request paths, /<operation>, any of them."),
    notPaths: patterns("a path").describe("Request paths that do not match."),
  }).refine((o) => o.paths !== undefined || o.notPaths !== undefined, {
    message:
      "an empty operation would match every request; give paths or notPaths, or leave `to` out",
  });

  const rule = fields("a rule", {
    from: z
      .array(fields("a from entry", { source }), {
        error: expecting("a list of { source: ... } entries"),
      })
      .default([])
      .describe("Any one must match; absent: every source."),
    to: z
      .array(fields("a to entry", { operation }), {
        error: expecting("a list of { operation: ... } entries"),
      })
      .default([])
      .describe("Any one must match; absent: every operation."),
  });

  const policy = fields("an authorization policy", {
    name: name(NAME_PATTERN, "letters, digits, _, . and -").describe(
      "Unique; names the policy in the result.",
    ),
    service: z
      .string({ error: expecting("a service name") })
      .regex(IDENT_PATTERN)
      .optional()
      .describe(
        "The service whose sidecars enforce it (the workload selector); absent: every service.",
      ),
    action: z.enum(["ALLOW", "DENY"], { error: expecting("ALLOW or DENY") }).default("ALLOW"),
    rules: z
      .array(rule, { error: expecting("a list of rules") })
      .default([])
      .describe("The policy matches when any rule does; ALLOW with no rules allows nothing."),
  });

  return z
    .array(policy, { error: expecting("a list of authorization policies") })
    .describe(
      "Istio AuthorizationPolicy: DENY first, then ALLOW; a service with no ALLOW policy allows all.",
    );
});

// ---------------------------------------------------------------------------------------------
// A load's identity.

/** A load's `identity`; built when a load has one (deferred.ts). */
export const loadIdentitySchema = deferred(() => {
  const IDENTITY_WHAT =
    "ingress-gateway (the default), none (no sidecar: plaintext), or { serviceAccount, namespace }";

  const identityMap = fields("a load identity", {
    serviceAccount: accountName("The service account of the load's clients (each with a sidecar)."),
    namespace: accountName(`Their namespace; default: ${ISTIO_SECURITY.namespace}.`).default(
      ISTIO_SECURITY.namespace,
    ),
  });

  return z
    .union([z.enum(["ingress-gateway", "none"]), identityMap], {
      error: (issue) => {
        if (
          issue.input !== null &&
          typeof issue.input === "object" &&
          !Array.isArray(issue.input)
        ) {
          const inner = identityMap.safeParse(issue.input);
          const first = inner.success ? undefined : inner.error.issues[0];
          if (first !== undefined)
            return `${first.path.length > 0 ? `${first.path.join(".")}: ` : ""}${first.message}`;
        }
        return issue.input === undefined
          ? `is required; expected ${IDENTITY_WHAT}`
          : `expected ${IDENTITY_WHAT}, found ${describeFound(issue.input)}`;
      },
    })
    .describe(
      "Who the load's clients are to the mesh: the Istio ingress gateway (default), a workload's account, or no sidecar.",
    );
});

export type RawSecurity = z.output<typeof securitySchema>;
export type RawAuthorizationPolicy = z.output<typeof authorizationPoliciesSchema>[number];
export type RawLoadIdentity = z.output<typeof loadIdentitySchema>;
