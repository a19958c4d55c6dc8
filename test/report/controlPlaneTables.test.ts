// The discovery, config and security tables, built once and laid out by both reports: report.html
// shows each under its chart exactly when the result has its section (even when the chart itself
// is left out), with the same cells as report.md, whose text stays what it was before the tables
// were shared. A result without these sections renders report.html without any of them.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderHtmlReport } from "../../src/report/html/runReport.ts";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import { configVersionTable } from "../../src/report/sections/config.ts";
import { discoveryEdgeTable } from "../../src/report/sections/discovery.ts";
import { securityEdgeTable, securityPolicyTable } from "../../src/report/sections/security.ts";
import type { TextTable } from "../../src/report/sections/tables.ts";
import type { ConfigResult } from "../../src/result/config.ts";
import type { RunResult } from "../../src/result/run.ts";
import { controlPlaneResult, fixtureConfig, fixtureSecurity } from "./controlPlaneFixtures.ts";
import { fixtureResult } from "./reportFixtures.ts";

/** Each table's header row in report.html, which names it. */
const HEADS = {
  discovery:
    '<thead><tr><th>caller -&gt; service</th><th class="num">proxies</th><th class="num">stale endpoints max / mean</th><th class="num">unknown live max / mean</th><th class="num">longest stale</th><th class="num">tries to dead</th><th class="num">tries to draining</th></tr></thead>',
  config:
    '<thead><tr><th class="num">version</th><th>name</th><th>set</th><th class="num">published s</th><th class="num">reached</th><th class="num">first s</th><th class="num">median s</th><th class="num">last s</th><th class="num">running at end</th></tr></thead>',
  securityEdges:
    '<thead><tr><th>caller -&gt; service</th><th>connection</th><th class="num">handshakes</th><th class="num">refused (503)</th><th class="num">denied (403)</th></tr></thead>',
  securityPolicies:
    '<thead><tr><th>policy</th><th>service</th><th>action</th><th class="num">denied</th><th>by edge</th></tr></thead>',
};

const present = (html: string) =>
  Object.entries(HEADS)
    .filter(([, head]) => html.includes(head))
    .map(([key]) => key);

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&gt;/g, ">")
    .replace(/&lt;/g, "<")
    .replace(/&amp;/g, "&");

/** The body rows of the table in `html` whose header is `head`, as plain cells. */
function htmlRows(html: string, head: string): string[][] {
  const start = html.indexOf(head);
  const body = html.slice(
    html.indexOf("<tbody>\n", start) + "<tbody>\n".length,
    html.indexOf("\n</tbody>", start),
  );
  return body
    .split("\n")
    .map((tr) => [...tr.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => unescapeHtml(m[1])));
}

/** The body rows of the Markdown table under the header line `head`, as plain cells (no cell here holds " | "). */
function markdownRows(md: string, head: string): string[][] {
  const lines = md.split("\n");
  const rows: string[][] = [];
  for (let i = lines.indexOf(head) + 2; i < lines.length && lines[i].startsWith("|"); i++) {
    rows.push(
      lines[i]
        .slice(2, -2)
        .split(" | ")
        .map((c) => c.replace(/\\\|/g, "|")),
    );
  }
  return rows;
}

describe("report.html's discovery, config and security tables", () => {
  it("show the result's rows, each after its own chart", () => {
    const html = renderHtmlReport(controlPlaneResult());
    const discoveryRow =
      '<tr><td>gateway-&gt;payment</td><td class="num">2</td><td class="num">1 / 0.25</td><td class="num">1 / 0.1</td><td class="num">20 s</td><td class="num">321</td><td class="num">4</td></tr>';
    const configRow =
      '<tr><td class="num">2</td><td>canary-50</td><td>mesh.services.payment.routes[0].route[1].weight=50</td><td class="num">10</td><td class="num">3/4</td><td class="num">11</td><td class="num">12</td><td class="num">15</td><td class="num">3</td></tr>';
    const edgeRow =
      '<tr><td>load:rogue-&gt;payment</td><td>mtls</td><td class="num">2</td><td class="num">0</td><td class="num">75</td></tr>';
    const policyRow =
      '<tr><td>payment-allow-gateway</td><td>payment</td><td>ALLOW</td><td class="num">75</td><td>load:rogue-&gt;payment 75</td></tr>';
    expect(html).toContain(
      "<p>Registry: eureka. Each proxy balances over its own lagged view. Registry events after t = 0: registered 4 (see the state changes).</p>",
    );
    expect(html).toContain(
      "<p>Version 1 is the scenario file; each config push makes the next. Reached: proxies it was delivered to before the run ended, of 4. Times in seconds.</p>",
    );
    expect(html).toContain(
      "<p>mTLS (Istio PeerAuthentication): STRICT mesh-wide; 8 mTLS connections opened, mean handshake 2.5 ms.",
    );
    const order = [
      'data-chart="staleness"',
      discoveryRow,
      'data-chart="config-versions"',
      configRow,
      'data-chart="security"',
      edgeRow,
      policyRow,
      "<h2>Alerts</h2>",
    ];
    const at = order.map((s) => html.indexOf(s));
    expect(
      at.every((i) => i > html.indexOf("<h2>Control plane</h2>")),
      order.filter((_, i) => at[i] < 0).join(", "),
    ).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it("are absent for a result without control-plane sections, and follow their own section only", () => {
    const full = controlPlaneResult();
    expect(present(renderHtmlReport(fixtureResult()))).toEqual([]);
    expect(present(renderHtmlReport(full))).toEqual([
      "discovery",
      "config",
      "securityEdges",
      "securityPolicies",
    ]);
    expect(present(renderHtmlReport({ ...full, discovery: null }))).toEqual([
      "config",
      "securityEdges",
      "securityPolicies",
    ]);
    expect(present(renderHtmlReport({ ...full, config: null }))).toEqual([
      "discovery",
      "securityEdges",
      "securityPolicies",
    ]);
    expect(present(renderHtmlReport({ ...full, security: null }))).toEqual(["discovery", "config"]);
    const noPolicies = { ...fixtureSecurity(), policies: [] };
    expect(present(renderHtmlReport({ ...full, security: noPolicies }))).toEqual([
      "discovery",
      "config",
      "securityEdges",
    ]);
  });

  it("appear when their section does even if its chart is left out (no view gauges, nothing stopped)", () => {
    const plain = fixtureResult();
    const quiet = fixtureSecurity();
    quiet.edges["load:rogue->payment"].denied = 0;
    const html = renderHtmlReport({
      ...plain,
      discovery: controlPlaneResult().discovery,
      security: quiet,
    });
    expect(html).not.toMatch(/data-chart="(staleness|security)"/);
    expect(html).toContain("<h2>Control plane</h2>");
    expect(present(html)).toEqual(["discovery", "securityEdges", "securityPolicies"]);
    expect(htmlRows(html, HEADS.securityEdges)[1]).toEqual([
      "load:rogue->payment",
      "mtls",
      "2",
      "0",
      "0",
    ]);
  });

  it("leave the Control plane section of a result without them to the pods chart and its three tables", () => {
    const full = controlPlaneResult();
    const without = renderHtmlReport({ ...full, discovery: null, config: null, security: null });
    const section = without.slice(
      without.indexOf("<h2>Control plane</h2>"),
      without.indexOf("<h2>Alerts</h2>"),
    );
    expect([...section.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1])).toEqual(["pods"]);
    expect(section.split('<div class="table-wrap">').length - 1).toBe(3);
    const cut = (html: string) =>
      html.slice(0, html.indexOf("<h2>Control plane</h2>")) +
      html.slice(html.indexOf("<h2>Alerts</h2>"));
    // Config pushes are also marked on the time charts (charts/events.ts): compare without them.
    const config = full.config!;
    const noPushes = { ...full, config: { ...config, versions: config.versions.slice(0, 1) } };
    expect(cut(renderHtmlReport(noPushes))).toBe(cut(without));
  });

  it("hold the same cells as report.md's tables, whatever the names hold", () => {
    const names = fc.string({
      unit: fc.constantFrom("a", "b", "|", "<", ">", "&", '"', "-"),
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.array(names, { minLength: 1, maxLength: 4 }), names, (versionNames, edge) => {
        const config: ConfigResult = {
          ...fixtureConfig(),
          versions: versionNames.map((name, i) => ({
            ...fixtureConfig().versions[1],
            version: i + 1,
            name,
            set: { [name]: name },
          })),
        };
        const security = {
          ...fixtureSecurity(),
          edges: {
            [edge]: { connection: "plaintext" as const, handshakes: 0, refused: 1234, denied: 0 },
          },
        };
        const result: RunResult = { ...controlPlaneResult(), config, security };
        const html = renderHtmlReport(result);
        const md = renderMarkdown(result);
        const check = (table: TextTable, head: string) => {
          const mdHead = `| ${table.columns.map((c) => c.title).join(" | ")} |`;
          expect(htmlRows(html, head)).toEqual(table.rows);
          expect(markdownRows(md, mdHead)).toEqual(table.rows);
        };
        check(configVersionTable(config), HEADS.config);
        check(securityEdgeTable(security), HEADS.securityEdges);
        check(securityPolicyTable(security), HEADS.securityPolicies);
        check(discoveryEdgeTable(result.discovery!), HEADS.discovery);
        expect(htmlRows(html, HEADS.securityEdges)).toEqual([
          [edge, "plaintext", "0", "1,234", "0"],
        ]);
      }),
      // Each run renders a whole report.html (charts included): a few dozen cover the escapes.
      { numRuns: 30 },
    );
    // 30 whole reports: about 30 s alone, more beside other test files on a shared machine.
  }, 180_000);
});

describe("report.md's discovery, config and security sections", () => {
  it("read exactly as before the tables were shared with report.html", () => {
    const md = renderMarkdown(controlPlaneResult());
    const section = (title: string) => {
      const from = md.indexOf(`## ${title}\n`);
      return md.slice(from, md.indexOf("\n## ", from + 1));
    };
    expect(section("Security")).toBe(
      [
        "## Security",
        "",
        "mTLS (Istio PeerAuthentication): STRICT mesh-wide; 8 mTLS connections opened, mean handshake 2.5 ms. 0 plaintext tries refused by STRICT mTLS (503), 75 tries denied by authorization (403), after warm-up.",
        "",
        "| caller -> service | connection | handshakes | refused (503) | denied (403) |",
        "| --- | --- | --- | --- | --- |",
        "| gateway->payment | mtls | 6 | 0 | 0 |",
        "| load:rogue->payment | mtls | 2 | 0 | 75 |",
        "",
        "Authorization policies (an ALLOW policy counts the tries to its service that no ALLOW policy matched):",
        "",
        "| policy | service | action | denied | by edge |",
        "| --- | --- | --- | --- | --- |",
        "| payment-allow-gateway | payment | ALLOW | 75 | load:rogue->payment 75 |",
        "",
      ].join("\n"),
    );
    expect(section("Config versions")).toBe(
      [
        "## Config versions",
        "",
        "Version 1 is the scenario file; each config push makes the next. Reached: proxies it was delivered to before the run ended, of 4. Times in seconds.",
        "",
        "| version | name | set | published s | reached | first s | median s | last s | running at end |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        "| 1 | file |  | 0 | 4/4 | 0 | 0 | 0 | 1 |",
        "| 2 | canary-50 | mesh.services.payment.routes[0].route[1].weight=50 | 10 | 3/4 | 11 | 12 | 15 | 3 |",
        "",
      ].join("\n"),
    );
    expect(section("Discovery")).toBe(
      [
        "## Discovery",
        "",
        "Registry: eureka. Each proxy balances over its own lagged view. Registry events after t = 0: registered 4 (see the state changes).",
        "",
        "| caller -> service | proxies | stale endpoints max / mean | unknown live max / mean | longest stale | tries to dead | tries to draining |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| gateway->payment | 2 | 1 / 0.25 | 1 / 0.1 | 20 s | 321 | 4 |",
        "",
      ].join("\n"),
    );
  });

  it("mark a version that reached no proxy as not reached, and escape pipes in its cells", () => {
    const config = fixtureConfig();
    config.versions.push({
      version: 3,
      name: "x|y",
      atMs: 30_000,
      set: { "a.b": "p|q" },
      delivered: 0,
      firstMs: null,
      medianMs: null,
      lastMs: null,
      runningAtEnd: 0,
    });
    expect(renderMarkdown({ ...controlPlaneResult(), config })).toContain(
      '| 3 | x\\|y | a.b="p\\|q" | 30 | 0/4 | not reached | not reached | not reached | 0 |',
    );
  });
});
