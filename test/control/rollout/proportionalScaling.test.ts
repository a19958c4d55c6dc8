// Kubernetes' proportional scaling of a Deployment scaled mid-rollout
// (src/control/rollout/proportionalScaling.ts): the worked example of the Deployment docs and the
// controller's invariants.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { proportionalSizes } from "../../../src/control/rollout/proportionalScaling.ts";

describe("proportional scaling (deployment controller, sync.go scale)", () => {
  it("spreads 10 → 15 replicas over an old set of 8 and a blocked new one of 5 as 11 and 7 (the Kubernetes docs' example)", () => {
    // maxSurge 3: before, 10 + 3 = 13 pods; after, 15 + 3 = 18. Old: round(8 × 18/13) = 11; new: round(5 × 18/13) = 7.
    expect(
      proportionalSizes(
        [
          { replicas: 8, age: 0 },
          { replicas: 5, age: 1 },
        ],
        15,
        3,
        13,
      ),
    ).toEqual([11, 7]);
  });

  it("scales back down the same way, larger sets first", () => {
    expect(
      proportionalSizes(
        [
          { replicas: 11, age: 0 },
          { replicas: 7, age: 1 },
        ],
        10,
        3,
        18,
      ),
    ).toEqual([8, 5]);
  });

  it("gives the whole count to the only set with pods, and to the newest when none has any", () => {
    expect(
      proportionalSizes(
        [
          { replicas: 4, age: 0 },
          { replicas: 0, age: 1 },
        ],
        7,
        2,
        5,
      ),
    ).toEqual([7, 0]);
    expect(
      proportionalSizes(
        [
          { replicas: 0, age: 0 },
          { replicas: 0, age: 1 },
        ],
        3,
        1,
        5,
      ),
    ).toEqual([0, 3]);
  });

  it("breaks ties towards the newer set when adding and the older when removing, and gives it the rounding rest", () => {
    // 4 + 4 at max 8 → replicas 7, surge 2: 9 allowed, one to add: round(4 × 9/8) − 4 = 1 to the newer.
    expect(
      proportionalSizes(
        [
          { replicas: 4, age: 0 },
          { replicas: 4, age: 1 },
        ],
        7,
        2,
        8,
      ),
    ).toEqual([4, 5]);
    // 4 + 4 at max 8 → replicas 5, surge 2: 7 allowed, one to remove: from the older.
    expect(
      proportionalSizes(
        [
          { replicas: 4, age: 0 },
          { replicas: 4, age: 1 },
        ],
        5,
        2,
        8,
      ),
    ).toEqual([3, 4]);
  });

  const setsArb = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 4 });
  propTest.prop([
    setsArb,
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 10 }),
    fc.integer({ min: 1, max: 60 }),
  ])(
    "with two or more sets that have pods, the sizes add up to replicas + maxSurge, none negative, empty sets stay empty",
    (replicas, target, surge, oldMax) => {
      const sets = replicas.map((r, age) => ({ replicas: r, age }));
      const sizes = proportionalSizes(sets, target, surge, oldMax);
      expect(sizes.every((s) => s >= 0)).toBe(true);
      const active = sets.filter((s) => s.replicas > 0).length;
      // With no set holding pods, FindActiveOrLatest gives the newest set everything (a
      // counterexample fast-check found: sets [0, 0], 1 replica); otherwise empty sets stay empty.
      sets.forEach((s, i) => {
        if (s.replicas === 0 && active > 0) expect(sizes[i]).toBe(0);
      });
      if (active === 0) expect(sizes[sets.length - 1]).toBe(target);
      const total = sizes.reduce((a, b) => a + b, 0);
      if (active >= 2 && target > 0) {
        // The rest goes to the largest set, clamped at 0, so the total can only overshoot when removing more than it holds.
        expect(total).toBeGreaterThanOrEqual(target + surge);
        if (total !== target + surge)
          expect(sizes.some((s, i) => s === 0 && sets[i].replicas > 0)).toBe(true);
      }
      if (active <= 1) expect(total).toBe(target);
    },
  );
});
