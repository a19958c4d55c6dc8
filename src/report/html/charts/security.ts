// Chart: what the mesh's security stopped, per caller → service edge: tries refused because they
// were plaintext to a STRICT mTLS service (503, Istio PeerAuthentication) and tries denied by an
// AuthorizationPolicy (403), as stacked bars; the explanation names the policies that denied.
// From the result's `security`; null when nothing was refused or denied.
import type { SecurityResult } from "../../../result/security.ts";
import { groupThousands } from "../../sections/tables.ts";
import { type Chart, CONFIG, ROW_LABEL_LIMIT } from "./common.ts";

const OUTCOMES = { domain: ["refused (503)", "denied (403)"], range: ["#f58518", "#d62728"] };

export interface SecurityRow {
  edge: string;
  outcome: string;
  tries: number;
}

/** Two rows per edge that had a try refused or denied, in the result's edge order. */
export function securityRows(security: SecurityResult): SecurityRow[] {
  return Object.entries(security.edges)
    .filter(([, e]) => e.refused + e.denied > 0)
    .flatMap(([edge, e]) => [
      { edge: edge.replace("->", " → "), outcome: OUTCOMES.domain[0], tries: e.refused },
      { edge: edge.replace("->", " → "), outcome: OUTCOMES.domain[1], tries: e.denied },
    ]);
}

export function securityChart(security: SecurityResult): Chart | null {
  const rows = securityRows(security);
  if (rows.length === 0) return null;
  return {
    id: "security",
    title: "Calls stopped by mTLS and authorization",
    explanation: explain(security),
    spec: {
      config: CONFIG,
      title: "Tries refused or denied per caller → service (after the warm-up)",
      width: 420,
      height: { step: 18 },
      data: { values: rows },
      mark: { type: "bar" },
      encoding: {
        y: {
          field: "edge",
          type: "nominal",
          title: null,
          sort: null,
          axis: { labelLimit: ROW_LABEL_LIMIT },
        },
        x: { field: "tries", type: "quantitative", title: "tries", stack: "zero" },
        color: {
          field: "outcome",
          type: "nominal",
          title: "stopped",
          scale: OUTCOMES,
          sort: OUTCOMES.domain,
        },
      },
    },
  };
}

function explain(security: SecurityResult): string {
  const parts = [
    `Every workload has a SPIFFE identity (spiffe://${security.trustDomain}/ns/default/sa/<service>). A service in STRICT mTLS mode refuses plaintext connections, so callers without a sidecar get a 503; authorization policies are evaluated as Istio does (DENY first, then ALLOW; with an ALLOW policy on a service, a call none matches is denied) and a denied call gets a 403.`,
    `In this run ${groupThousands(security.refused)} tries were refused and ${groupThousands(security.denied)} denied after the warm-up.`,
  ];
  const denying = security.policies.filter((p) => p.denied > 0);
  if (denying.length > 0)
    parts.push(
      `Denials by policy: ${denying.map((p) => `${p.name} (${p.action}) ${groupThousands(p.denied)}`).join(", ")}.`,
    );
  return parts.join(" ");
}
