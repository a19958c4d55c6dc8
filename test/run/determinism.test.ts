import { describe, expect, it } from "vitest";
import { resultJson } from "../../src/run/files.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { dist, mmc, poissonLoad, scenario, station } from "../helpers/scenarios.ts";

const tandem = (seed: number) =>
  scenario({
    seed,
    durationMs: 200_000,
    warmupMs: 10_000,
    latency: dist("lognormal(0.25ms, 0.5)"),
    services: [
      station({
        name: "user",
        threading: "async",
        serviceTime: "exp(8ms)",
        calls: [{ kind: "call", target: { service: "order", operation: "work" }, probability: 1 }],
      }),
      station({
        name: "order",
        instances: 3,
        concurrency: 2,
        serviceTime: "lognormal(15ms, 0.8)",
        errorRate: 0.01,
        calls: [
          { kind: "call", target: { service: "payment", operation: "work" }, probability: 0.7 },
        ],
      }),
      station({
        name: "payment",
        instances: 2,
        queueCapacity: 5,
        serviceTime: "mix(0.9: exp(20ms), 0.1: const(100ms))",
      }),
    ],
    load: [poissonLoad(60, "user")],
  });

describe("determinism", () => {
  it("gives byte-identical result JSON for the same scenario and seed", () => {
    expect(resultJson(runScenario(tandem(5)))).toBe(resultJson(runScenario(tandem(5))));
  });

  it("gives different results for different seeds", () => {
    expect(resultJson(runScenario(tandem(5)))).not.toBe(resultJson(runScenario(tandem(6))));
  });

  it("lets --seed override the file's seed", () => {
    expect(resultJson(runScenario(tandem(5), { seed: 6 }))).toBe(
      resultJson(runScenario(tandem(6))),
    );
  });

  it("does not change one service's arrivals and service times when an unrelated service and load are added", () => {
    const alone = mmc({ lambda: 0.8, mu: 1, durationS: 20_000, seed: 3 });
    const withNeighbour = {
      ...alone,
      services: [
        station({ name: "aaa-neighbour", serviceTime: "exp(500ms)", instances: 2 }),
        ...alone.services,
      ],
      load: [poissonLoad(1.5, "aaa-neighbour", "neighbours"), ...alone.load],
    };
    const a = runScenario(alone);
    const b = runScenario(withNeighbour);
    expect(b.load.customers).toEqual(a.load.customers);
    expect(b.services.server).toEqual(a.services.server);
    expect(b.services["aaa-neighbour"].requests).toBeGreaterThan(0);
  });
});
