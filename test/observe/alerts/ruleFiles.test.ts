// Realistic Prometheus rule files (test/observe/alerts/rules/: the SRE workbook's multiwindow
// burn-rate rules, Sloth's and Pyrra's generated shapes, latency, saturation and traffic rules)
// load as they are and fire at the scrape tick worked out by hand from the scripted counters.
// Mirrors src/scenario/resolve/alerts.ts (rule groups) and alerting.ts (recording rules, order).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { Alerting } from "../../../src/observe/alerts/alerting.ts";
import type { Episode } from "../../../src/observe/alerts/alertState.ts";
import type { AlertRuleSpec } from "../../../src/observe/alerts/types.ts";
import { SeriesStore } from "../../../src/observe/metrics/seriesStore.ts";
import { resolveAlerts } from "../../../src/scenario/resolve/alerts.ts";
import { ruleFileSchema } from "../../../src/scenario/schema/alerts.ts";
import { SCOPE, SCRAPE_MS, set, tick } from "./scripted.ts";

function rulesOf(name: string): AlertRuleSpec[] {
  const text = readFileSync(join(import.meta.dirname, "rules", name), "utf8");
  const groups = ruleFileSchema.parse(parse(text)).groups;
  const { rules, findings } = resolveAlerts({ kind: "groups", groups, inRuleFile: true }, SCOPE);
  expect(findings).toEqual([]);
  return rules;
}

/** Runs `ticks` scrapes, `at(store, k)` setting the counters for tick k, and returns the episodes. */
function run(
  rules: AlertRuleSpec[],
  ticks: number,
  at: (store: SeriesStore, k: number) => void,
): Episode[] {
  const store = new SeriesStore();
  const alerting = new Alerting(rules, SCRAPE_MS);
  for (let k = 1; k <= ticks; k++) {
    at(store, k);
    alerting.onScrape(tick(k), store);
  }
  return alerting.episodes;
}

// api: 2 instances at 750 requests per 15 s tick each (100/s in all); 1 error per tick (a burn of
// 0.67 against a 99.9% SLO) until tick BURST, then 76 (5.07%, a burn of 50.7).
const BURST = 1500; // 6 h 15 min: every window up to 6 h is full before the burst
const REQUESTS = 750;
function availability(store: SeriesStore, k: number): void {
  set(store, "meshsim_requests_total", { service: "api", instance: "api-0" }, REQUESTS * k);
  set(store, "meshsim_requests_total", { service: "api", instance: "api-1" }, REQUESTS * k);
  const errors = k < BURST ? k : BURST - 1 + 76 * (k - BURST + 1);
  set(store, "meshsim_request_errors_total", { service: "api", status: "500" }, errors);
}

/**
 * The first burst tick (0-based m − 1 after BURST) at which the error ratio over a window of n scrape
 * intervals passes `threshold`: rate() extrapolates errors and requests by the same factor, so the
 * ratio is (n · 1 + 75 · m) / (1500 · n) for m burst ticks inside the window.
 */
function firstTick(windowMs: number, threshold: number): number {
  const n = windowMs / SCRAPE_MS - 1;
  for (let m = 1; ; m++) if ((n + 75 * m) / (1500 * n) > threshold) return BURST + m - 1;
}

const fired = (episodes: Episode[]) =>
  episodes.map((e) => ({
    alert: e.alert,
    labels: e.labels,
    pendingAtMs: e.pendingAtMs,
    firingAtMs: e.firingAtMs,
  }));

describe("burn-rate rules as the SRE workbook writes them", () => {
  test("page when the 1h and 5m ratios pass 14.4 × 0.1%: tick BURST + 65, labelled with the service and the rule's severity", () => {
    const at = Math.max(firstTick(3_600_000, 0.0144), firstTick(300_000, 0.0144));
    expect(at).toBe(BURST + 65); // 1h: (239 + 75·66) / 358,500 = 1.447% > 1.44%; 65 ticks give 1.426%
    const episodes = run(rulesOf("workbook.yaml"), BURST + 100, availability);
    expect(fired(episodes)).toEqual([
      {
        alert: "ErrorBudgetBurn",
        labels: { service: "api", severity: "page" },
        pendingAtMs: tick(at),
        firingAtMs: tick(at),
      },
    ]);
  });
});

describe("rules in Sloth's generated shape", () => {
  test("the page alert fires at the same tick (14.4 × 0.0009999999999998899 is still 1.44%), with the sloth labels but not sloth_window", () => {
    const episodes = run(rulesOf("sloth.yaml"), BURST + 100, availability);
    expect(fired(episodes)).toEqual([
      {
        alert: "ApiRequestsAvailabilityPage",
        labels: {
          severity: "critical",
          sloth_id: "api-requests-availability",
          sloth_service: "api",
          sloth_severity: "page",
          sloth_slo: "requests-availability",
        },
        pendingAtMs: tick(BURST + 65),
        firingAtMs: tick(BURST + 65),
      },
    ]);
  });
});

describe("rules in Pyrra's generated shape", () => {
  test("with interval 30s (every other scrape) and for 2m: pending at the first even tick past 14 × 0.1% over 1h, firing 2 min later", () => {
    const over = Math.max(firstTick(3_600_000, 0.014), firstTick(300_000, 0.014));
    expect(over).toBe(BURST + 63);
    const pending = over % 2 === 0 ? over : over + 1;
    const episodes = run(rulesOf("pyrra.yaml"), BURST + 100, availability);
    expect(fired(episodes)).toEqual([
      {
        alert: "ErrorBudgetBurn",
        labels: {
          exhaustion: "2d",
          long: "1h",
          severity: "critical",
          short: "5m",
          slo: "api-availability",
        },
        pendingAtMs: tick(pending),
        firingAtMs: tick(pending + 8),
      },
    ]);
  });
});

describe("latency, saturation and traffic rules", () => {
  const rules = rulesOf("latency-saturation.yaml");
  const byName = (episodes: Episode[], alert: string) =>
    fired(episodes.filter((e) => e.alert === alert));

  test("p99 above 250 ms once more than 1% of the 5m window is slow: 4 slow ticks of 5%, then for 1m", () => {
    // 1500 requests a tick, all within 100 ms until tick 100, then 5% between 250 and 500 ms: the
    // window's 19 intervals hold m slow ticks, a slow share of 5%·m/19, past 1% at m = 4 (tick 103).
    const episodes = run(rules, 140, (store, k) => {
      const slow = Math.max(0, k - 99) * 75;
      const all = 1500 * k;
      const bucket = (le: string, v: number) =>
        set(store, "meshsim_request_duration_seconds_bucket", { service: "api", le }, v);
      bucket("0.1", all - slow);
      bucket("0.25", all - slow);
      bucket("0.5", all);
      bucket("+Inf", all);
      set(store, "meshsim_requests_total", { service: "api", instance: "api-0" }, all);
    });
    expect(byName(episodes, "ApiLatencyP99High")).toEqual([
      {
        alert: "ApiLatencyP99High",
        labels: { severity: "warning" },
        pendingAtMs: tick(103),
        firingAtMs: tick(107),
      },
    ]);
  });

  test("a queue growing by one a tick from tick 50: backlog above 40 at tick 91, an overflow predicted 10 min ahead at tick 111", () => {
    // predict_linear over 5m of a line of slope 1 per 15 s: the value now + 40 in 600 s; past 100.5
    // when the queue is 61 (tick 111). The queue reaches 41 at tick 91.
    const episodes = run(rules, 130, (store, k) => {
      set(
        store,
        "meshsim_instance_queue_length",
        { service: "api", instance: "api-0" },
        Math.max(0, k - 50),
      );
      set(store, "meshsim_requests_total", { service: "api", instance: "api-0" }, 1500 * k);
    });
    expect(byName(episodes, "QueueBacklog")).toEqual([
      {
        alert: "QueueBacklog",
        labels: { instance: "api-0", service: "api", severity: "warning" },
        pendingAtMs: tick(91),
        firingAtMs: tick(91),
      },
    ]);
    expect(byName(episodes, "QueueWillOverflow")).toEqual([
      {
        alert: "QueueWillOverflow",
        labels: { instance: "api-0", service: "api", severity: "critical" },
        pendingAtMs: tick(111),
        firingAtMs: tick(111),
      },
    ]);
  });

  test("traffic below half of 30 min before (offset 30m): from tick 200 at 40%, the 5m rate passes below at its 16th low tick", () => {
    // (m · 600 + (19 − m) · 1500) / 19 < 750 for m > 15.8: tick 215. 30 min earlier the rate was 1500.
    let total = 0;
    const episodes = run(rules, 240, (store, k) => {
      total += k < 200 ? 1500 : 600;
      set(store, "meshsim_requests_total", { service: "api", instance: "api-0" }, total);
    });
    expect(byName(episodes, "TrafficDrop")).toEqual([
      {
        alert: "TrafficDrop",
        labels: { severity: "ticket" },
        pendingAtMs: tick(215),
        firingAtMs: tick(215),
      },
    ]);
  });
});
