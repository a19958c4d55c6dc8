// The up-front cost estimate: requests from the loads' rates, events from the calls each request
// makes down the call graph, memory from instances and stored series. It is checked against
// actual runs of the shipped scenarios in the result's `cost` field (see the snapshot tests);
// here against closed forms.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { estimateCost, overBudget } from "../../src/scenario/cost.ts";
import { loadScenarioFile, parseScenario } from "../../src/scenario/loader.ts";

describe("the cost estimate", () => {
  test("mm1 offers 0.9/s over 20000 s: 18000 requests, one call each", () => {
    const estimate = estimateCost(loadScenarioFile("scenarios/mm1.yaml"));
    expect(estimate.requests).toBe(18_000);
    expect(estimate.events).toBe(18_000 * 3.5);
    expect(estimate.scrapes).toBe(20_000_000 / 15_000 - ((20_000_000 / 15_000) % 1));
  });

  test("a call graph multiplies the calls by each step's probability", () => {
    const scenario = parseScenario(
      `version: 1
name: graph
duration: 100s
services:
  a:
    operations:
      w:
        serviceTime: 1ms
        calls: [{ call: b.w }, { parallel: [{ call: b.w }, { call: c.w, probability: 0.5 }] }]
  b: { operations: { w: { serviceTime: 1ms, calls: [{ call: c.w }] } } }
  c: { operations: { w: { serviceTime: 1ms } } }
load:
  - { name: l, executor: constant-arrival-rate, target: a.w, rate: 10 }
`,
      "graph.yaml",
    );
    // a (1) + 2 × b (each 1 + c) + 0.5 × c = 1 + 4 + 0.5 calls per request, 1000 requests.
    expect(estimateCost(scenario).events).toBe(1000 * 5.5 * 3.5);
  });

  test("a budget names what is over it, and maxEvents caps the events held against it", () => {
    const estimate = { requests: 10, events: 5e9, cappedEvents: 2e9, scrapes: 1, memoryMB: 5000 };
    expect(overBudget(estimate, { events: 1e9, memoryMB: 4096 })).toBe(
      "the run is estimated at about 5000000000 events for 10 requests (maxEvents caps it at 2000000000), above the --max-events budget of 1000000000, and at about 5000 MiB, above the --max-memory budget of 4096 MiB",
    );
    expect(overBudget(estimate, { events: 2e9, memoryMB: 5000 })).toBeNull();
  });

  // Peak RSS is not deterministic (the collector's timing, the Node version), so the estimate is
  // held to the measurements written in docs/reliability.md (bench/memoryEstimate.ts, compiled CLI,
  // Node 20): each growth the bench measured, and the base, must stay at or under the estimate.
  const mm1 = (set: [(string | number)[], unknown][]) =>
    estimateCost(
      parseScenario(
        readFileSync("scenarios/mm1.yaml", "utf8"),
        "mm1.yaml",
        set.map(([path, value]) => ({ path, value, origin: "test" })),
      ),
    ).memoryMB;
  const short: [(string | number)[], unknown][] = [
    [["duration"], "600s"],
    [["warmup"], "10s"],
  ];

  test("memory: above the measured peaks of mm1 (80 MiB) and the whole checkout (121 MiB)", () => {
    expect(estimateCost(loadScenarioFile("scenarios/mm1.yaml")).memoryMB).toBeGreaterThan(80);
    expect(estimateCost(loadScenarioFile("scenarios/checkout.yaml")).memoryMB).toBeGreaterThan(121);
  });

  test("memory: 9,000 more instances add more than the 87 MiB measured, 9,000 more clients the 21", () => {
    const instances = (n: number) => mm1([...short, [["services", "server", "instances"], n]]);
    expect(instances(10_000) - instances(1_000)).toBeGreaterThan(87);
    expect(instances(10_000)).toBeGreaterThan(181);
    const clients = (n: number) => mm1([...short, [["load", 0, "clients"], n]]);
    expect(clients(10_000) - clients(1_000)).toBeGreaterThan(21);
  });

  test("memory: 2,900 more stored points of 1,000 instances' series add more than the 498 MiB measured", () => {
    const points = (n: number) =>
      mm1([
        [["duration"], `${n * 15}s`],
        [["warmup"], "10s"],
        [["load", 0, "rate"], 0.05],
        [["services", "server", "instances"], 1000],
        [["monitoring"], { maxPoints: n }],
      ]);
    expect(points(3000) - points(100)).toBeGreaterThan(597 - 99);
    expect(points(3000)).toBeGreaterThan(597);
  });
});
