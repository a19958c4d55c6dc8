// report.html's control-plane charts and tables: each appears exactly when its section of the
// result does, renders to SVG without a vega warning, and plots the result's own figures (pods per
// phase and the HPA's decisions, the views' stale and unknown gauges per called service, each config
// version's share of the proxies, the tries security stopped). Ends with rolling-update.yaml run
// for real: its report shows the rollout within Kubernetes' fenceposts and the stale views.
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveFenceposts } from "../../src/control/rollout/rollingUpdate.ts";
import { versionShareRows } from "../../src/report/html/charts/configVersions.ts";
import { desiredRows, podRows, scaleMarks } from "../../src/report/html/charts/pods.ts";
import { securityRows } from "../../src/report/html/charts/security.ts";
import {
  STALE_SERIES,
  UNKNOWN_SERIES,
  viewErrorRows,
} from "../../src/report/html/charts/staleness.ts";
import { timeAxis } from "../../src/report/html/data/chartRows.ts";
import { controlPlaneCharts, renderHtmlReport } from "../../src/report/html/runReport.ts";
import { renderSvg } from "../../src/report/html/svg.ts";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import { rolloutBounds } from "../../src/report/sections/recovery.ts";
import { groupThousands } from "../../src/report/sections/tables.ts";
import type { ConfigResult } from "../../src/result/config.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenarioFile } from "../../src/scenario/loader.ts";
import type { RolloutChangeSpec } from "../../src/scenario/types.ts";
import {
  controlPlaneResult,
  fixtureConfig,
  fixtureRecovery,
  fixtureSecurity,
} from "./controlPlaneFixtures.ts";
import { fixtureResult } from "./reportFixtures.ts";

const axis = timeAxis(40_000);

describe("the control-plane charts", () => {
  it("are all absent, and so is the section, for a result without control-plane sections", () => {
    const plain = fixtureResult();
    expect(controlPlaneCharts(plain)).toEqual({
      pods: null,
      staleness: null,
      configVersions: null,
      security: null,
    });
    const html = renderHtmlReport(plain);
    expect(html).not.toContain("Control plane");
    expect(html).not.toMatch(/data-chart="(pods|staleness|config-versions|security)"/);
  });

  it("are all present for a result with every section, and render with marks and no warning", () => {
    const charts = controlPlaneCharts(controlPlaneResult());
    for (const [key, chart] of Object.entries(charts)) {
      expect(chart, key).not.toBeNull();
      const { svg, warnings } = renderSvg(chart!.spec, chart!.id);
      expect(warnings, key).toEqual([]);
      expect(svg, key).toMatch(/<path [^>]*d="M[^"]+"|<rect [^>]*width="[1-9]/);
      expect(chart!.explanation.length, key).toBeGreaterThan(80);
    }
  });

  it("each follow their own section only", () => {
    const full = controlPlaneResult();
    const present = (result: typeof full) =>
      Object.entries(controlPlaneCharts(result))
        .filter(([, c]) => c !== null)
        .map(([k]) => k);
    expect(present({ ...full, recovery: null })).toEqual([
      "staleness",
      "configVersions",
      "security",
    ]);
    expect(present({ ...full, discovery: null })).toEqual(["pods", "configVersions", "security"]);
    expect(present({ ...full, config: null })).toEqual(["pods", "staleness", "security"]);
    expect(present({ ...full, security: null })).toEqual(["pods", "staleness", "configVersions"]);
  });

  it("leave out the staleness chart when the result has no view gauges, and the security chart when nothing was stopped", () => {
    const full = controlPlaneResult();
    const noGauges = {
      ...full,
      metrics: {
        ...full.metrics,
        series: full.metrics.series.filter((s) => !s.name.startsWith("meshsim_proxy_endpoints_")),
      },
    };
    expect(controlPlaneCharts(noGauges).staleness).toBeNull();
    const quiet = fixtureSecurity();
    quiet.edges["load:rogue->payment"].denied = 0;
    expect(controlPlaneCharts({ ...full, security: quiet }).security).toBeNull();
  });

  it("put the section, its tables and the figures of the result into report.html, the same bytes every time", () => {
    const result = controlPlaneResult();
    const html = renderHtmlReport(result);
    expect(html).toContain("<h2>Control plane</h2>");
    for (const id of ["pods", "staleness", "config-versions", "security"])
      expect(html).toContain(`data-chart="${id}"`);
    expect(html).toContain("<td>order-v2</td><td>order</td><td>v1 → v2</td>");
    expect(html).toContain('<td class="num">2 → 4</td>');
    expect(html).toContain("gateway-&gt;payment: 321 to dead, 4 to draining instances");
    expect(html).toContain(
      "v2 canary-50 reached the first proxy 1 s after it was published, and 3 of 4 by the end of the run.",
    );
    expect(html).toContain("payment-allow-gateway (ALLOW) 75");
    expect(html.indexOf("<h2>Instances</h2>")).toBeLessThan(html.indexOf("<h2>Control plane</h2>"));
    expect(html.indexOf("<h2>Control plane</h2>")).toBeLessThan(html.indexOf("<h2>Alerts</h2>"));
    expect(renderHtmlReport(structuredClone(result))).toBe(html);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("the pods chart's rows", () => {
  const recovery = fixtureRecovery();

  it("give each instant's pods per phase once and hold the last counts to the end of the run", () => {
    const payment = podRows(recovery, 40_000, axis).filter((r) => r.service === "payment");
    expect(payment.map((r) => [r.t, r.phase, r.count])).toEqual([
      [0, "ready", 2],
      [0, "starting", 0],
      [0, "draining", 0],
      [15, "ready", 2],
      [15, "starting", 2],
      [15, "draining", 0],
      [25, "ready", 4],
      [25, "starting", 0],
      [25, "draining", 0],
      [40, "ready", 4],
      [40, "starting", 0],
      [40, "draining", 0],
    ]);
    const order = podRows(recovery, 40_000, axis).filter(
      (r) => r.service === "order" && r.phase === "draining",
    );
    expect(order.map((r) => [r.t, r.count])).toEqual([
      [0, 0],
      [10, 1],
      [11, 0],
      [20, 2],
      [21, 0],
      [30, 1],
      [31, 0],
      [40, 0],
    ]);
  });

  it("step the HPA's desired count at the syncs that changed it, and mark those syncs current→desired", () => {
    expect(desiredRows(recovery, "payment", 40_000, axis).map((r) => [r.t, r.desired])).toEqual([
      [0, 2],
      [15, 4],
      [40, 4],
    ]);
    expect(scaleMarks(recovery, "payment", axis)).toEqual([{ t: 15, desired: 4, label: "2→4" }]);
    expect(desiredRows(recovery, "order", 40_000, axis)).toEqual([]);
  });
});

describe("the staleness chart's rows", () => {
  const metrics = controlPlaneResult().metrics;

  it("sum each gauge over the callers of each service, from 0 at time 0", () => {
    const stale = viewErrorRows(metrics, STALE_SERIES, axis);
    expect(stale.filter((r) => r.series === "payment").map((r) => [r.t, r.value])).toEqual([
      [0, 0],
      [10, 0],
      [20, 3],
      [30, 2],
      [40, 0],
    ]);
    expect(stale.filter((r) => r.series === "gateway").map((r) => r.value)).toEqual([
      0, 0, 0, 0, 0,
    ]);
    const unknown = viewErrorRows(metrics, UNKNOWN_SERIES, axis);
    expect(unknown.filter((r) => r.series === "payment").map((r) => r.value)).toEqual([
      0, 0, 0, 3, 0,
    ]);
  });
});

describe("the config chart's rows", () => {
  it("give each version's share of the proxies after every instant a proxy changed, and at the end", () => {
    const rows = versionShareRows(fixtureConfig(), 40_000, axis);
    const at = (t: number) => rows.filter((r) => r.t === t).map((r) => [r.version, r.share]);
    expect([...new Set(rows.map((r) => r.t))]).toEqual([0, 11, 12, 15, 40]);
    expect(at(0)).toEqual([
      ["v1 file", 1],
      ["v2 canary-50", 0],
    ]);
    expect(at(12)).toEqual([
      ["v1 file", 0.5],
      ["v2 canary-50", 0.5],
    ]);
    expect(at(40)).toEqual([
      ["v1 file", 0.25],
      ["v2 canary-50", 0.75],
    ]);
  });

  it("match a count of each proxy's latest version at every time they give, for any rollout", () => {
    const proxyArb = fc.array(
      fc.record({
        gapMs: fc.integer({ min: 1, max: 5 }).map((k) => k * 1000),
        version: fc.integer({ min: 1, max: 3 }),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(fc.array(proxyArb, { minLength: 1, maxLength: 6 }), (proxies) => {
        const records: ConfigResult["proxies"] = {};
        proxies.forEach((steps, p) => {
          let atMs = 0;
          records[`proxy-${p}`] = [
            { version: 1, fromMs: 0 },
            ...steps.map((s) => ({ version: s.version, fromMs: (atMs += s.gapMs) })),
          ];
        });
        const config: ConfigResult = {
          versions: [1, 2, 3].map((version) => ({
            version,
            name: `push-${version}`,
            atMs: 0,
            set: {},
            delivered: 0,
            firstMs: null,
            medianMs: null,
            lastMs: null,
            runningAtEnd: 0,
          })),
          proxies: records,
        };
        const rows = versionShareRows(config, 60_000, axis);
        const times = [...new Set(rows.map((r) => r.t))];
        expect(times[times.length - 1]).toBe(60);
        for (const t of times) {
          const shares = rows.filter((r) => r.t === t);
          for (const row of shares) {
            const running = Object.values(records).filter(
              (rs) => rs.filter((r) => r.fromMs <= t * 1000).pop()!.version === row.order + 1,
            ).length;
            expect(row.share).toBeCloseTo(running / proxies.length, 12);
          }
          expect(shares.reduce((sum, r) => sum + r.share, 0)).toBeCloseTo(1, 12);
        }
      }),
    );
  });
});

describe("the security chart's rows", () => {
  it("give refused and denied tries for every edge that had either", () => {
    expect(securityRows(fixtureSecurity())).toEqual([
      { edge: "load:rogue → payment", outcome: "refused (503)", tries: 0 },
      { edge: "load:rogue → payment", outcome: "denied (403)", tries: 75 },
    ]);
  });
});

describe("the report of rolling-update.yaml", () => {
  const file = fileURLToPath(new URL("../../scenarios/rolling-update.yaml", import.meta.url));
  const scenario = loadScenarioFile(file);
  const result = runScenario(scenario);
  const recovery = result.recovery!;
  const [rollout] = recovery.rollouts;

  it("shows the rollout taking exactly Kubernetes' fenceposts for 4 pods at 25% / 25%: one surge pod, one unavailable", () => {
    const spec = scenario.changes.find((c): c is RolloutChangeSpec => c.kind === "rollout")!;
    const bounds = rolloutBounds(rollout, recovery.pods.payment, result.simulatedMs);
    expect(bounds.desired).toBe(4);
    const fence = resolveFenceposts(spec.strategy, bounds.desired);
    expect([bounds.surge, bounds.unavailable]).toEqual([fence.surge, fence.unavailable]);
    expect([
      rollout.desired,
      rollout.maxSurge,
      rollout.maxUnavailable,
      rollout.fromVersions,
    ]).toEqual([4, fence.surge, fence.unavailable, ["v1"]]);
    const end = rollout.finishedAtMs!;
    expect(renderMarkdown(result)).toContain(
      `| payment-v2 | payment | v1 → v2 | ${rollout.startedAtMs / 1000} | ${Math.round(end) / 1000} | ${Math.round(end - rollout.startedAtMs) / 1000} | 4 | ${fence.surge} / ${fence.surge} | ${fence.unavailable} / ${fence.unavailable} | 3 |`,
    );
  });

  it("charts the pods and the stale views, with the tries the views sent to dead pods, and nothing of config or security", () => {
    const charts = controlPlaneCharts(result);
    expect(charts.pods).not.toBeNull();
    expect(charts.configVersions).toBeNull();
    expect(charts.security).toBeNull();
    const staleness = charts.staleness!;
    const edge = result.discovery!.edges["gateway->payment"];
    expect(edge.sentToDead).toBeGreaterThan(0);
    expect(staleness.explanation).toContain(
      `gateway->payment: ${groupThousands(edge.sentToDead)} to dead`,
    );
    const stale = viewErrorRows(result.metrics, STALE_SERIES, timeAxis(result.simulatedMs)).filter(
      (r) => r.series === "payment",
    );
    expect(Math.max(...stale.map((r) => r.value ?? 0))).toBeGreaterThan(0);
    expect(renderSvg(staleness.spec, staleness.id).warnings).toEqual([]);
  });
});
