// A piecewise-linear arrival rate, as k6's arrival-rate executors define it: constant, or ramping
// linearly stage by stage. `timeAt(mass)` inverts the integrated rate Λ: the time at which Λ,
// counted from the profile's start, reaches `mass`. Arrivals are placed by their cumulative mass
// (k for the k-th uniform arrival, a running sum of Exp(1) for Poisson), never by adding gaps to
// the previous time, so float error cannot pile up into an extra or a missing request.

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

  static stages(
    startMs: number,
    startRate: number,
    stages: readonly { durationMs: number; target: number }[],
  ): RateProfile {
    const segments: RateSegment[] = [];
    let t = startMs;
    let rate = startRate;
    for (const stage of stages) {
      segments.push({
        startMs: t,
        durationMs: stage.durationMs,
        fromRate: rate,
        toRate: stage.target,
      });
      t += stage.durationMs;
      rate = stage.target;
    }
    return new RateProfile(segments);
  }

  get endMs(): number {
    const last = this.segments[this.segments.length - 1];
    return last.startMs + last.durationMs;
  }

  /** Expected arrivals over the whole profile (Λ at its end). */
  get totalMass(): number {
    let total = 0;
    for (const s of this.segments) total += massWithin(s, s.durationMs);
    return total;
  }

  /** The time at which Λ reaches `mass` (0 <= mass <= totalMass). */
  timeAt(mass: number): number {
    for (const s of this.segments) {
      if (s.durationMs === 0) continue; // a k6 stage of 0s jumps to its target at once
      const inSegment = massWithin(s, s.durationMs);
      if (mass <= inSegment) {
        const offset = solveOffset(s, mass);
        // An arrival due at a stage boundary belongs to the next stage; float error must not move it back.
        return s.durationMs - offset <= SNAP * s.durationMs
          ? s.startMs + s.durationMs
          : s.startMs + offset;
      }
      mass -= inSegment;
    }
    return this.endMs;
  }
}

/** Expected arrivals in the first `x` ms of segment `s`. */
function massWithin(s: RateSegment, x: number): number {
  if (s.durationMs === 0) return 0;
  const slope = (s.toRate - s.fromRate) / s.durationMs;
  return s.fromRate * x + 0.5 * slope * x * x;
}

/** Relative distance from a segment's end within which a solved time is taken to be the end. */
const SNAP = 1e-12;

/** The y >= 0 with massWithin(s, y) = mass. */
function solveOffset(s: RateSegment, mass: number): number {
  if (mass === 0) return 0;
  const slope = (s.toRate - s.fromRate) / s.durationMs;
  const rate = s.fromRate;
  if (slope === 0) return mass / rate;
  // From a zero rate the root is √(2·mass/slope); the general form below would divide 0 by 0 when
  // 2·slope·mass underflows (found by the property test with a mass of 1e-322).
  if (rate === 0) return Math.sqrt((2 * mass) / slope);
  // 0.5·slope·y² + rate·y − mass = 0, in the form that stays accurate when slope is tiny. On a
  // rising ramp √(rate² + 2·slope·mass) is taken as hypot(rate, √(2·slope)·√mass), which neither
  // underflows nor overflows: with a subnormal rate and mass the plain sum underflowed to 0 and the
  // root came out as 2·mass/rate (found by the property test: rate 5e-324).
  if (slope > 0)
    return (2 * mass) / (rate + Math.hypot(rate, Math.sqrt(2 * slope) * Math.sqrt(mass)));
  const disc = rate * rate + 2 * slope * mass;
  return (2 * mass) / (rate + Math.sqrt(Math.max(0, disc)));
}
