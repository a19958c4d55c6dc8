// Envoy outlier detection and the panic threshold, driven by scripted answers and interval ticks.
// Mirrors src/mesh/resilience/outlierDetection.ts. Times are simulated ms; ticks every 10 s unless said.
// fast-check prints its seed on failure; pass { seed } to test.prop to replay one.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  inPanic,
  type OutlierDetectionConfig,
  OutlierDetector,
} from "../../../src/mesh/resilience/outlierDetection.ts";
import { ISTIO_OUTLIER_DETECTION } from "../../../src/scenario/defaults.ts";

type Event = [atMs: number, host: number, ejected: boolean];

/** A detector over `hosts` hosts with the defaults plus `overrides`, and the events it emitted. */
function detectorOf(hosts: number, overrides: Partial<OutlierDetectionConfig> = {}) {
  const events: Event[] = [];
  const detector = new OutlierDetector(
    hosts,
    { ...ISTIO_OUTLIER_DETECTION, ...overrides },
    (at, host, ejected) => events.push([at, host, ejected]),
  );
  return { detector, events };
}

function answer(d: OutlierDetector, atMs: number, host: number, status: number, times = 1): void {
  for (let i = 0; i < times; i++) d.onResult(atMs, host, status);
}

/** Ticks every `intervalMs` after `fromMs` until `host` is back in service; returns the tick time. */
function tickUntilReturned(
  d: OutlierDetector,
  fromMs: number,
  host: number,
  intervalMs = 10_000,
): number {
  let t = fromMs;
  for (let i = 0; i < 1000 && d.ejected[host] === 1; i++) {
    t += intervalMs;
    d.onInterval(t);
  }
  return t;
}

describe("consecutive 5xx ejection (inline)", () => {
  it("a host with 5 consecutive 5xx among 10 hosts at the 10% cap is ejected at once", () => {
    const { detector, events } = detectorOf(10);
    answer(detector, 1_000, 3, 500, 4);
    expect(detector.ejected[3]).toBe(0);
    answer(detector, 1_200, 3, 503);
    expect(events).toEqual([[1_200, 3, true]]);
    expect(detector.ejected[3]).toBe(1);
    expect(detector.ejectedCount()).toBe(1);
  });

  it("a second host among 10 at 10% is not ejected: 2 of 10 would be 20%", () => {
    const { detector, events } = detectorOf(10);
    answer(detector, 0, 0, 500, 5);
    answer(detector, 0, 1, 500, 5);
    expect(events).toEqual([[0, 0, true]]);
  });

  it("with 5 hosts at the 10% cap nothing is ejected (100 × 1 / 5 = 20 > 10, Envoy after PR #27909)", () => {
    const { detector, events } = detectorOf(5);
    for (let h = 0; h < 5; h++) answer(detector, 0, h, 500, 20);
    expect(events).toEqual([]);
    expect(detector.ejectedCount()).toBe(0);
  });

  it("with 5 hosts at 10% and alwaysEjectOneHost exactly one host is ejected, the first to fail", () => {
    const { detector, events } = detectorOf(5, { alwaysEjectOneHost: true });
    answer(detector, 0, 2, 500, 5);
    answer(detector, 0, 4, 500, 5);
    expect(events).toEqual([[0, 2, true]]);
  });

  it("3 hosts at 67% eject two and never the third, since 3 of 3 would be 100% (issue #27066)", () => {
    const { detector, events } = detectorOf(3, { maxEjectionPercent: 67 });
    for (let h = 0; h < 3; h++) answer(detector, 0, h, 500, 5);
    expect(events).toEqual([
      [0, 0, true],
      [0, 1, true],
    ]);
  });

  it("a 2xx or a 4xx in between restarts the count", () => {
    const { detector, events } = detectorOf(10);
    answer(detector, 0, 0, 500, 4);
    answer(detector, 0, 0, 200);
    answer(detector, 0, 0, 500, 4);
    answer(detector, 0, 0, 404);
    answer(detector, 0, 0, 500, 4);
    expect(events).toEqual([]);
    answer(detector, 0, 0, 500);
    expect(events).toEqual([[0, 0, true]]);
  });

  it("every status from 500 to 599 counts as a 5xx", () => {
    const { detector, events } = detectorOf(10);
    for (const status of [500, 501, 505, 520, 599]) answer(detector, 0, 0, status);
    expect(events).toEqual([[0, 0, true]]);
  });

  it("consecutive5xxErrors 0 turns 5xx ejection off (Istio consecutive5xxErrors: 0)", () => {
    const { detector, events } = detectorOf(10, { consecutive5xxErrors: 0 });
    answer(detector, 0, 0, 500, 50);
    expect(events).toEqual([]);
  });

  it("a refused ejection still restarts the count, as Envoy resets the counter after every attempt", () => {
    const { detector } = detectorOf(5, { alwaysEjectOneHost: true });
    answer(detector, 0, 0, 500, 5);
    answer(detector, 1, 1, 500, 7); // the 5th is refused by the cap; the count restarts, then 2 more
    expect(tickUntilReturned(detector, 0, 0)).toBe(30_000);
    answer(detector, 30_001, 1, 500, 2);
    expect(detector.ejected[1]).toBe(0);
    answer(detector, 30_001, 1, 500);
    expect(detector.ejected[1]).toBe(1);
  });

  it("an ejected host's errors do not eject it again, and its counters restart when it returns", () => {
    const { detector, events } = detectorOf(10);
    answer(detector, 0, 0, 500, 5);
    answer(detector, 1, 0, 500, 20);
    expect(events).toEqual([[0, 0, true]]);
    const back = tickUntilReturned(detector, 0, 0);
    answer(detector, back, 0, 500, 4);
    expect(detector.ejected[0]).toBe(0);
    answer(detector, back, 0, 500);
    expect(events).toEqual([
      [0, 0, true],
      [30_000, 0, false],
      [30_000, 0, true],
    ]);
  });
});

describe("consecutive gateway errors", () => {
  it("count only when consecutiveGatewayErrors is set (Istio leaves it off)", () => {
    const off = detectorOf(10, { consecutive5xxErrors: 0 });
    answer(off.detector, 0, 0, 503, 50);
    expect(off.events).toEqual([]);
    const on = detectorOf(10, { consecutive5xxErrors: 0, consecutiveGatewayErrors: 3 });
    for (const status of [502, 503, 504]) answer(on.detector, 0, 0, status);
    expect(on.events).toEqual([[0, 0, true]]);
  });

  it("a 500 breaks a gateway run, though it continues the 5xx run", () => {
    const { detector, events } = detectorOf(10, {
      consecutive5xxErrors: 0,
      consecutiveGatewayErrors: 3,
    });
    for (const status of [503, 503, 500, 503, 503]) answer(detector, 0, 0, status);
    expect(events).toEqual([]);
    answer(detector, 0, 0, 504);
    expect(events).toEqual([[0, 0, true]]);
  });
});

describe("ejection time and return", () => {
  it("an ejected host returns on the first interval tick at or after its 30 s are over", () => {
    const late = detectorOf(10);
    answer(late.detector, 5_000, 0, 500, 5);
    for (const t of [10_000, 20_000, 30_000]) late.detector.onInterval(t);
    expect(late.detector.ejected[0]).toBe(1); // 25 s at the 30 s tick
    late.detector.onInterval(40_000);
    expect(late.events).toEqual([
      [5_000, 0, true],
      [40_000, 0, false],
    ]);
    const onTick = detectorOf(10);
    answer(onTick.detector, 10_000, 0, 500, 5);
    expect(tickUntilReturned(onTick.detector, 10_000, 0)).toBe(40_000); // exactly 30 s counts
  });

  it("ejection time is base × times ejected: 30 s, 60 s, 90 s ... capped at 300 s", () => {
    const { detector } = detectorOf(10);
    const seconds: number[] = [];
    let t = 0;
    for (let i = 0; i < 12; i++) {
      answer(detector, t, 0, 500, 5); // right after the tick that returned it: no interval in service
      const back = tickUntilReturned(detector, t, 0);
      seconds.push((back - t) / 1000);
      t = back;
    }
    expect(seconds).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 300, 300]);
  });

  it("the multiplier drops by one at each tick a full interval after the host returned", () => {
    const { detector } = detectorOf(10);
    let t = 0;
    const ejectFor = (healthyTicks: number): number => {
      for (let i = 0; i < healthyTicks; i++) detector.onInterval((t += 10_000));
      const from = t;
      answer(detector, from, 0, 500, 5);
      t = tickUntilReturned(detector, from, 0);
      return (t - from) / 1000;
    };
    expect([ejectFor(0), ejectFor(0), ejectFor(0)]).toEqual([30, 60, 90]); // multiplier 3
    expect(ejectFor(1)).toBe(90); // 3 → 2 after one interval in service, → 3 on ejection
    expect(ejectFor(2)).toBe(60); // 3 → 1, → 2
    expect(ejectFor(5)).toBe(30); // 2 → 0, → 1
  });

  it("with maxEjectionTimeMs below the base the ejection lasts the base", () => {
    const { detector } = detectorOf(10, { baseEjectionTimeMs: 60_000, maxEjectionTimeMs: 20_000 });
    answer(detector, 0, 0, 500, 5);
    expect(tickUntilReturned(detector, 0, 0)).toBe(60_000);
  });
});

describe("success-rate ejection on the interval tick", () => {
  /** One interval with `volume` answers per host, `successes[h]` of them 200 and the rest 500. */
  function interval(
    d: OutlierDetector,
    successes: readonly number[],
    volumes: readonly number[],
  ): void {
    successes.forEach((ok, h) => {
      answer(d, 1_000, h, 200, ok);
      answer(d, 1_000, h, 500, volumes[h] - ok);
    });
    d.onInterval(10_000);
  }
  const enforced = { enforcingSuccessRate: 100, maxEjectionPercent: 50, consecutive5xxErrors: 0 };

  it("rates 100, 100, 100, 100, 90, 80: mean 95, stdev √(350/6) = 7.64, threshold 80.49 ejects only the 80", () => {
    const { detector, events } = detectorOf(6, enforced);
    interval(detector, [100, 100, 100, 100, 90, 80], [100, 100, 100, 100, 100, 100]);
    expect(events).toEqual([[10_000, 5, true]]);
  });

  it("Envoy's own example, rates 50, 100, 100, 100, 100: mean 90, stdev 20, threshold 52 ejects the 50", () => {
    const { detector, events } = detectorOf(5, enforced);
    interval(detector, [50, 100, 100, 100, 100], [100, 100, 100, 100, 100]);
    expect(events).toEqual([[10_000, 0, true]]);
  });

  it("a host under the request volume is left out: 100, 100, 100, 90, 80 give mean 94, stdev 8, threshold 78.8", () => {
    const { detector, events } = detectorOf(6, enforced);
    interval(detector, [99, 100, 100, 100, 90, 80], [99, 100, 100, 100, 100, 100]);
    expect(events).toEqual([]);
  });

  it("fewer qualifying hosts than successRateMinimumHosts means no detection", () => {
    const { detector, events } = detectorOf(6, { ...enforced, successRateMinimumHosts: 6 });
    interval(detector, [99, 100, 100, 100, 90, 50], [99, 100, 100, 100, 100, 100]);
    expect(events).toEqual([]);
  });

  it("under Istio's enforcingSuccessRate 0 the outlier stays in service", () => {
    const { detector, events } = detectorOf(6, { ...enforced, enforcingSuccessRate: 0 });
    interval(detector, [100, 100, 100, 100, 90, 80], [100, 100, 100, 100, 100, 100]);
    expect(events).toEqual([]);
  });

  it("each tick looks only at the interval that just ended", () => {
    const { detector, events } = detectorOf(5, enforced);
    // Host 0 fails everything while only 4 hosts qualify (fewer than 5: no detection) ...
    interval(detector, [0, 100, 100, 100, 0], [100, 100, 100, 100, 0]);
    // ... and answers perfectly in the next interval, so its earlier failures must not count.
    for (let h = 0; h < 5; h++) answer(detector, 11_000, h, 200, 100);
    detector.onInterval(20_000);
    expect(events).toEqual([]);
  });
});

describe("failure-percentage ejection on the interval tick", () => {
  const fp = {
    enforcingFailurePercentage: 100,
    failurePercentageRequestVolume: 100,
    maxEjectionPercent: 100,
    consecutive5xxErrors: 0,
  };

  it("ejects a host failing exactly the 85% threshold and spares one at 84%", () => {
    const { detector, events } = detectorOf(5, fp);
    for (const h of [0, 1, 3]) answer(detector, 0, h, 200, 100);
    answer(detector, 1, 2, 500, 85);
    answer(detector, 1, 2, 200, 15);
    answer(detector, 1, 4, 500, 84);
    answer(detector, 1, 4, 200, 16);
    detector.onInterval(10_000);
    expect(events).toEqual([[10_000, 2, true]]);
  });

  it("an enforcement of 50% ejects every second detection, deterministically", () => {
    const { detector, events } = detectorOf(5, { ...fp, enforcingFailurePercentage: 50 });
    for (let h = 0; h < 5; h++) answer(detector, 0, h, h < 2 ? 500 : 200, 100);
    detector.onInterval(10_000);
    expect(events).toEqual([[10_000, 1, true]]);
  });
});

describe("the panic threshold", () => {
  it("exactly at the threshold is not panic: 5 of 10 healthy at 50% is not, 4 of 10 is", () => {
    expect(inPanic(5, 10, 50)).toBe(false);
    expect(inPanic(4, 10, 50)).toBe(true);
  });

  it("threshold 0 (Istio's minHealthPercent default) never panics, even with every host ejected", () => {
    expect(inPanic(0, 10, 0)).toBe(false);
    expect(inPanic(0, 0, 0)).toBe(false);
  });

  it("an empty cluster is in panic under any threshold above 0", () => {
    expect(inPanic(0, 0, 50)).toBe(true);
  });

  it("with the 1.4 overprovisioning factor 5 of 7 healthy is never panic, even at a threshold of 80", () => {
    expect(inPanic(5, 7, 80)).toBe(false); // 71.4% healthy, but floor(140 × 5 / 7) = 100
    expect(inPanic(7, 10, 80)).toBe(true); // floor(140 × 7 / 10) = 98
    expect(inPanic(15, 20, 80)).toBe(false);
  });

  it("the threshold is rounded to a whole percent, as Envoy does", () => {
    expect(inPanic(1, 2, 50.4)).toBe(false);
    expect(inPanic(1, 2, 50.6)).toBe(true);
  });

  it("counts out of range are refused", () => {
    expect(() => inPanic(3, 2, 50)).toThrow(RangeError);
    expect(() => inPanic(1, 2, 101)).toThrow(/healthyPanicThresholdPercent/);
    expect(() => inPanic(-1, 2, 50)).toThrow(/healthy/);
  });
});

describe("configuration and inputs out of range are refused", () => {
  it("each bad field is named in a RangeError before anything is built", () => {
    const bad: [Partial<OutlierDetectionConfig>, RegExp][] = [
      [{ consecutive5xxErrors: -1 }, /consecutive5xxErrors/],
      [{ consecutiveGatewayErrors: 2.5 }, /consecutiveGatewayErrors/],
      [{ intervalMs: 0 }, /intervalMs/],
      [{ baseEjectionTimeMs: Number.NaN }, /baseEjectionTimeMs/],
      [{ maxEjectionTimeMs: Number.POSITIVE_INFINITY }, /maxEjectionTimeMs/],
      [{ maxEjectionPercent: 101 }, /maxEjectionPercent/],
      [{ enforcingSuccessRate: 12.5 }, /enforcingSuccessRate/],
      [{ failurePercentageThreshold: -5 }, /failurePercentageThreshold/],
      [{ successRateStdevFactor: -1 }, /successRateStdevFactor/],
      [{ alwaysEjectOneHost: 1 as unknown as boolean }, /alwaysEjectOneHost/],
    ];
    for (const [overrides, message] of bad) {
      expect(() => detectorOf(4, overrides)).toThrow(RangeError);
      expect(() => detectorOf(4, overrides)).toThrow(message);
    }
    expect(() => detectorOf(-1)).toThrow(/hostCount/);
  });

  it("unknown hosts, statuses outside 100-599 and time going back are refused", () => {
    const { detector } = detectorOf(3);
    expect(() => detector.onResult(0, 3, 200)).toThrow(/host/);
    expect(() => detector.onResult(0, 0, 600)).toThrow(/status/);
    detector.onInterval(10_000);
    expect(() => detector.onResult(9_999, 0, 200)).toThrow(/time/);
  });
});

describe("invariants over random answers and ticks", () => {
  const scenario = fc.record({
    hosts: fc.integer({ min: 1, max: 12 }),
    maxEjectionPercent: fc.integer({ min: 0, max: 100 }),
    alwaysEjectOneHost: fc.boolean(),
    consecutive5xxErrors: fc.integer({ min: 0, max: 4 }),
    consecutiveGatewayErrors: fc.integer({ min: 0, max: 4 }),
    intervalMs: fc.integer({ min: 1, max: 50 }),
    baseEjectionTimeMs: fc.integer({ min: 1, max: 120 }),
    maxEjectionTimeMs: fc.integer({ min: 1, max: 400 }),
    enforcing: fc.constantFrom(0, 50, 100),
    steps: fc.array(
      fc.oneof(
        fc.record({
          host: fc.nat(),
          status: fc.constantFrom(200, 404, 500, 502, 503, 504, 599),
          dtMs: fc.nat({ max: 5 }),
        }),
        fc.constant("tick" as const),
      ),
      { maxLength: 300 },
    ),
  });

  propTest.prop([scenario], { numRuns: 200 })(
    "the cap holds after every step, events alternate eject/return per host, and every host returns",
    (s) => {
      const { hosts: _hosts, enforcing, steps: _steps, ...knobs } = s;
      const config: OutlierDetectionConfig = {
        ...ISTIO_OUTLIER_DETECTION,
        ...knobs,
        enforcingSuccessRate: enforcing,
        enforcingFailurePercentage: enforcing,
        successRateMinimumHosts: 2,
        successRateRequestVolume: 3,
        failurePercentageMinimumHosts: 2,
        failurePercentageRequestVolume: 3,
      };
      const cap = Math.max(
        Math.floor((s.maxEjectionPercent * s.hosts) / 100),
        s.alwaysEjectOneHost ? 1 : 0,
      );
      const last = new Array<boolean>(s.hosts).fill(false);
      let t = 0;
      let nextTick = s.intervalMs;
      const detector = new OutlierDetector(s.hosts, config, (at, host, ejected) => {
        expect(at, "events carry the current time").toBe(t);
        expect(ejected, `host ${host} events alternate, starting with an ejection`).toBe(
          !last[host],
        );
        last[host] = ejected;
      });
      const check = (): void => {
        expect(detector.ejectedCount()).toBeLessThanOrEqual(cap);
        expect(detector.ejectedCount()).toBe(detector.ejected.reduce((a, b) => a + b, 0));
        last.forEach((ejected, h) => {
          expect(detector.ejected[h] === 1).toBe(ejected);
        });
      };
      const tick = (): void => {
        t = nextTick;
        nextTick += s.intervalMs;
        detector.onInterval(t);
        check();
      };
      for (const step of s.steps) {
        if (step === "tick") {
          tick();
        } else {
          t = Math.min(t + step.dtMs, nextTick - 1);
          detector.onResult(t, step.host % s.hosts, step.status);
          check();
        }
      }
      // No more answers: every ejection ends within max(base, max) plus one interval.
      const longest = Math.max(s.baseEjectionTimeMs, s.maxEjectionTimeMs);
      for (let i = 0; i <= Math.ceil(longest / s.intervalMs) + 1; i++) tick();
      expect(detector.ejectedCount()).toBe(0);
    },
  );
});
