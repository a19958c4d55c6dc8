// The security section of report.md and the terminal summary: absent without security, else the
// modes, each edge's connection and counts, and the policies with what they denied.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import { renderTerminalSummary } from "../../src/report/terminal/runSummary.ts";
import type { SecurityResult } from "../../src/result/security.ts";
import { fixtureResult } from "./reportFixtures.ts";

const SECURITY: SecurityResult = {
  trustDomain: "cluster.local",
  mtls: { mesh: "STRICT", services: { gateway: "STRICT", order: "PERMISSIVE", payment: "STRICT" } },
  identities: { gateway: "spiffe://cluster.local/ns/default/sa/gateway", "load:shoppers": null },
  handshakes: { count: 12, meanMs: 2.51234 },
  refused: 1500,
  denied: 40,
  edges: {
    "gateway->payment": { connection: "mtls", handshakes: 12, refused: 0, denied: 40 },
    "load:shoppers->gateway": { connection: "refused", handshakes: 0, refused: 1500, denied: 0 },
  },
  policies: [
    {
      name: "payment-allow",
      service: "payment",
      action: "ALLOW",
      denied: 40,
      byEdge: { "gateway->payment": 40 },
    },
    { name: "deny-all|x", service: null, action: "DENY", denied: 0, byEdge: {} },
  ],
};

describe("the security section", () => {
  it("is left out of report.md and the terminal summary when the scenario had no security", () => {
    const result = { ...fixtureResult(), security: null };
    expect(renderMarkdown(result)).not.toContain("## Security");
    expect(renderTerminalSummary(result)).not.toContain("security:");
  });

  it("lists the modes, every edge's connection and counts, and each policy's denials in report.md", () => {
    const md = renderMarkdown({ ...fixtureResult(), security: SECURITY });
    expect(md).toContain(
      "mTLS (Istio PeerAuthentication): STRICT mesh-wide (order: PERMISSIVE); 12 mTLS connections opened, mean handshake 2.51 ms.",
    );
    expect(md).toContain(
      "1,500 plaintext tries refused by STRICT mTLS (503), 40 tries denied by authorization (403)",
    );
    expect(md).toContain("| load:shoppers->gateway | refused | 0 | 1,500 | 0 |");
    expect(md).toContain("| payment-allow | payment | ALLOW | 40 | gateway->payment 40 |");
    expect(md).toContain("| deny-all\\|x | (every service) | DENY | 0 |  |");
  });

  it("names refused edges and denying policies in the terminal summary", () => {
    const text = renderTerminalSummary({ ...fixtureResult(), security: SECURITY });
    expect(text).toContain(
      "security: mTLS STRICT mesh-wide (order: PERMISSIVE); 12 mTLS connections opened, mean handshake 2.51 ms",
    );
    expect(text).toContain("  refused (plaintext to STRICT, 503): load:shoppers->gateway 1,500");
    expect(text).toContain("  denied by payment-allow (ALLOW, 403): gateway->payment 40");
  });
});
