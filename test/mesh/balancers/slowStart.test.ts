// Envoy slow start (src/mesh/balancers/slowStart.ts): worked points of
// max(minWeightPercent / 100, (max(age, 1 ms) / window)^(1 / aggression)) and its properties.
// fast-check prints its seed on failure; pass { seed } to test.prop to replay one.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { slowStartConfig, slowStartMultiplier } from "../../../src/mesh/balancers/slowStart.ts";
import { ENVOY_SLOW_START as ENVOY } from "../../../src/scenario/defaults.ts";

describe("Envoy slow start multiplier", () => {
  const linear = slowStartConfig(60_000, ENVOY.aggression, ENVOY.minWeightPercent)!; // window 60 s, aggression 1.0, min 10%

  it("defaults to aggression 1.0 and a 10% floor, and is off without a window", () => {
    expect(linear).toEqual({ windowMs: 60_000, aggression: 1, minWeightPercent: 10 });
    expect(slowStartConfig(null, ENVOY.aggression, ENVOY.minWeightPercent)).toBeNull();
    expect(slowStartConfig(0, ENVOY.aggression, ENVOY.minWeightPercent)).toBeNull();
    expect(slowStartMultiplier(null, 0)).toBe(1);
  });

  it("ramps linearly over a 60 s window with aggression 1.0, held at 10% for the first 6 s", () => {
    expect(slowStartMultiplier(linear, 0)).toBe(0.1);
    expect(slowStartMultiplier(linear, 3_000)).toBe(0.1);
    expect(slowStartMultiplier(linear, 6_000)).toBe(0.1);
    expect(slowStartMultiplier(linear, 15_000)).toBe(0.25);
    expect(slowStartMultiplier(linear, 30_000)).toBe(0.5);
    expect(slowStartMultiplier(linear, 45_000)).toBe(0.75);
    expect(slowStartMultiplier(linear, 59_999)).toBe(59_999 / 60_000);
  });

  it("gives full weight from the end of the window on (Envoy checks age < window)", () => {
    expect(slowStartMultiplier(linear, 60_000)).toBe(1);
    expect(slowStartMultiplier(linear, 3_600_000)).toBe(1);
  });

  it("counts whole milliseconds, at least 1 ms, as Envoy's code does (its docs say 1 s)", () => {
    const noFloor = slowStartConfig(1_000, 1, 0)!;
    expect(slowStartMultiplier(noFloor, 0)).toBe(0.001);
    expect(slowStartMultiplier(noFloor, 0.9)).toBe(0.001);
    expect(slowStartMultiplier(noFloor, 250.7)).toBe(0.25);
  });

  it("ramps faster early with aggression above 1 and slower below 1", () => {
    const fast = slowStartConfig(60_000, 2, ENVOY.minWeightPercent)!;
    const slow = slowStartConfig(60_000, 0.5, ENVOY.minWeightPercent)!;
    expect(slowStartMultiplier(fast, 15_000)).toBe(0.5); // 0.25^(1/2)
    expect(slowStartMultiplier(fast, 30_000)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(slowStartMultiplier(slow, 30_000)).toBe(0.25); // 0.5^2
    expect(slowStartMultiplier(slow, 15_000)).toBe(0.1); // 0.0625 is below the 10% floor
  });

  it("leaves a host without a slow-start mark alone (unhealthy, or never passed its first active check)", () => {
    expect(slowStartMultiplier(linear, null)).toBe(1);
  });

  it("refuses configs Envoy could not run with, naming the field", () => {
    expect(() => slowStartConfig(-1, ENVOY.aggression, ENVOY.minWeightPercent)).toThrow(
      /windowMs must be a whole number of ms >= 1/,
    );
    expect(() => slowStartConfig(1.5, ENVOY.aggression, ENVOY.minWeightPercent)).toThrow(
      RangeError,
    );
    expect(() => slowStartConfig(1000, 0, ENVOY.minWeightPercent)).toThrow(
      /aggression must be a finite number > 0/,
    );
    expect(() => slowStartConfig(1000, 1, 101)).toThrow(/minWeightPercent must be in \[0, 100\]/);
    expect(() => slowStartMultiplier(linear, -1)).toThrow(/ageMs must be >= 0/);
  });
});

const config = fc
  .record({
    windowMs: fc.integer({ min: 1, max: 600_000 }),
    aggression: fc.double({ min: 0.05, max: 20, noNaN: true }),
    minWeightPercent: fc.double({ min: 0, max: 100, noNaN: true }),
  })
  .map((c) => slowStartConfig(c.windowMs, c.aggression, c.minWeightPercent)!);

describe("slow start properties", () => {
  propTest.prop([
    config,
    fc.double({ min: 0, max: 2_000_000, noNaN: true }),
    fc.double({ min: 0, max: 2_000_000, noNaN: true }),
  ])("never falls as the host ages", (c, a, b) => {
    const [early, late] = a <= b ? [a, b] : [b, a];
    expect(slowStartMultiplier(c, early)).toBeLessThanOrEqual(slowStartMultiplier(c, late));
  });

  propTest.prop([config, fc.double({ min: 0, max: 2_000_000, noNaN: true })])(
    "stays within [minWeightPercent / 100, 1]",
    (c, age) => {
      const m = slowStartMultiplier(c, age);
      expect(m).toBeGreaterThanOrEqual(c.minWeightPercent / 100);
      expect(m).toBeLessThanOrEqual(1);
    },
  );

  propTest.prop([config, fc.double({ min: 0, max: 10_000_000, noNaN: true })])(
    "is exactly 1 at and after the window",
    (c, extra) => {
      expect(slowStartMultiplier(c, c.windowMs + extra)).toBe(1);
    },
  );

  propTest.prop([config, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])(
    "is below 1 inside the window whenever the floor is below 1 (the 1 ms minimum aside)",
    (c, fraction) => {
      const age = Math.floor(fraction * c.windowMs);
      if (c.minWeightPercent < 100 && Math.max(age, 1) < c.windowMs)
        expect(slowStartMultiplier(c, age)).toBeLessThan(1);
    },
  );
});
