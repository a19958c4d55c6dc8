import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../src/observe/histogram.ts";
import { resultJson } from "../../src/run/files.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { mmc } from "../helpers/scenarios.ts";

describe("a run's mergeable histograms", () => {
  const scenario = mmc({ lambda: 0.8, mu: 1, durationS: 3000, warmupS: 100, seed: 3 });

  it("are absent unless asked for, so run --json keeps its bytes", () => {
    const plain = runScenario(scenario);
    expect("histograms" in plain).toBe(false);
    const withThem = runScenario(scenario, { histograms: true });
    const { histograms, ...rest } = withThem;
    expect(resultJson(rest)).toBe(resultJson(plain));
    expect(Object.keys(histograms!.load)).toEqual(["customers"]);
  });

  it("hold the very histograms the result's percentiles come from", () => {
    const result = runScenario(scenario, { histograms: true });
    const load = LatencyHistogram.fromEncoded(result.histograms!.load.customers);
    expect(load.summary()).toEqual(result.load.customers.latencyMs);
    expect(load.count).toBe(result.load.customers.completed + result.load.customers.failed);
    const server = LatencyHistogram.fromEncoded(result.histograms!.services.server);
    expect(server.summary()).toEqual(result.services.server.latencyMs);
  });
});
