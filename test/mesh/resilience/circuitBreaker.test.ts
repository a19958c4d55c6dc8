import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type BreakerState,
  type BreakerTimers,
  CircuitBreaker,
  type CircuitBreakerConfig,
} from "../../../src/mesh/resilience/circuitBreaker.ts";
import { CountWindow, TimeWindow } from "../../../src/mesh/resilience/slidingWindow.ts";
import { RESILIENCE4J_CIRCUIT_BREAKER } from "../../../src/scenario/defaults.ts";

/** Timers the test advances by hand: due actions run in (time, scheduling order). */
class FakeTimers implements BreakerTimers {
  now = 0;
  private seq = 0;
  private pending: { atMs: number; seq: number; action: () => void; cancelled: boolean }[] = [];

  schedule(atMs: number, action: () => void): () => void {
    expect(atMs).toBeGreaterThanOrEqual(this.now);
    const timer = { atMs, seq: this.seq++, action, cancelled: false };
    this.pending.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  advanceTo(t: number): void {
    for (;;) {
      const due = this.pending
        .filter((x) => !x.cancelled && x.atMs <= t)
        .sort((a, b) => a.atMs - b.atMs || a.seq - b.seq)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.now = due.atMs;
      due.action();
    }
    this.pending = this.pending.filter((x) => !x.cancelled);
    this.now = t;
  }

  get live(): number {
    return this.pending.filter((x) => !x.cancelled).length;
  }
}

type Transition = [atMs: number, from: BreakerState, to: BreakerState];

/** A plain assertion for hot property loops, where vitest's expect would dominate the run time. */
function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

function breaker(overrides: Partial<CircuitBreakerConfig>) {
  const timers = new FakeTimers();
  const transitions: Transition[] = [];
  const cb = new CircuitBreaker(
    { ...RESILIENCE4J_CIRCUIT_BREAKER, ...overrides },
    timers,
    (at, from, to) => {
      transitions.push([at, from, to]);
    },
  );
  return { cb, timers, transitions };
}

/** Records `outcomes` (F = failed, S = succeeded, durations `durationMs`) as calls finishing at `atMs`. */
function record(cb: CircuitBreaker, atMs: number, outcomes: string, durationMs = 10): void {
  for (const o of outcomes) {
    expect(cb.tryAcquirePermission(atMs)).toBe(true);
    cb.onResult(atMs, durationMs, o === "F");
  }
}

describe("resilience4j circuit breaker", () => {
  it("defaults to resilience4j's CircuitBreakerConfig values", () => {
    expect(RESILIENCE4J_CIRCUIT_BREAKER).toEqual({
      slidingWindowType: "COUNT_BASED",
      slidingWindowSize: 100,
      minimumNumberOfCalls: 100,
      failureRateThreshold: 50,
      slowCallRateThreshold: 100,
      slowCallDurationThresholdMs: 60_000,
      waitDurationInOpenStateMs: 60_000,
      permittedNumberOfCallsInHalfOpenState: 10,
      automaticTransitionFromOpenToHalfOpenEnabled: false,
      maxWaitDurationInHalfOpenStateMs: 0,
    });
    expect(Object.isFrozen(RESILIENCE4J_CIRCUIT_BREAKER)).toBe(true);
  });

  it("rejects nonsensical configuration with a RangeError naming the field", () => {
    const bad: [Partial<CircuitBreakerConfig>, RegExp][] = [
      [{ failureRateThreshold: 0 }, /failureRateThreshold must be a percentage in \(0, 100\]/],
      [{ failureRateThreshold: 100.5 }, /failureRateThreshold/],
      [{ slowCallRateThreshold: Number.NaN }, /slowCallRateThreshold/],
      [{ slidingWindowSize: 0 }, /slidingWindowSize must be an integer >= 1/],
      [{ slidingWindowSize: 2.5 }, /slidingWindowSize/],
      [{ minimumNumberOfCalls: 0 }, /minimumNumberOfCalls/],
      [{ permittedNumberOfCallsInHalfOpenState: 0 }, /permittedNumberOfCallsInHalfOpenState/],
      [{ slowCallDurationThresholdMs: 0 }, /slowCallDurationThresholdMs/],
      [{ waitDurationInOpenStateMs: 0.5 }, /waitDurationInOpenStateMs/],
      [{ maxWaitDurationInHalfOpenStateMs: -1 }, /maxWaitDurationInHalfOpenStateMs/],
      [{ maxWaitDurationInHalfOpenStateMs: 0.5 }, /maxWaitDurationInHalfOpenStateMs/],
      [{ slidingWindowType: "SESSION" as never }, /slidingWindowType/],
    ];
    for (const [overrides, message] of bad) {
      expect(() => breaker(overrides)).toThrow(RangeError);
      expect(() => breaker(overrides)).toThrow(message);
    }
    expect(() =>
      breaker({
        failureRateThreshold: 100,
        slowCallRateThreshold: 0.1,
        maxWaitDurationInHalfOpenStateMs: 1,
      }),
    ).not.toThrow();
  });

  it("rejects time that runs backwards", () => {
    const { cb } = breaker({});
    cb.tryAcquirePermission(1000);
    expect(() => cb.onResult(999, 1, false)).toThrow(RangeError);
  });

  it("opens, probes and closes on the scripted scenario (COUNT 10 at 50%, 5 s open, 3 probes)", () => {
    // A call starts every 100 ms and finishes 50 ms later; it fails if it starts in a failure window.
    const { cb, timers, transitions } = breaker({
      slidingWindowType: "COUNT_BASED",
      slidingWindowSize: 10,
      minimumNumberOfCalls: 10,
      failureRateThreshold: 50,
      waitDurationInOpenStateMs: 5000,
      permittedNumberOfCallsInHalfOpenState: 3,
    });
    const failureWindows = [
      [1000, 1500],
      [6000, 6700],
      [12_100, 12_700],
    ];
    const fails = (start: number) =>
      failureWindows.some(([from, to]) => start >= from && start < to);
    const rateBeforeTenth: number[] = [];
    let inFlight: number | null = null;
    for (let t = 0; t <= 19_000; t += 50) {
      timers.advanceTo(t);
      if (t % 100 === 50 && inFlight !== null) {
        if (t === 12_950) rateBeforeTenth.push(cb.failureRate(t));
        cb.onResult(t, 50, fails(inFlight));
        inFlight = null;
      } else if (t % 100 === 0 && cb.tryAcquirePermission(t)) {
        inFlight = t;
      }
    }
    expect(transitions).toEqual([
      // Calls 500..1400 fill the window when 1400 finishes at 1450: 1000..1400 failed, 5 of 10 = 50%,
      // and 50 >= 50 trips. (At 1350 the window 400..1300 held 4 failures: 40%.)
      [1450, "CLOSED", "OPEN"],
      // Open until 1450 + 5000 = 6450; the first call strictly after that, at 6500, half-opens and probes.
      [6500, "OPEN", "HALF_OPEN"],
      // Probes 6500 (fails), 6600 (fails), 6700 (succeeds): the third result at 6750 reaches the
      // half-open minimum min(10, 3) = 3 with 2 of 3 failed = 66.7% >= 50.
      [6750, "HALF_OPEN", "OPEN"],
      // Open until 11 750; the call at 11 800 half-opens.
      [11_800, "OPEN", "HALF_OPEN"],
      // Probes 11 800, 11 900, 12 000 all succeed: 0% after the third result at 12 050.
      [12_050, "HALF_OPEN", "CLOSED"],
      // The closed window starts empty: calls 12 100..12 600 all fail, but it holds fewer than 10 calls
      // until 13 000 finishes at 13 050 (6 of 10 = 60%). Had the 3 successful probes been kept, the
      // window would have reached 10 calls at 12 750 (6 of 10) and opened there.
      [13_050, "CLOSED", "OPEN"],
      [18_100, "OPEN", "HALF_OPEN"],
      [18_350, "HALF_OPEN", "CLOSED"],
    ]);
    expect(rateBeforeTenth).toEqual([-1]); // 8 buffered calls at 12 950, 6 of them failed: not evaluated
  });

  it("opens at exactly a 50% failure rate but not just below it", () => {
    const at50 = breaker({
      slidingWindowSize: 4,
      minimumNumberOfCalls: 4,
      failureRateThreshold: 50,
    });
    record(at50.cb, 0, "SFSF");
    expect(at50.transitions).toEqual([[0, "CLOSED", "OPEN"]]);
    const below = breaker({
      slidingWindowSize: 4,
      minimumNumberOfCalls: 4,
      failureRateThreshold: 50.001,
    });
    record(below.cb, 0, "SFSF");
    expect(below.cb.state).toBe("CLOSED");
    expect(below.cb.failureRate(0)).toBe(50);
  });

  it("reports -1 until the minimum calls are buffered, capped at the window size when count-based", () => {
    const { cb } = breaker({
      slidingWindowSize: 5,
      minimumNumberOfCalls: 100,
      failureRateThreshold: 100,
    });
    record(cb, 0, "SSSS");
    expect(cb.failureRate(0)).toBe(-1);
    expect(cb.slowCallRate(0)).toBe(-1);
    record(cb, 0, "F"); // min(100, 5) = 5 calls are enough
    expect(cb.failureRate(0)).toBe(20);
    expect(cb.slowCallRate(0)).toBe(0);
  });

  it("counts a call as slow only when it takes strictly longer than the threshold, and opens on the slow rate", () => {
    const { cb, transitions } = breaker({
      slidingWindowSize: 4,
      minimumNumberOfCalls: 4,
      slowCallRateThreshold: 50,
      slowCallDurationThresholdMs: 1000,
    });
    record(cb, 0, "SSS", 1000);
    record(cb, 0, "S", 1001);
    expect(cb.slowCallRate(0)).toBe(25);
    expect(cb.state).toBe("CLOSED");
    record(cb, 10, "S", 1001); // the window is now 1000, 1000, 1001, 1001: 50% slow, 0% failed
    expect(transitions).toEqual([[10, "CLOSED", "OPEN"]]);
    expect(cb.failureRate(10)).toBe(0);
  });

  it("refuses calls at exactly openedAt + wait and half-opens on the first call after it", () => {
    const { cb, transitions } = breaker({
      slidingWindowSize: 2,
      minimumNumberOfCalls: 2,
      waitDurationInOpenStateMs: 5000,
    });
    record(cb, 1000, "FF");
    expect(cb.tryAcquirePermission(6000)).toBe(false);
    expect(cb.state).toBe("OPEN");
    expect(cb.tryAcquirePermission(6001)).toBe(true);
    expect(transitions).toEqual([
      [1000, "CLOSED", "OPEN"],
      [6001, "OPEN", "HALF_OPEN"],
    ]);
  });

  it("half-opens by timer at exactly openedAt + wait when the transition is automatic", () => {
    const { cb, timers, transitions } = breaker({
      slidingWindowSize: 2,
      minimumNumberOfCalls: 2,
      waitDurationInOpenStateMs: 5000,
      automaticTransitionFromOpenToHalfOpenEnabled: true,
    });
    timers.advanceTo(1000);
    record(cb, 1000, "FF");
    timers.advanceTo(5999);
    expect(cb.state).toBe("OPEN");
    timers.advanceTo(6000);
    expect(cb.state).toBe("HALF_OPEN");
    expect(transitions).toEqual([
      [1000, "CLOSED", "OPEN"],
      [6000, "OPEN", "HALF_OPEN"],
    ]);
    expect(cb.tryAcquirePermission(6000)).toBe(true);
  });

  it("cancels the automatic half-open timer when a late call half-opens first", () => {
    const { cb, timers, transitions } = breaker({
      slidingWindowSize: 1,
      minimumNumberOfCalls: 1,
      waitDurationInOpenStateMs: 100,
      automaticTransitionFromOpenToHalfOpenEnabled: true,
    });
    record(cb, 0, "F");
    expect(timers.live).toBe(1);
    expect(cb.tryAcquirePermission(101)).toBe(true); // the simulator ran the call before the timer
    expect(timers.live).toBe(0);
    timers.advanceTo(200);
    expect(transitions.map(([, , to]) => to)).toEqual(["OPEN", "HALF_OPEN"]);
  });

  it("gives up half-open after maxWaitDurationInHalfOpenState and cancels that timer when probes decide first", () => {
    const config = {
      slidingWindowSize: 1,
      minimumNumberOfCalls: 1,
      waitDurationInOpenStateMs: 100,
      maxWaitDurationInHalfOpenStateMs: 300,
    };
    const stuck = breaker(config);
    record(stuck.cb, 0, "F");
    stuck.timers.advanceTo(101);
    expect(stuck.cb.tryAcquirePermission(101)).toBe(true); // a probe that never finishes
    stuck.timers.advanceTo(400);
    expect(stuck.cb.state).toBe("HALF_OPEN");
    stuck.timers.advanceTo(401);
    expect(stuck.transitions).toEqual([
      [0, "CLOSED", "OPEN"],
      [101, "OPEN", "HALF_OPEN"],
      [401, "HALF_OPEN", "OPEN"],
    ]);

    const decided = breaker(config);
    record(decided.cb, 0, "F");
    decided.timers.advanceTo(101);
    record(decided.cb, 101, "S");
    expect(decided.cb.state).toBe("CLOSED");
    expect(decided.timers.live).toBe(0);
  });

  it("refuses the 4th half-open call while 3 are permitted and unfinished, and admits one more per release", () => {
    // Closed minimum min(3, 1) = 1 opens on one failure; the half-open minimum min(3, 3) = 3 waits for 3 results.
    const { cb } = breaker({
      slidingWindowSize: 1,
      minimumNumberOfCalls: 3,
      waitDurationInOpenStateMs: 100,
      permittedNumberOfCallsInHalfOpenState: 3,
    });
    record(cb, 0, "F");
    expect([101, 102, 103, 104].map((t) => cb.tryAcquirePermission(t))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    cb.releasePermission(); // one of the three was not executed after all
    expect(cb.tryAcquirePermission(105)).toBe(true);
    expect(cb.tryAcquirePermission(106)).toBe(false);
    cb.onResult(107, 5, false); // results do not give permits back
    expect(cb.tryAcquirePermission(108)).toBe(false);
    expect(cb.state).toBe("HALF_OPEN");
  });

  it("never holds more half-open permits than configured, however often permission is released", () => {
    const { cb } = breaker({
      slidingWindowSize: 1,
      minimumNumberOfCalls: 1,
      waitDurationInOpenStateMs: 100,
      permittedNumberOfCallsInHalfOpenState: 2,
    });
    record(cb, 0, "F");
    expect(cb.tryAcquirePermission(101)).toBe(true);
    cb.releasePermission();
    cb.releasePermission();
    expect([102, 103, 104].map((t) => cb.tryAcquirePermission(t))).toEqual([true, true, false]);
  });

  it("decides half-open before every probe has finished when the minimum calls is below the permits", () => {
    const { cb, transitions } = breaker({
      slidingWindowSize: 10,
      minimumNumberOfCalls: 2,
      waitDurationInOpenStateMs: 100,
      permittedNumberOfCallsInHalfOpenState: 3,
    });
    record(cb, 0, "FF");
    expect([101, 101, 101].map((t) => cb.tryAcquirePermission(t))).toEqual([true, true, true]);
    cb.onResult(150, 49, false);
    expect(cb.failureRate(150)).toBe(-1); // 1 of min(2, 3) = 2
    cb.onResult(160, 59, true); // 1 of 2 failed: 50% >= 50
    expect(transitions.at(-1)).toEqual([160, "HALF_OPEN", "OPEN"]);
  });

  it("records a result that arrives while open in the window it opened with, without evaluating it", () => {
    // resilience4j's OpenState keeps the previous state's metrics and records late results there.
    const { cb, transitions } = breaker({
      slidingWindowSize: 4,
      minimumNumberOfCalls: 4,
      waitDurationInOpenStateMs: 1000,
    });
    for (let i = 0; i < 6; i++) expect(cb.tryAcquirePermission(0)).toBe(true);
    for (const failed of [true, true, false, false]) cb.onResult(10, 10, failed);
    expect(transitions).toEqual([[10, "CLOSED", "OPEN"]]);
    expect(cb.failureRate(10)).toBe(50);
    cb.onResult(20, 20, false); // permitted while closed, finished after it opened
    expect(cb.failureRate(20)).toBe(25);
    cb.onResult(30, 30, true);
    expect(cb.failureRate(30)).toBe(25);
    expect(transitions).toHaveLength(1);
    expect(cb.tryAcquirePermission(1011)).toBe(true);
    expect(cb.failureRate(1011)).toBe(-1); // half-open starts with an empty window
  });

  it("forgets a time-based bucket once its second is size seconds old", () => {
    const { cb, transitions } = breaker({
      slidingWindowType: "TIME_BASED",
      slidingWindowSize: 3,
      minimumNumberOfCalls: 2,
      failureRateThreshold: 100,
    });
    record(cb, 500, "S"); // second 0
    record(cb, 1500, "F"); // second 1
    expect(cb.failureRate(1500)).toBe(50);
    expect(cb.failureRate(2999)).toBe(50); // second 2 still holds seconds 0..2
    expect(cb.failureRate(3000)).toBe(-1); // second 3: second 0 <= 3 - 3 is evicted, 1 call left
    record(cb, 3200, "F"); // seconds 1 and 3: both failed
    expect(transitions).toEqual([[3200, "CLOSED", "OPEN"]]);
  });

  it("empties a time-based window after a gap longer than the window and does not cap its minimum calls", () => {
    const { cb } = breaker({
      slidingWindowType: "TIME_BASED",
      slidingWindowSize: 2,
      minimumNumberOfCalls: 5,
      failureRateThreshold: 100,
    });
    record(cb, 0, "SSSS");
    record(cb, 1999, "S");
    expect(cb.failureRate(1999)).toBe(0); // 5 calls over seconds 0 and 1; the minimum is 5, not min(5, 2)
    expect(cb.failureRate(2000)).toBe(-1); // second 0 gone
    expect(cb.slowCallRate(10_000)).toBe(-1);
    record(cb, 10_000, "SSSSF");
    expect(cb.failureRate(10_000)).toBe(20);
  });

  const anyConfig = fc.record({
    slidingWindowType: fc.constantFrom("COUNT_BASED" as const, "TIME_BASED" as const),
    slidingWindowSize: fc.integer({ min: 1, max: 8 }),
    minimumNumberOfCalls: fc.integer({ min: 1, max: 8 }),
    failureRateThreshold: fc.integer({ min: 1, max: 100 }),
    slowCallRateThreshold: fc.integer({ min: 1, max: 100 }),
    slowCallDurationThresholdMs: fc.integer({ min: 1, max: 200 }),
    waitDurationInOpenStateMs: fc.integer({ min: 1, max: 3000 }),
    permittedNumberOfCallsInHalfOpenState: fc.integer({ min: 1, max: 4 }),
    automaticTransitionFromOpenToHalfOpenEnabled: fc.boolean(),
    maxWaitDurationInHalfOpenStateMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
  });
  const anyOp = fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("advance" as const),
        ms: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 4000 })),
      }),
    },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("acquire" as const) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("result" as const),
        pick: fc.nat(),
        failed: fc.boolean(),
        durationMs: fc.integer({ min: 0, max: 300 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }) },
  );
  type Op = typeof anyOp extends fc.Arbitrary<infer T> ? T : never;

  fcTest.prop([anyConfig, fc.array(anyOp, { minLength: 10, maxLength: 100, size: "max" })], {
    numRuns: 200,
  })(
    "only makes legal transitions, at the moments resilience4j would, and never has more half-open calls in flight than permitted",
    (config, ops) => {
      const timers = new FakeTimers();
      let state = "CLOSED" as BreakerState;
      let enteredAt = 0;
      let episode = 0; // transitions so far: which state episode a call was admitted in
      let current: Op["kind"] = "advance";
      const cb = new CircuitBreaker(config, timers, (at, from, to) => {
        const edge = `${from}>${to} at ${at} during ${current}`;
        check(from === state, `${edge}: listener says from ${from}, breaker was ${state}`);
        check(
          at >= enteredAt && at <= timers.now,
          `${edge}: time not in [${enteredAt}, ${timers.now}]`,
        );
        const byTimer = current === "advance";
        if (from === "CLOSED")
          check(to === "OPEN" && current === "result", `${edge}: CLOSED only opens on a result`);
        else if (from === "OPEN" && byTimer) {
          check(
            to === "HALF_OPEN" && config.automaticTransitionFromOpenToHalfOpenEnabled,
            `${edge}: only an automatic timer half-opens`,
          );
          check(
            at === enteredAt + config.waitDurationInOpenStateMs,
            `${edge}: timer not at openedAt + wait`,
          );
        } else if (from === "OPEN") {
          check(to === "HALF_OPEN" && current === "acquire", `${edge}: OPEN half-opens on a call`);
          check(
            at > enteredAt + config.waitDurationInOpenStateMs,
            `${edge}: not strictly after openedAt + wait`,
          );
        } else if (byTimer) {
          check(
            to === "OPEN" && config.maxWaitDurationInHalfOpenStateMs > 0,
            `${edge}: only the max-wait timer leaves HALF_OPEN`,
          );
          check(
            at === enteredAt + config.maxWaitDurationInHalfOpenStateMs,
            `${edge}: timer not at halfOpenedAt + maxWait`,
          );
        } else check(current === "result", `${edge}: HALF_OPEN decides on a result`);
        state = to;
        enteredAt = at;
        episode++;
      });
      let now = 0;
      const inFlight: { episode: number }[] = [];
      for (const op of ops) {
        current = op.kind;
        if (op.kind === "advance") {
          now += op.ms;
          timers.advanceTo(now);
        } else if (op.kind === "acquire") {
          if (cb.tryAcquirePermission(now)) inFlight.push({ episode });
        } else if (op.kind === "result" && inFlight.length > 0) {
          inFlight.splice(op.pick % inFlight.length, 1);
          cb.onResult(now, op.durationMs, op.failed);
        } else if (op.kind === "release") {
          // A permit is released by the event that acquired it, so only calls of this episode.
          const mine = inFlight.filter((c) => c.episode === episode);
          if (mine.length > 0) {
            inFlight.splice(inFlight.indexOf(mine[op.pick % mine.length]), 1);
            cb.releasePermission();
          }
        }
        check(cb.state === state, `state ${cb.state} but the listener last heard ${state}`);
        if (state === "HALF_OPEN") {
          const probes = inFlight.filter((c) => c.episode === episode).length;
          check(
            probes <= config.permittedNumberOfCallsInHalfOpenState,
            `${probes} half-open calls in flight`,
          );
        }
        for (const r of [cb.failureRate(now), cb.slowCallRate(now)]) {
          check(r === -1 || (r >= 0 && r <= 100), `rate ${r} out of range`);
        }
      }
    },
  );
});

describe("breaker sliding windows", () => {
  const anyCalls = fc.array(
    fc.record({
      advanceMs: fc.integer({ min: 0, max: 2500 }),
      failed: fc.boolean(),
      slow: fc.boolean(),
    }),
    { maxLength: 60 },
  );

  fcTest.prop([fc.integer({ min: 1, max: 6 }), anyCalls])(
    "count-based holds exactly the last size calls",
    (size, calls) => {
      const window = new CountWindow(size);
      const seen: { failed: boolean; slow: boolean }[] = [];
      for (const call of calls) {
        window.record(0, call.failed, call.slow);
        seen.push(call);
        const last = seen.slice(-size);
        expect({ ...window.totals(0) }).toEqual({
          calls: last.length,
          failed: last.filter((c) => c.failed).length,
          slow: last.filter((c) => c.slow).length,
        });
      }
    },
  );

  fcTest.prop([fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 5000 }), anyCalls])(
    "time-based holds exactly the calls of seconds now - size + 1 .. now",
    (size, startMs, calls) => {
      const window = new TimeWindow(size, startMs);
      const seen: { second: number; failed: boolean; slow: boolean }[] = [];
      let now = startMs;
      for (const call of calls) {
        now += call.advanceMs;
        const current = Math.floor(now / 1000);
        const kept = () => seen.filter((c) => c.second > current - size);
        const expected = () => ({
          calls: kept().length,
          failed: kept().filter((c) => c.failed).length,
          slow: kept().filter((c) => c.slow).length,
        });
        expect({ ...window.totals(now) }).toEqual(expected());
        window.record(now, call.failed, call.slow);
        seen.push({ second: current, ...call });
        expect({ ...window.totals(now) }).toEqual(expected());
      }
    },
  );
});
