// A piecewise-linear arrival rate, as k6's arrival-rate executors define it: constant, or ramping
// linearly stage by stage. `advance(t, mass)` inverts the integrated rate exactly: it returns when
// `mass` more expected arrivals have accumulated after t, or null if that is past the end.
// Poisson arrivals advance by an Exp(1) mass each time, uniform arrivals by exactly 1.

export interface RateSegment {
  startMs: number;
  durationMs: number;
  /** Rates per millisecond at the start and end of the segment. */
  fromRate: number;
  toRate: number;
}

export class RateProfile {
  constructor(readonly segments: readonly RateSegment[]) {}

  static constant(startMs: number, durationMs: number, ratePerMs: number): RateProfile {
    return new RateProfile([{ startMs, durationMs, fromRate: ratePerMs, toRate: ratePerMs }]);
  }

  static stages(startMs: number, startRate: number, stages: readonly { durationMs: number; target: number }[]): RateProfile {
    const segments: RateSegment[] = [];
    let t = startMs;
    let rate = startRate;
    for (const stage of stages) {
      segments.push({ startMs: t, durationMs: stage.durationMs, fromRate: rate, toRate: stage.target });
      t += stage.durationMs;
      rate = stage.target;
    }
    return new RateProfile(segments);
  }

  get endMs(): number {
    const last = this.segments[this.segments.length - 1];
    return last.startMs + last.durationMs;
  }

  /** Expected arrivals in [start of profile, t]. */
  cumulative(t: number): number {
    let total = 0;
    for (const s of this.segments) {
      if (t <= s.startMs) break;
      const x = Math.min(t - s.startMs, s.durationMs);
      total += massWithin(s, x);
    }
    return total;
  }

  advance(t: number, mass: number): number | null {
    for (const s of this.segments) {
      const end = s.startMs + s.durationMs;
      if (t >= end) continue;
      const from = Math.max(0, t - s.startMs);
      const left = massWithin(s, s.durationMs) - massWithin(s, from);
      if (mass > left) {
        mass -= left;
        continue;
      }
      return s.startMs + from + solveOffset(s, from, mass);
    }
    return null;
  }
}

/** Expected arrivals in the first `x` ms of segment `s`. */
function massWithin(s: RateSegment, x: number): number {
  const slope = (s.toRate - s.fromRate) / s.durationMs;
  return s.fromRate * x + 0.5 * slope * x * x;
}

/** The y >= 0 with massWithin(s, from + y) − massWithin(s, from) = mass. */
function solveOffset(s: RateSegment, from: number, mass: number): number {
  const slope = (s.toRate - s.fromRate) / s.durationMs;
  const rate = s.fromRate + slope * from;
  if (slope === 0) return mass / rate;
  // 0.5·slope·y² + rate·y − mass = 0, in the form that stays accurate when slope is tiny.
  const disc = rate * rate + 2 * slope * mass;
  return (2 * mass) / (rate + Math.sqrt(Math.max(0, disc)));
}
