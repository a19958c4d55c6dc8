// The up-front cost estimate: requests from the loads' rates, events from the calls each request
// makes down the call graph, memory from instances and stored series. It is checked against
// actual runs of the shipped scenarios in the result's `cost` field (see the snapshot tests);
// here against closed forms.
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
});
