// Kubernetes CrashLoopBackOff (src/control/recovery/crashLoopBackOff.ts): the kubelet's restart delays,
// 0 then 10 s doubling to the 300 s cap, and the reset after 10 minutes without a crash.
// fast-check prints its seed on failure; pass { seed } to test.prop to replay one.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  CrashLoopBackOff,
  type CrashLoopHistory,
  crashLoopConfig,
  NO_RESTARTS,
  nextRestart,
} from "../../../src/control/recovery/crashLoopBackOff.ts";

/** Crashes `runMs` after every (re)start, `count` times; returns the delays. */
function crashRepeatedly(count: number, runMs: number, loop = new CrashLoopBackOff()): number[] {
  const delays: number[] = [];
  let startedAt = 0;
  for (let i = 0; i < count; i++) {
    const crashAt = startedAt + runMs;
    const delay = loop.crashed(crashAt);
    delays.push(delay);
    startedAt = crashAt + delay;
  }
  return delays;
}

describe("Kubernetes CrashLoopBackOff", () => {
  it("restarts at once after the first crash, then waits 10, 20, 40, 80, 160 s and stays at 300 s", () => {
    expect(crashRepeatedly(9, 1_000)).toEqual([
      0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
  });

  it("counts restarts like the pod status restartCount", () => {
    const loop = new CrashLoopBackOff();
    crashRepeatedly(5, 2_000, loop);
    expect(loop.history.restartCount).toBe(5);
    expect(loop.history.backoffMs).toBe(160_000);
  });

  it("measures the wait from the crash: restart at crash + back-off", () => {
    const first = nextRestart(NO_RESTARTS, 5_000);
    expect(first).toMatchObject({ delayMs: 0, restartAtMs: 5_000, reset: true });
    const second = nextRestart(first.history, 7_000);
    expect(second).toMatchObject({ delayMs: 10_000, restartAtMs: 17_000, reset: false });
    expect(second.history).toEqual({ backoffMs: 20_000, lastRestartMs: 17_000, restartCount: 2 });
  });

  it("resets after the container ran more than 10 minutes (2 x the 300 s cap) since its last restart", () => {
    const atCap: CrashLoopHistory = {
      backoffMs: 300_000,
      lastRestartMs: 1_000_000,
      restartCount: 8,
    };
    expect(nextRestart(atCap, 1_000_000 + 600_000)).toMatchObject({
      delayMs: 300_000,
      reset: false,
    });
    const after = nextRestart(atCap, 1_000_000 + 600_001);
    expect(after).toMatchObject({ delayMs: 0, reset: true });
    expect(after.history.backoffMs).toBe(10_000);
    expect(nextRestart(after.history, after.restartAtMs + 1).delayMs).toBe(10_000);
  });

  it("never resets a container that keeps crashing within 10 minutes, even slowly", () => {
    expect(crashRepeatedly(8, 590_000)).toEqual([
      0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
    ]);
  });

  it("takes other initial and cap values (KEP-4603's alpha 1 s / 60 s), resetting after 2 x cap", () => {
    const fast = crashLoopConfig({ initialMs: 1_000, maxMs: 60_000 });
    expect(crashRepeatedly(9, 100, new CrashLoopBackOff(fast))).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
    const h: CrashLoopHistory = { backoffMs: 60_000, lastRestartMs: 0, restartCount: 3 };
    expect(nextRestart(h, 120_001, fast).reset).toBe(true);
  });

  it("refuses bad configs and time running backwards, naming the field", () => {
    expect(() => crashLoopConfig({ initialMs: 0 })).toThrow(/initialMs must be a number of ms > 0/);
    expect(() => crashLoopConfig({ maxMs: 5_000 })).toThrow(/maxMs must be >= initialMs \(10000\)/);
    expect(() =>
      nextRestart({ backoffMs: 10_000, lastRestartMs: 50, restartCount: 1 }, 10),
    ).toThrow(/precedes the last restart/);
    expect(() => nextRestart(NO_RESTARTS, Number.NaN)).toThrow(RangeError);
  });
});

describe("CrashLoopBackOff properties", () => {
  propTest.prop([
    fc.array(fc.integer({ min: 0, max: 1_500_000 }), { minLength: 1, maxLength: 30 }),
  ])(
    "every delay is 0 (after a reset) or a power-of-two multiple of 10 s capped at 300 s, and never exceeds the cap",
    (runs) => {
      let history = NO_RESTARTS;
      let startedAt = 0;
      for (const run of runs) {
        const r = nextRestart(history, startedAt + run);
        const ratio = r.delayMs / 10_000;
        expect(
          r.delayMs === 0 ||
            r.delayMs === 300_000 ||
            (Number.isInteger(Math.log2(ratio)) && ratio >= 1),
        ).toBe(true);
        expect(r.delayMs).toBeLessThanOrEqual(300_000);
        expect(r.delayMs === 0).toBe(r.reset);
        history = r.history;
        startedAt = r.restartAtMs;
      }
      expect(history.restartCount).toBe(runs.length);
    },
  );

  propTest.prop([fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 2, maxLength: 30 })])(
    "without a 10-minute run, each delay is double the previous one (after the first 10 s) until the cap",
    (runs) => {
      let history = NO_RESTARTS;
      let startedAt = 0;
      let previous = -1;
      for (const run of runs) {
        const r = nextRestart(history, startedAt + run);
        if (previous === 0) expect(r.delayMs).toBe(10_000);
        else if (previous > 0) expect(r.delayMs).toBe(Math.min(2 * previous, 300_000));
        previous = r.delayMs;
        history = r.history;
        startedAt = r.restartAtMs;
      }
    },
  );
});
