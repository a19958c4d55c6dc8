// The multiwindow, multi-burn-rate rule on a scripted error ratio: the exact tick where both
// windows of a pair first burn too fast (worked out with Prometheus' increase(), stated below), the
// tick it stops, pairs ORed by severity, and the error ratio of each SLI. Mirrors
// src/observe/alerts/burnRate.ts.
import { describe, expect, test } from "vitest";
import { Alerting } from "../../../src/observe/alerts/alerting.ts";
import { BurnRateCondition } from "../../../src/observe/alerts/burnRate.ts";
import { SampleHistory } from "../../../src/observe/alerts/history.ts";
import { Evaluator } from "../../../src/observe/alerts/promql/evaluate.ts";
import type {
  BurnRateRuleSpec,
  BurnWindowSpec,
  SloSpec,
} from "../../../src/observe/alerts/types.ts";
import { SeriesStore } from "../../../src/observe/metrics/seriesStore.ts";
import { set, tick } from "./scripted.ts";

function burnRule(windows: BurnWindowSpec[], slo: Partial<SloSpec> = {}): BurnRateRuleSpec {
  return {
    kind: "burn-rate",
    name: "shop-slo",
    forMs: 0,
    keepFiringForMs: 0,
    slo: {
      target: { kind: "load", name: "shop" },
      objectivePercent: 99,
      budget: 0.01,
      sli: "availability",
      thresholdMs: null,
      windows,
      ...slo,
    },
  };
}

/**
 * 1000 requests finish per 15 s tick; `failing(k)` of them fail (status 500) in tick k. The
 * failed series is created at the first failure, as the monitor does.
 */
function scrape(
  store: SeriesStore,
  k: number,
  failing: (k: number) => number,
  totals: { failed: number; completed: number },
): void {
  const failed = failing(k);
  totals.failed += failed;
  totals.completed += 1000 - failed;
  set(store, "meshsim_load_completed_total", { load: "shop" }, totals.completed);
  if (totals.failed > 0)
    set(store, "meshsim_load_failed_total", { load: "shop", status: "500" }, totals.failed);
}

function runBurn(rule: BurnRateRuleSpec, ticks: number, failing: (k: number) => number) {
  const store = new SeriesStore();
  const alerting = new Alerting([rule]);
  const totals = { failed: 0, completed: 0 };
  for (let k = 1; k <= ticks; k++) {
    scrape(store, k, failing, totals);
    alerting.onScrape(tick(k), store);
  }
  return alerting.episodes;
}

const s = (seconds: number) => seconds * 1000;

describe("a load's availability SLO of 99% (budget 1%), pair 2m/30s at 10×", () => {
  // 20% of requests fail from tick 5 (75 s) to tick 12 (180 s): a 20× burn.
  const failing = (k: number) => (k >= 5 && k <= 12 ? 200 : 0);
  const rule = burnRule([{ longMs: s(120), shortMs: s(30), burnRate: 10, severity: "page" }]);

  test("fires at the first tick where both windows burn faster than 10×, and stops when the short window clears", () => {
    // Short window (t − 30 s, t]: two samples. At 75 s: failed 0 → 200 (no extrapolation back past
    // the counter's zero point), completed 4000 → 4800 (doubled to 1600): 200/1800 = 11.1% → 11.1×.
    // Long window (t − 2m, t], increase() of all samples in it:
    //   75 s: samples 15..75 s (5): failed 200, completed 3800 × 67.5/60 = 4275 → 4.47%  → 4.5×
    //   90 s: samples 15..90 s (6): failed 400, completed 4600 × 82.5/75 = 5060 → 7.33%  → 7.3×
    //  105 s: samples 15..105 s (7): failed 600, completed 5400 × 97.5/90 = 5850 → 9.30% → 9.3×
    //  120 s: samples 15..120 s (8): failed 800, completed 6200 × 120/105 = 7085.7 → 10.15% → 10.1×
    // So pending and firing at 120 s (for 0). Short window at 195 s: failed 1600 → 1600: 0× → resolved.
    expect(runBurn(rule, 16, failing)).toEqual([
      {
        alert: "shop-slo",
        labels: { load: "shop", severity: "page" },
        pendingAtMs: s(120),
        firingAtMs: s(120),
        resolvedAtMs: s(195),
      },
    ]);
  });

  test("a burn just under the rate never fires", () => {
    // 9% failing: a 9× burn in both windows at best.
    expect(runBurn(rule, 16, (k) => (k >= 5 ? 90 : 0))).toEqual([]);
  });

  test("the short window alone does not fire: a one-tick spike is too short for the long window", () => {
    // 300 fail in tick 5: the short window burns at 300 / (1400 + 300) = 17.6× at 75 s, the long one
    // at 300 / (3700 × 67.5/60 + 300) = 6.7×; at 90 s the short window is clear.
    expect(runBurn(rule, 16, (k) => (k === 5 ? 300 : 0))).toEqual([]);
  });
});

test("window pairs are ORed; each severity is its own alert instance", () => {
  const rule = burnRule([
    { longMs: s(120), shortMs: s(30), burnRate: 10, severity: "page" },
    { longMs: s(60), shortMs: s(30), burnRate: 5, severity: "ticket" },
    { longMs: s(60), shortMs: s(30), burnRate: 50, severity: "page" },
  ]);
  const episodes = runBurn(rule, 16, (k) => (k >= 5 && k <= 12 ? 200 : 0));
  // The 1m/30s pair at 5×: at 75 s the 1m window (15 s, 75 s] holds 30..75 s: failed 0 → 200,
  // completed 2000 → 4800 extrapolated by 60/45: 200 / (3733.3 + 200) = 5.08% → 5.1×, and the short
  // window burns at 11.1×: the ticket fires at 75 s, the 2m/30s page at 120 s (above); the 50× page never.
  expect(episodes.map((e) => [e.labels.severity, e.firingAtMs, e.resolvedAtMs])).toEqual([
    ["ticket", s(75), s(195)],
    ["page", s(120), s(195)],
  ]);
});

describe("error ratios", () => {
  /** One scrape per tick for 4 ticks of `perTick` increments, then the ratio over [1m] at 60 s. */
  function ratio(
    slo: Partial<SloSpec>,
    perTick: (store: SeriesStore, k: number) => void,
  ): number | null {
    const store = new SeriesStore();
    const history = new SampleHistory(s(60));
    const evaluator = new Evaluator(history, 15_000);
    for (let k = 1; k <= 4; k++) {
      perTick(store, k);
      history.record(tick(k), store.series);
    }
    return new BurnRateCondition(burnRule([], slo).slo).errorRatio(evaluator, s(60), tick(4));
  }

  test("load latency: requests slower than the threshold plus failures, over all that finished", () => {
    // Per tick: 100 completed (80 within 250 ms) and 25 failed: (20 + 25) / 125 = 36%.
    const value = ratio({ sli: "latency", thresholdMs: 250 }, (store, k) => {
      set(
        store,
        "meshsim_load_request_duration_seconds_bucket",
        { load: "shop", le: "0.25" },
        80 * k,
      );
      set(store, "meshsim_load_request_duration_seconds_count", { load: "shop" }, 100 * k);
      set(store, "meshsim_load_failed_total", { load: "shop", status: "503" }, 25 * k);
    });
    expect(value).toBeCloseTo(0.36, 12);
  });

  test("service availability: errors of every status over the calls of every instance", () => {
    const value = ratio({ target: { kind: "service", name: "api" } }, (store, k) => {
      set(store, "meshsim_requests_total", { service: "api", instance: "api-0" }, 300 * k);
      set(store, "meshsim_requests_total", { service: "api", instance: "api-1" }, 100 * k);
      set(store, "meshsim_request_errors_total", { service: "api", status: "500" }, 10 * k);
      set(store, "meshsim_request_errors_total", { service: "api", status: "429" }, 30 * k);
    });
    expect(value).toBeCloseTo(0.1, 12);
  });

  test("service latency: slow calls plus errors over calls, at most 1", () => {
    const value = ratio(
      { target: { kind: "service", name: "api" }, sli: "latency", thresholdMs: 100 },
      (store, k) => {
        set(store, "meshsim_requests_total", { service: "api", instance: "api-0" }, 100 * k);
        set(
          store,
          "meshsim_request_duration_seconds_bucket",
          { service: "api", le: "0.1" },
          90 * k,
        );
        set(store, "meshsim_request_duration_seconds_count", { service: "api" }, 100 * k);
        set(store, "meshsim_request_errors_total", { service: "api", status: "500" }, 5 * k);
      },
    );
    expect(value).toBeCloseTo(0.15, 12);
  });

  test("no finished request, no ratio", () => {
    expect(ratio({}, () => {})).toBeNull();
  });
});
