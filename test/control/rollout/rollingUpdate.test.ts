import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_ROLLING_UPDATE,
  type RollingUpdateStrategy,
  type RolloutState,
  resolveFenceposts,
  rollingStep,
} from "../../../src/control/rollout/rollingUpdate.ts";

/** Runs syncs until nothing changes (the controller requeues after each scale). */
function settle(state: RolloutState, strategy: RollingUpdateStrategy): RolloutState {
  for (;;) {
    const step = rollingStep(state, strategy);
    if (step.scaleUpNew === 0 && step.scaleDownOld === 0) return state;
    state = {
      ...state,
      newReplicas: state.newReplicas + step.scaleUpNew,
      oldReplicas: state.oldReplicas - step.scaleDownOld,
      // Unavailable old pods go first; the rest of the scale-down takes available ones.
      oldAvailable: state.oldAvailable - (step.scaleDownOld - step.cleanedUnavailable),
    };
  }
}

describe("rolling update fenceposts", () => {
  it("rounds surge up and unavailable down, as Kubernetes does", () => {
    expect(resolveFenceposts(DEFAULT_ROLLING_UPDATE, 4)).toEqual({ surge: 1, unavailable: 1 });
    expect(resolveFenceposts(DEFAULT_ROLLING_UPDATE, 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts(DEFAULT_ROLLING_UPDATE, 1)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts({ maxSurge: 2, maxUnavailable: "50%" }, 5)).toEqual({
      surge: 2,
      unavailable: 2,
    });
  });

  it("makes maxUnavailable 1 when both would be 0", () => {
    expect(resolveFenceposts({ maxSurge: 0, maxUnavailable: "10%" }, 3)).toEqual({
      surge: 0,
      unavailable: 1,
    });
  });
});

describe("rolling update steps", () => {
  it("walks 4 replicas with the defaults one surge pod at a time", () => {
    let s: RolloutState = {
      desired: 4,
      oldReplicas: 4,
      oldAvailable: 4,
      newReplicas: 0,
      newAvailable: 0,
    };
    s = settle(s, DEFAULT_ROLLING_UPDATE);
    // One new pod surges, one old one goes (3 available of 4 is allowed), and a second new pod fills the gap.
    expect(s).toEqual({
      desired: 4,
      oldReplicas: 3,
      oldAvailable: 3,
      newReplicas: 2,
      newAvailable: 0,
    });
    s = settle({ ...s, newAvailable: 1 }, DEFAULT_ROLLING_UPDATE);
    expect(s).toEqual({
      desired: 4,
      oldReplicas: 2,
      oldAvailable: 2,
      newReplicas: 3,
      newAvailable: 1,
    });
    s = settle({ ...s, newAvailable: 3 }, DEFAULT_ROLLING_UPDATE);
    expect(s).toEqual({
      desired: 4,
      oldReplicas: 0,
      oldAvailable: 0,
      newReplicas: 4,
      newAvailable: 3,
    });
  });

  it("with maxUnavailable 0 deletes an old pod only after a new one is available", () => {
    const strategy = { maxSurge: 1, maxUnavailable: 0 };
    let s = settle(
      { desired: 3, oldReplicas: 3, oldAvailable: 3, newReplicas: 0, newAvailable: 0 },
      strategy,
    );
    expect(s).toEqual({
      desired: 3,
      oldReplicas: 3,
      oldAvailable: 3,
      newReplicas: 1,
      newAvailable: 0,
    });
    s = settle({ ...s, newAvailable: 1 }, strategy);
    expect(s).toEqual({
      desired: 3,
      oldReplicas: 2,
      oldAvailable: 2,
      newReplicas: 2,
      newAvailable: 1,
    });
  });

  it("with maxSurge 0 deletes first, then replaces", () => {
    const strategy = { maxSurge: 0, maxUnavailable: 1 };
    const s = settle(
      { desired: 3, oldReplicas: 3, oldAvailable: 3, newReplicas: 0, newAvailable: 0 },
      strategy,
    );
    expect(s).toEqual({
      desired: 3,
      oldReplicas: 2,
      oldAvailable: 2,
      newReplicas: 1,
      newAvailable: 0,
    });
  });

  it("removes unavailable old pods before available ones", () => {
    const step = rollingStep(
      { desired: 4, oldReplicas: 4, oldAvailable: 2, newReplicas: 1, newAvailable: 1 },
      { maxSurge: 1, maxUnavailable: 1 },
    );
    expect(step).toEqual({ scaleUpNew: 0, scaleDownOld: 2, cleanedUnavailable: 2 });
  });

  it("keeps the surge and availability bounds and finishes, for any strategy and readiness order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        (desired, surgeArg, unavailableArg, readyOrder) => {
          const strategy = { maxSurge: surgeArg, maxUnavailable: unavailableArg };
          const { surge, unavailable } = resolveFenceposts(strategy, desired);
          let s: RolloutState = {
            desired,
            oldReplicas: desired,
            oldAvailable: desired,
            newReplicas: 0,
            newAvailable: 0,
          };
          let choices = 0;
          for (let round = 0; round < 4 * desired + 4; round++) {
            s = settle(s, strategy);
            expect(s.oldReplicas + s.newReplicas).toBeLessThanOrEqual(desired + surge);
            expect(s.oldAvailable + s.newAvailable).toBeGreaterThanOrEqual(
              Math.min(desired, desired - unavailable),
            );
            // Some new pod becomes available (in an order the test draws, one or two at a time).
            if (s.newAvailable < s.newReplicas)
              s = {
                ...s,
                newAvailable:
                  s.newAvailable +
                  (readyOrder[choices++ % Math.max(1, readyOrder.length)] &&
                  s.newReplicas - s.newAvailable > 1
                    ? 2
                    : 1),
              };
          }
          expect(s).toEqual({
            desired,
            oldReplicas: 0,
            oldAvailable: 0,
            newReplicas: desired,
            newAvailable: desired,
          });
        },
      ),
    );
  });
});
