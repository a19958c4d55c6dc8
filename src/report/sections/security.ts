// The security part of a run result as text: the tables of the mTLS modes, the connection each
// edge uses, tries refused by STRICT mTLS and denied by authorization, per edge and per policy,
// laid out as report.md's "Security" section and by report.html under its security chart; and a
// few lines for the terminal summary. Nothing at all when the scenario had no security (or the
// result predates it), so other reports read as before.

import type { RunResult } from "../../result/run.ts";
import type { SecurityResult } from "../../result/security.ts";
import { markdownTable } from "../markdown/table.ts";
import { type Column, groupThousands, type TextTable } from "./tables.ts";

/** The security section, or null when the scenario had none (or the result was saved before it existed). */
export function securityOf(result: RunResult): SecurityResult | null {
  return (result as Partial<RunResult>).security ?? null;
}

const num = (title: string): Column => ({ title, numeric: true });
const text = (title: string): Column => ({ title });

function modesText(security: SecurityResult): string {
  const overrides = Object.entries(security.mtls.services).filter(
    ([, mode]) => mode !== security.mtls.mesh,
  );
  const own =
    overrides.length === 0
      ? ""
      : ` (${overrides.map(([name, mode]) => `${name}: ${mode}`).join(", ")})`;
  return `${security.mtls.mesh} mesh-wide${own}`;
}

function handshakesText(security: SecurityResult): string {
  const { count, meanMs } = security.handshakes;
  return `${groupThousands(count)} mTLS connections opened${count > 0 ? `, mean handshake ${Number(meanMs.toPrecision(3))} ms` : ""}`;
}

/** The sentence over the edge table: the modes, the handshakes, and what was refused and denied. */
export function securityText(security: SecurityResult): string {
  return (
    `mTLS (Istio PeerAuthentication): ${modesText(security)}; ${handshakesText(security)}. ` +
    `${groupThousands(security.refused)} plaintext tries refused by STRICT mTLS (503), ${groupThousands(security.denied)} tries denied by authorization (403), after warm-up.`
  );
}

/** One row per caller -> service edge: the connection it used and its tries refused and denied. */
export function securityEdgeTable(security: SecurityResult): TextTable {
  return {
    columns: [
      text("caller -> service"),
      text("connection"),
      num("handshakes"),
      num("refused (503)"),
      num("denied (403)"),
    ],
    rows: Object.entries(security.edges).map(([edge, e]) => [
      edge,
      e.connection,
      groupThousands(e.handshakes),
      groupThousands(e.refused),
      groupThousands(e.denied),
    ]),
  };
}

export const POLICIES_TEXT =
  "Authorization policies (an ALLOW policy counts the tries to its service that no ALLOW policy matched):";

/** One row per AuthorizationPolicy, in the scenario's order; empty when it has none. */
export function securityPolicyTable(security: SecurityResult): TextTable {
  return {
    columns: [text("policy"), text("service"), text("action"), num("denied"), text("by edge")],
    rows: security.policies.map((p) => [
      p.name,
      p.service ?? "(every service)",
      p.action,
      groupThousands(p.denied),
      Object.entries(p.byEdge)
        .map(([edge, n]) => `${edge} ${groupThousands(n)}`)
        .join(", "),
    ]),
  };
}

export function securityMarkdown(result: RunResult): string[] {
  const security = securityOf(result);
  if (security === null) return [];
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const table = (t: TextTable) => [
    ...markdownTable(
      t.columns.map((c) => c.title),
      t.rows.map((row) => row.map(cell)),
    ),
    "",
  ];
  const lines = [
    "## Security",
    "",
    securityText(security),
    "",
    ...table(securityEdgeTable(security)),
  ];
  if (security.policies.length > 0)
    lines.push(POLICIES_TEXT, "", ...table(securityPolicyTable(security)));
  return lines;
}

/** One line for the terminal summary, or none when nothing was refused or denied and there is no security. */
export function securityLines(result: RunResult): string[] {
  const security = securityOf(result);
  if (security === null) return [];
  const lines = [`security: mTLS ${modesText(security)}; ${handshakesText(security)}`];
  const refused = Object.entries(security.edges).filter(([, e]) => e.refused > 0);
  if (refused.length > 0)
    lines.push(
      `  refused (plaintext to STRICT, 503): ${refused.map(([edge, e]) => `${edge} ${groupThousands(e.refused)}`).join(", ")}`,
    );
  for (const p of security.policies.filter((p) => p.denied > 0)) {
    lines.push(
      `  denied by ${p.name} (${p.action}, 403): ${Object.entries(p.byEdge)
        .map(([edge, n]) => `${edge} ${groupThousands(n)}`)
        .join(", ")}`,
    );
  }
  return lines;
}
