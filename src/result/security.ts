// The run result's `security`: mTLS modes, workload identities, handshakes, and the tries refused
// (plaintext to STRICT) or denied (authorization) per edge and policy, as mesh/security/ counts
// them. Types only, with Istio's names for modes and actions.

/** Istio PeerAuthentication modes (mesh/security/peerAuthentication.ts has their semantics). */
export type MtlsMode = "STRICT" | "PERMISSIVE" | "DISABLE";

/** Istio AuthorizationPolicy actions that meshsim models. */
export type AuthorizationAction = "ALLOW" | "DENY";

export interface SecurityResult {
  trustDomain: string;
  /**
   * The mesh-wide PeerAuthentication mode, and each service's own (its override, else the mesh's).
   */
  mtls: { mesh: MtlsMode; services: Record<string, MtlsMode> };
  /**
   * SPIFFE id of every caller: services by name, loads as `load:<name>`; null: no sidecar
   * (plaintext).
   */
  identities: Record<string, string | null>;
  /**
   * mTLS connections opened over the whole run (warm-up included), each with one handshake, and
   * their mean time.
   */
  handshakes: { count: number; meanMs: number };
  /** Measured tries a STRICT service refused because they came in plaintext (503), in all. */
  refused: number;
  /** Measured tries authorization denied (403), in all. */
  denied: number;
  /** Per edge `caller->service` that carried calls: its connection kind and counts. */
  edges: Record<string, SecurityEdgeResult>;
  /** Every authorization policy, in file order, with the measured tries it denied. */
  policies: SecurityPolicyResult[];
}

export interface SecurityEdgeResult {
  /**
   * What the caller's connections to the service are: mtls, plaintext (accepted), or refused
   * (plaintext to STRICT).
   */
  connection: "mtls" | "plaintext" | "refused";
  handshakes: number;
  refused: number;
  denied: number;
}

export interface SecurityPolicyResult {
  name: string;
  /** The service it selects, or null for every service. */
  service: string | null;
  action: AuthorizationAction;
  /**
   * Tries it denied: a DENY policy counts the tries it matched (the first matching DENY policy
   * takes each); an ALLOW policy counts the tries to its service that no ALLOW policy matched
   * (shared by all the ALLOW policies that apply to that service).
   */
  denied: number;
  byEdge: Record<string, number>;
}
