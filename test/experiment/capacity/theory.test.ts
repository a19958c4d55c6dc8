// meshsim capacity against closed forms of queueing theory. Each target is set between the exact
// answer and its cheaper neighbour with a margin of 7% or more on both sides, well outside the
// spread of the simulated figure over seeds (noted per case), so noise cannot flip the answer.
import { describe, expect, it } from "vitest";
import { capacity } from "../../../src/experiment/capacity/capacity.ts";
import type { CapacityPlan, MaxRatePlan } from "../../../src/result/capacity.ts";
import { file, station } from "./scenarios.ts";

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/** Erlang C: the probability that an arrival waits at an M/M/c station of offered load a. */
function erlangC(c: number, a: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = (term * c) / (c - a);
  return top / (sum + top);
}

describe("the fewest servers of one M/M/c station for a mean sojourn target (Erlang C)", () => {
  // λ = 450/s, μ = 100/s: mean sojourn C(c, 4.5)/(cμ − λ) + 1/μ is 12.81 ms at c = 6 and
  // 10.87 ms at c = 7; the target 11.8 ms is 8% from each. Measured over the 5 seeds: 10.93
  // ±0.15 ms at c = 7, 12.98 ±0.39 ms at c = 6 (95% half-widths), 30 runs in all.
  it("answers c = 7, as the closed form does", async () => {
    const sojournMs = (c: number) => 1000 * (erlangC(c, 4.5) / (c * 100 - 450) + 0.01);
    const exact = range(5, 12).find((c) => sojournMs(c) < 11.8);
    expect(exact).toBe(7);
    const plan = (await capacity(
      file("mmc", station({ rate: 450, duration: "50s", threshold: "avg<11.8ms" })),
      {
        vary: [{ path: ["services", "server", "concurrency"], values: range(1, 12) }],
        workers: "inline",
      },
    )) as CapacityPlan;
    expect(plan.recommended).toEqual({ "services.server.concurrency": exact });
    expect(plan.status).toBe("found");
    // The model's bound: ⌊450 × 0.01⌋ + 1 = 5 slots before any run.
    expect(plan.dimensions[0].modelBound).toBe(5);
  });
});

describe("the fewest instances behind the random balancer for a p99 target", () => {
  // λ = 400/s split at random over n instances, each an M/M/1 at λ/n with p99 sojourn
  // ln(100)/(μ − λ/n): 138 ms at n = 6, 107 ms at n = 7; the target 120 ms is 13% above and
  // 12% below them. Measured over the 5 seeds: 106.4 ±8.5 ms at n = 7, 140.3 ±11.3 ms at n = 6.
  it("answers n = 7, as the closed form does", async () => {
    const p99Ms = (n: number) => (1000 * Math.log(100)) / (100 - 400 / n);
    const exact = range(5, 12).find((n) => p99Ms(n) < 120);
    expect(exact).toBe(7);
    const plan = (await capacity(
      file(
        "random",
        station({ rate: 400, duration: "60s", threshold: "p(99)<120ms", random: true }),
      ),
      {
        vary: [{ path: ["services", "server", "instances"], values: range(1, 12) }],
        workers: "inline",
      },
    )) as CapacityPlan;
    expect(plan.recommended).toEqual({ "services.server.instances": exact });
    expect(plan.cheaperNeighbours[0].verdict).toBe("fail");
  });
});

const TANDEM = `version: 1
name: tandem2
seed: 1
duration: 300s
warmup: 20s
network:
  latency: 0ms
services:
  front:
    instances: 1
    threading: async
    operations:
      work:
        serviceTime: exp(80ms)
        calls:
          - call: back.work
  back:
    instances: 1
    threading: async
    operations:
      work:
        serviceTime: exp(60ms)
mesh:
  defaults:
    loadBalancer: { policy: random }
load:
  - name: customers
    executor: constant-arrival-rate
    rate: 80
    timeUnit: 1s
    arrival: poisson
    target: front.work
thresholds:
  latency: ['avg<508ms']
`;

describe("the cheapest pair of instance counts for a two-station tandem (15 × 15)", () => {
  // Each station behind the random balancer is an M/M/1 at λ/n: the mean end-to-end sojourn is
  // 1/(12.5 − 80/n1) + 1/(16.67 − 80/n2) s. At cost 3·n1 + 2·n2 the enumeration's optimum is
  // (9, 7) at 468 ms; every cheaper pair is above 550 ms ((8, 8)) or unstable; 508 ms is 8% from
  // both. Measured: 474 ±16 ms at (9, 7), 561 ±43 at (8, 8) over 3 seeds.
  it("answers the enumeration's optimum with under a quarter of the grid's runs", async () => {
    const sojournMs = (n1: number, n2: number) => {
      const r1 = 12.5 - 80 / n1;
      const r2 = 1000 / 60 - 80 / n2;
      return r1 <= 0 || r2 <= 0 ? Number.POSITIVE_INFINITY : 1000 * (1 / r1 + 1 / r2);
    };
    const pairs = range(1, 15).flatMap((a) => range(1, 15).map((b) => [a, b]));
    const passing = pairs.filter(([a, b]) => sojournMs(a, b) < 508);
    passing.sort((p, q) => 3 * p[0] + 2 * p[1] - (3 * q[0] + 2 * q[1]));
    expect(passing[0]).toEqual([9, 7]);
    const plan = (await capacity(file("tandem", TANDEM), {
      vary: [
        { path: ["services", "front", "instances"], values: range(1, 15) },
        { path: ["services", "back", "instances"], values: range(1, 15) },
      ],
      cost: [
        { path: ["services", "front", "instances"], weight: 3 },
        { path: ["services", "back", "instances"], weight: 2 },
      ],
      seeds: 3,
      workers: "inline",
    })) as CapacityPlan;
    expect(plan.recommended).toEqual({
      "services.front.instances": passing[0][0],
      "services.back.instances": passing[0][1],
    });
    expect(plan.cost).toBe(41);
    // Measured: 75 runs at 18 points against 675 for the grid at 3 seeds (11%).
    console.log(`tandem 15 × 15: ${plan.runs} runs, grid ${plan.gridSize}`);
    expect(plan.gridSize).toBe(225 * 3);
    expect(plan.runs).toBeLessThanOrEqual(plan.gridSize / 4);
  });
});

describe("the highest arrival rate an M/M/1 station takes under a p99 target", () => {
  // p99 sojourn ln(100)/(μ − λ) < 230 ms gives λ < 100 − 4.605/0.23 = 79.98/s. Near λ* the p99
  // of a 200 s run spreads widely over seeds (±9% half-width at 20 seeds), so rates within a few
  // percent of λ* stay undecided at the cap: measured, the bracket [77.73, 81.25] with 78.1, 79.7,
  // 80.5 and 80.9 undecided inside it (status undecided, 155 runs). The bracket must hold λ*
  // within that spread either side.
  it("brackets λ* = 79.98/s", async () => {
    const ceiling = 100 - Math.log(100) / 0.23;
    const found = (await capacity(
      file("mm1", station({ rate: 50, duration: "200s", threshold: "p(99)<230ms" })),
      { maxRate: "customers", workers: "inline" },
    )) as MaxRatePlan;
    const [pass, fail] = found.bracket as [number, number];
    expect(pass).toBeLessThan(ceiling * 1.03);
    expect(pass).toBeGreaterThan(ceiling * 0.9);
    expect(fail).toBeGreaterThan(ceiling * 0.97);
    expect(fail).toBeLessThan(ceiling * 1.1);
    expect(found.maxRate).toBe(pass);
    expect(found.binding?.expression).toBe("p(99)<230ms");
  });
});
