import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { RateProfile } from "../../src/load/rateProfile.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import type { LoadSpec } from "../../src/scenario/types.ts";
import { dist, scenario, station } from "../helpers/scenarios.ts";

const common = {
  name: "l",
  target: { service: "server", operation: "work" },
  startTimeMs: 0,
  clients: 1,
  zone: null,
  keys: null,
  attributes: [],
};

describe("ramping-vus", () => {
  it("adds one VU at each integer crossing of the ramp and lets each finish its iteration on the way down", () => {
    // 0 → 4 VUs over 4 s, hold 4 s, 4 → 0 over 4 s; each iteration is exactly 100 ms with no think
    // time and no queueing. VU k (1-based) starts at k s and stops at (13 − k) s, so it runs
    // 10·(13 − 2k) iterations: 110, 90, 70 and 50.
    const load: LoadSpec = {
      ...common,
      executor: "ramping-vus",
      durationMs: 12_000,
      startVUs: 0,
      stages: [
        { durationMs: 4_000, target: 4 },
        { durationMs: 4_000, target: 4 },
        { durationMs: 4_000, target: 0 },
      ],
      thinkTime: dist("0"),
    };
    const result = runScenario(
      scenario({
        services: [station({ concurrency: 10, serviceTime: "const(100ms)" })],
        load: [load],
        durationMs: 13_000,
      }),
    );
    expect(result.load.l.offered).toBe(110 + 90 + 70 + 50);
    expect(result.load.l.inFlight).toBe(0);
    expect(result.services.server.instances[0].activeMax).toBe(4);
  });

  it("keeps a constant-vus load at exactly `vus` requests in flight", () => {
    const load: LoadSpec = {
      ...common,
      executor: "constant-vus",
      durationMs: 10_000,
      vus: 3,
      thinkTime: dist("0"),
    };
    const result = runScenario(
      scenario({
        services: [station({ concurrency: 10, serviceTime: "exp(50ms)" })],
        load: [load],
        durationMs: 12_000,
      }),
    );
    expect(result.services.server.instances[0].activeMax).toBe(3);
    // With no think time exactly 3 calls are present from 0 to 10 s; each VU's last iteration may
    // run past 10 s by at most the longest call. So 3·10/12 <= L <= 3·(10 s + max)/12 s.
    const server = result.services.server;
    expect(server.meanInSystem).toBeGreaterThanOrEqual((3 * 10_000) / 12_000);
    expect(server.meanInSystem).toBeLessThanOrEqual(
      (3 * (10_000 + server.latencyMs.max)) / 12_000 + 1e-6,
    );
  });
});

describe("the arrival-rate profile", () => {
  fcTest.prop([fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 300 })])(
    "sends exactly rate × duration uniform arrivals for whole rates and durations",
    (ratePerS, durationS) => {
      const load: LoadSpec = {
        ...common,
        executor: "constant-arrival-rate",
        durationMs: durationS * 1000,
        ratePerMs: ratePerS / 1000,
        arrival: "uniform",
      };
      const result = runScenario(
        scenario({
          services: [station({ concurrency: 1000, serviceTime: "0" })],
          load: [load],
          durationMs: durationS * 1000 + 1000,
        }),
      );
      expect(result.load.l.offered).toBe(ratePerS * durationS);
    },
  );

  it("jumps at once over a k6 stage of 0s (a flash sale: 600/s, then 1500/s, then 600/s)", () => {
    const profile = RateProfile.stages(0, 0.6, [
      { durationMs: 1000, target: 0.6 },
      { durationMs: 0, target: 1.5 },
      { durationMs: 1000, target: 1.5 },
      { durationMs: 0, target: 0.6 },
      { durationMs: 1000, target: 0.6 },
    ]);
    expect(profile.totalMass).toBeCloseTo(600 + 1500 + 600, 9);
    expect(profile.timeAt(600)).toBeCloseTo(1000, 9);
    expect(profile.timeAt(600 + 750)).toBeCloseTo(1500, 9);
    expect(profile.timeAt(2100 + 300)).toBeCloseTo(2500, 9);
  });

  it("finds the time of a vanishing mass on a ramp that starts from zero (a counterexample fast-check found)", () => {
    const profile = RateProfile.stages(0, 0, [
      { durationMs: 1, target: 0.000014340618367464006 },
      { durationMs: 3873, target: 0 },
    ]);
    expect(profile.timeAt(9e-323 * profile.totalMass)).toBeLessThan(1e-100);
  });

  it("inverts at a subnormal start rate (the property's counterexample: rate 5e-324, a 2 ms ramp to 0.25)", () => {
    const profile = RateProfile.stages(0, 5e-324, [{ durationMs: 2, target: 0.25 }]);
    // Λ(y) = 5e-324·y + 0.0625·y² = 5e-324 at y ≈ √(5e-324 / 0.0625) ≈ 8.9e-162.
    const t = profile.timeAt(5e-324);
    expect(t).toBeGreaterThan(8e-162);
    expect(t).toBeLessThan(1e-161);
  });

  fcTest.prop([
    fc.double({ min: 0, max: 50, noNaN: true }),
    fc.array(
      fc.record({
        durationMs: fc.integer({ min: 0, max: 10_000 }),
        target: fc.double({ min: 0, max: 50, noNaN: true }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ])(
    "inverts its own integral: the time at mass m has exactly m expected arrivals before it",
    (startRate, stages, fraction) => {
      const profile = RateProfile.stages(0, startRate, stages);
      const total = profile.totalMass;
      const mass = fraction * total;
      const t = profile.timeAt(mass);
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThanOrEqual(profile.endMs);
      // Recompute Λ(t) by summing each stage's trapezoid up to t.
      let integral = 0;
      let start = 0;
      let rate = startRate;
      for (const s of stages) {
        const x = Math.min(Math.max(t - start, 0), s.durationMs);
        if (s.durationMs > 0)
          integral += rate * x + (0.5 * (s.target - rate) * x * x) / s.durationMs;
        start += s.durationMs;
        rate = s.target;
      }
      expect(Math.abs(integral - mass)).toBeLessThanOrEqual(1e-6 * Math.max(1, total));
    },
  );
});
