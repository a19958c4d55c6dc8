// Workload identities as Istio issues them: every workload has a Kubernetes service account in a
// namespace, and its sidecar's certificate carries the SPIFFE id
// `spiffe://<trust domain>/ns/<namespace>/sa/<service account>`. AuthorizationPolicy `principals`
// are that id without `spiffe://` (Istio adds the scheme itself, so a principal written with it
// never matches). A service's account is its own name in Istio's default namespace (scenario/defaults.ts)
// unless the scenario
// says otherwise; a load's clients stand for the Istio ingress gateway unless the load names its
// own account, or has no sidecar at all (no certificate: plaintext, no principal). Left out:
// certificate lifetimes and rotation, trust-domain aliases, and CA outages.

/** The account of the ingress gateway Istio's installation deploys. */
export const INGRESS_GATEWAY_NAMESPACE = "istio-system";
export const INGRESS_GATEWAY_SERVICE_ACCOUNT = "istio-ingressgateway-service-account";

/** A peer with a sidecar: what its certificate says. */
export interface WorkloadIdentity {
  /** `<trust domain>/ns/<namespace>/sa/<service account>`, as AuthorizationPolicy principals are written. */
  principal: string;
  namespace: string;
}

export function workloadIdentity(
  trustDomain: string,
  namespace: string,
  serviceAccount: string,
): WorkloadIdentity {
  return { principal: `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`, namespace };
}

/** The SPIFFE id of a principal: `spiffe://cluster.local/ns/default/sa/payment`. */
export function spiffeId(principal: string): string {
  return `spiffe://${principal}`;
}
