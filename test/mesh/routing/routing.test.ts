import { describe, expect, it } from "vitest";
import { runScenario } from "../../../src/run/runScenario.ts";
import type { LoadSpec, RouteSpec } from "../../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../../helpers/scenarios.ts";

// payment has 4 instances: payment-0..2 are version v1, payment-3 is version v2 (the canary).
const versions = [
  { name: "v1", instances: 3, labels: { version: "v1" }, weight: 1, serviceTimeFactor: 1 },
  { name: "v2", instances: 1, labels: { version: "v2" }, weight: 1, serviceTimeFactor: 1 },
];
const subsets = [
  { name: "stable", labels: { version: "v1" } },
  { name: "canary", labels: { version: "v2" } },
];

function run(routes: RouteSpec[], vipShare = 0.1) {
  const load: LoadSpec = {
    ...poissonLoad(500, "payment"),
    attributes: [
      {
        name: "tier",
        values: [
          { value: "vip", probability: vipShare },
          { value: "regular", probability: 1 - vipShare },
        ],
      },
    ],
  };
  const payment = station({
    name: "payment",
    instances: 4,
    versions,
    concurrency: 50,
    serviceTime: "exp(2ms)",
    subsets,
    routes,
  });
  return runScenario(scenario({ services: [payment], load: [load], durationMs: 60_000 }));
}

const share = (result: ReturnType<typeof run>, id: string) =>
  result.edges["load:customers->payment"].share[id];

describe("routing (Istio VirtualService over DestinationRule subsets)", () => {
  it("splits 90/10 between subsets by weight, within binomial error", () => {
    const result = run([
      {
        match: [],
        destinations: [
          { subset: "stable", weight: 90 },
          { subset: "canary", weight: 10 },
        ],
      },
    ]);
    const n = result.edges["load:customers->payment"].requests;
    // The canary's share is Binomial(n, 0.1)/n: standard error sqrt(0.09/n) ≈ 0.0017 at n ≈ 30,000.
    expect(Math.abs(share(result, "payment-3") - 0.1)).toBeLessThan(5 * Math.sqrt(0.09 / n));
    // Shares are rounded to 6 significant digits in the result.
    expect(
      share(result, "payment-0") + share(result, "payment-1") + share(result, "payment-2"),
    ).toBeCloseTo(1 - share(result, "payment-3"), 5);
  });

  it("sends requests matching the first route to its subset, and the rest down the later routes", () => {
    const result = run([
      { match: [{ tier: "vip" }], destinations: [{ subset: "canary", weight: 100 }] },
      { match: [], destinations: [{ subset: "stable", weight: 100 }] },
    ]);
    const n = result.edges["load:customers->payment"].requests;
    // Exactly the VIPs (10% of requests, drawn per request) reach the canary.
    expect(Math.abs(share(result, "payment-3") - 0.1)).toBeLessThan(5 * Math.sqrt(0.09 / n));
    expect(result.load.customers.failed).toBe(0);
  });

  it("treats a list of matches as OR and the attributes of one match as AND", () => {
    const or = run([
      {
        match: [{ tier: "vip" }, { tier: "regular" }],
        destinations: [{ subset: "canary", weight: 100 }],
      },
    ]);
    expect(share(or, "payment-3")).toBe(1);
    const and = run([
      { match: [{ tier: "vip", region: "eu" }], destinations: [{ subset: "canary", weight: 100 }] },
      { match: [], destinations: [{ subset: null, weight: 100 }] },
    ]);
    expect(and.edges["load:customers->payment"].requests).toBeGreaterThan(0);
    expect(share(and, "payment-3")).toBeLessThan(0.35); // all instances, not only the canary
  });

  it("answers 404 at the caller's sidecar when no route matches, without touching an instance", () => {
    const result = run(
      [{ match: [{ tier: "vip" }], destinations: [{ subset: "canary", weight: 100 }] }],
      0.5,
    );
    const load = result.load.customers;
    expect(load.failures["404"]).toBeGreaterThan(0);
    expect(load.failures["404"] + load.completed + load.inFlight).toBe(load.offered);
    // Every routed request reached an instance: answered there, or still in flight at the end.
    expect(result.services.payment.requests + load.inFlight).toBe(
      load.offered - load.failures["404"],
    );
  });

  it("splits the same requests the same way in every run (keyed draws)", () => {
    const routes: RouteSpec[] = [
      {
        match: [],
        destinations: [
          { subset: "stable", weight: 50 },
          { subset: "canary", weight: 50 },
        ],
      },
    ];
    expect(JSON.stringify(run(routes))).toBe(JSON.stringify(run(routes)));
  });
});
