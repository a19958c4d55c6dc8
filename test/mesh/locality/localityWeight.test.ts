// Envoy locality-weighted balancing inside one priority (src/mesh/locality/localityWeight.ts), checked
// against the table of Envoy's locality_weight.rst: localities X (weight 1) and Y (weight 2), Y fully
// available, overprovisioning 1.4. fast-check prints its seed on failure.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  localityEffectiveWeight,
  localityShares,
} from "../../../src/mesh/locality/localityWeight.ts";

const xy = (xAvailable: number) => [
  { weight: 1, available: xAvailable, total: 100 },
  { weight: 2, available: 100, total: 100 },
];

describe("Envoy locality weights (locality_weight.rst: X weight 1, Y weight 2)", () => {
  it.each([
    [100, 33, 67],
    [70, 33, 67],
    [50, 26, 74],
    [25, 15, 85],
    [0, 0, 100],
  ])("X %i percent available: X gets %i percent, Y %i percent (rounded)", (x, toX, toY) => {
    const shares = localityShares(xy(x));
    expect(shares).not.toBeNull();
    expect(Math.round(100 * shares![0])).toBe(toX);
    expect(Math.round(100 * shares![1])).toBe(toY);
  });

  it("X 69 percent available gets 0.966 / 2.966 = 32.57%: the doc's 32 truncates availability to 96 first, Envoy's code does not", () => {
    const shares = localityShares(xy(69))!;
    expect(shares[0]).toBeCloseTo(0.966 / 2.966, 12);
    expect(Math.round(100 * shares[0])).toBe(33);
    expect(Math.round(100 * (96 / 296))).toBe(32); // the doc: availability floor(140 x 0.69) = 96, then rounded
  });

  it("scales a locality's weight only below 1/1.4 of its hosts available", () => {
    expect(localityEffectiveWeight({ weight: 10, available: 5, total: 7 })).toBeCloseTo(10, 12);
    expect(localityEffectiveWeight({ weight: 10, available: 1, total: 2 })).toBeCloseTo(7, 12);
    expect(localityEffectiveWeight({ weight: 10, available: 1, total: 2 }, 100)).toBeCloseTo(5, 12);
  });

  it("gives nothing to an empty locality or one with weight 0, and no pick at all when every weight is 0", () => {
    expect(localityEffectiveWeight({ weight: 3, available: 0, total: 0 })).toBe(0);
    expect(
      localityShares([
        { weight: 0, available: 4, total: 4 },
        { weight: 1, available: 4, total: 4 },
      ]),
    ).toEqual([0, 1]);
    expect(
      localityShares([
        { weight: 1, available: 0, total: 4 },
        { weight: 2, available: 0, total: 0 },
      ]),
    ).toBeNull();
  });

  it("refuses impossible localities, naming the field", () => {
    expect(() => localityEffectiveWeight({ weight: -1, available: 0, total: 1 })).toThrow(
      /weight must be a non-negative integer/,
    );
    expect(() => localityEffectiveWeight({ weight: 1, available: 2, total: 1 })).toThrow(
      /available \(2\) exceeds total \(1\)/,
    );
    expect(() => localityShares(xy(1), 1.4)).toThrow(/overprovisioningPercent must be an integer/);
  });
});

const locality = fc
  .record({
    weight: fc.integer({ min: 0, max: 100 }),
    total: fc.integer({ min: 0, max: 50 }),
    a: fc.nat(),
  })
  .map(({ weight, total, a }) => ({ weight, total, available: a % (total + 1) }));

describe("locality share properties", () => {
  propTest.prop([
    fc.array(locality, { minLength: 1, maxLength: 6 }),
    fc.integer({ min: 100, max: 200 }),
  ])("shares lie in [0, 1] and sum to 1 whenever any locality can be picked", (ls, over) => {
    const shares = localityShares(ls, over);
    if (shares === null) {
      expect(ls.every((l) => localityEffectiveWeight(l, over) === 0)).toBe(true);
      return;
    }
    expect(shares.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  propTest.prop([fc.array(locality, { minLength: 1, maxLength: 6 })])(
    "with every locality fully available the shares are the EDS weights' shares",
    (ls) => {
      const full = ls.map((l) => ({ ...l, available: l.total }));
      const shares = localityShares(full);
      const weights = full.map((l) => (l.total > 0 ? l.weight : 0));
      const total = weights.reduce((a, b) => a + b, 0);
      if (total === 0) expect(shares).toBeNull();
      else
        shares!.forEach((s, i) => {
          expect(s).toBeCloseTo(weights[i] / total, 12);
        });
    },
  );

  propTest.prop([locality, fc.integer({ min: 100, max: 200 })])(
    "a locality's effective weight never falls as it gains available hosts",
    (l, over) => {
      let previous = -1;
      for (let a = 0; a <= l.total; a++) {
        const w = localityEffectiveWeight({ ...l, available: a }, over);
        expect(w).toBeGreaterThanOrEqual(previous);
        expect(w).toBeLessThanOrEqual(l.weight);
        previous = w;
      }
    },
  );
});
