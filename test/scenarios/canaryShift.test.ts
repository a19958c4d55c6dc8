// scenarios/canary-shift.yaml as a golden experiment: a staged config push moves payment's canary
// weight from 10% to 50%. The canary's share of payment calls must equal what the gateways'
// version timelines imply, the push must land on schedule, and report.md must show it.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ConfigPushSpec } from "../../src/control/spec.ts";
import { timeAxis } from "../../src/report/html/data/chartRows.ts";
import { stateIntervals } from "../../src/report/html/data/timeline.ts";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenarioFile } from "../../src/scenario/loader.ts";

const FILE = fileURLToPath(new URL("../../scenarios/canary-shift.yaml", import.meta.url));

describe("canary-shift.yaml", () => {
  const scenario = loadScenarioFile(FILE);
  const result = runScenario(scenario);
  const config = result.config!;
  const push = scenario.changes[0] as ConfigPushSpec;

  it("delivers stage 1 (34%: 8 of 23 proxies) after the debounce, and the rest a minute later", () => {
    const delivered = Object.values(config.proxies).map((h) => h[1].fromMs);
    const published = push.atMs + push.debounceMs;
    expect(delivered).toHaveLength(23);
    expect(delivered.filter((t) => t < published + 60_000)).toHaveLength(8);
    for (const t of delivered) expect(t).toBeGreaterThan(published);
    expect(config.versions[1]).toMatchObject({
      version: 2,
      name: "canary-50",
      delivered: 23,
      runningAtEnd: 23,
    });
  });

  it("sends the canary the share the gateways' version timelines imply: 95% regular × (10% before, 50% after)", () => {
    // Each gateway sidecar carries a third of the checkouts (least-request over equal gateways);
    // regular shoppers (95%) follow the weights, VIPs always go to stable.
    const start = result.warmupMs;
    const end = result.simulatedMs;
    const weights = [0, 1, 2].map((g) => {
      const movedAt = Math.max(start, config.proxies[`gateway-${g}`][1].fromMs);
      return (0.1 * (movedAt - start) + 0.5 * (end - movedAt)) / (end - start);
    });
    // The seed puts some gateways in the first stage but not all, so the mixture is a real one.
    const early = [0, 1, 2].filter(
      (g) => config.proxies[`gateway-${g}`][1].fromMs < push.atMs + 60_000,
    );
    expect(early.length).toBeGreaterThan(0);
    expect(early.length).toBeLessThan(3);
    const expected = (0.95 * weights.reduce((s, w) => s + w, 0)) / 3;
    // Measured 0.3201 against 0.3195.
    expect(result.edges["gateway->payment"].share["payment-3"]).toBeCloseTo(expected, 2);
  });

  it("loads the one canary instance well above each stable one after the shift", () => {
    const [p0, p1, p2, canary] = result.services.payment.instances;
    for (const stable of [p0, p1, p2])
      expect(canary.utilization).toBeGreaterThan(1.3 * stable.utilization);
  });

  it("lists each proxy's version change and shows the versions in report.md", () => {
    expect(
      result.stateChanges.filter(
        (c) => c.component.startsWith("config ") && c.from === "v1" && c.to === "v2",
      ),
    ).toHaveLength(23);
    const report = renderMarkdown(result);
    expect(report).toContain("## Config versions");
    // A version is not a state away from normal: the HTML state timeline leaves config out.
    expect(
      stateIntervals(result, timeAxis(result.simulatedMs)).filter((i) =>
        i.component.startsWith("config "),
      ),
    ).toEqual([]);
    expect(report).toMatch(
      /\| 2 \| canary-50 \| mesh\.services\.payment\.routes\[1\]\.route\[0\]\.weight=50, mesh\.services\.payment\.routes\[1\]\.route\[1\]\.weight=50 \| 120 \| 23\/23 \|/,
    );
  });
});
