// The metric exports follow kube-state-metrics: a pod that does not exist has no series. A standby
// slot never started exports no sample at all, a slot started later none before it started, and an
// instance a fault killed keeps reading meshsim_instance_up 0 (a crashed container still exists).
import { describe, expect, test } from "vitest";
import { renderOpenMetrics } from "../../src/report/exports/openMetrics.ts";
import { podPointExists } from "../../src/report/exports/podPresence.ts";
import { renderPrometheusText } from "../../src/report/exports/prometheusText.ts";
import type { MetricsResult } from "../../src/result/metrics.ts";
import type { RunResult, StateChange } from "../../src/result/run.ts";

const up = (instance: string, values: number[]) => ({
  family: "meshsim_instance_up",
  name: "meshsim_instance_up",
  labels: { service: "payment", instance },
  values,
});

const METRICS: MetricsResult = {
  scrapeIntervalMs: 10_000,
  stepMs: 10_000,
  timesMs: [10_000, 20_000, 30_000],
  families: [{ name: "meshsim_instance_up", type: "gauge", unit: "", help: "Up." }],
  series: [
    up("payment-0", [1, 1, 1]),
    up("payment-1", [0, 1, 1]), // scaled up at 15 s
    up("payment-2", [0, 0, 0]), // a standby slot never started
    up("payment-3", [1, 0, 0]), // killed by a fault at 15 s
    up("payment-4", [1, 1, 0]), // scaled down at 25 s
  ],
};

const change = (atMs: number, component: string, from: string, to: string): StateChange =>
  ({ atMs, component, from, to }) as StateChange;

const RESULT = {
  metrics: METRICS,
  stateChanges: [
    change(15_000, "pod payment-1", "stopped", "starting"),
    change(15_000, "instance payment-3", "running", "dead"),
    change(16_000, "pod payment-1", "starting", "ready"),
    change(25_000, "pod payment-4", "ready", "stopped"),
  ],
} as unknown as RunResult;

describe("meshsim_instance_up in the exports", () => {
  const exists = podPointExists(RESULT);

  test("metrics.prom has no series for a slot that is no pod at the end; a killed instance reads 0", () => {
    const prom = renderPrometheusText(METRICS, exists);
    expect(prom).toContain('meshsim_instance_up{service="payment",instance="payment-0"} 1');
    expect(prom).toContain('meshsim_instance_up{service="payment",instance="payment-1"} 1');
    expect(prom).toContain('meshsim_instance_up{service="payment",instance="payment-3"} 0');
    expect(prom).not.toContain("payment-2");
    expect(prom).not.toContain("payment-4");
  });

  test("metrics.om leaves out the points at which a slot was no pod", () => {
    const om = renderOpenMetrics(METRICS, 0, exists);
    const points = (instance: string) =>
      om
        .split("\n")
        .filter((line) => line.includes(`instance="${instance}"`))
        .map((line) => line.split(" ").slice(-2).join(" "));
    expect(points("payment-0")).toEqual(["1 10", "1 20", "1 30"]);
    expect(points("payment-1")).toEqual(["1 20", "1 30"]);
    expect(points("payment-2")).toEqual([]);
    expect(points("payment-3")).toEqual(["1 10", "0 20", "0 30"]);
    expect(points("payment-4")).toEqual(["1 10", "1 20"]);
  });

  test("without a result, every point is exported as stored", () => {
    expect(renderPrometheusText(METRICS)).toContain('instance="payment-2"} 0');
  });
});
