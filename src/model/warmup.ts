// Cold starts: a new process is slower at first (JIT compilation, empty connection pools and
// caches), so its service times are stretched by a factor that decays linearly to 1 over the
// warm-up duration, counted from when the app accepts connections. Linear because it reaches 1
// exactly at `duration` (the field means what it says), its mean excess over the window is
// (factor - 1) / 2, and it mirrors Envoy slow start at aggression 1 (a linear weight ramp), so a
// slowStartWindow equal to the warm-up duration sends a new pod load in step with its speed. No
// real system defines this curve; it is meshsim's model. Left out: warm-up driven by calls served
// (JIT compiles per invocation count) rather than by time.

/** `lifecycle.warmup` of a service: applies to pods started during the run, not to those present at t = 0. */
export interface WarmupSpec {
  /** From the app accepting connections until it is as fast as an old pod, ms (> 0). */
  durationMs: number;
  /** The service-time multiplier at the first call (≥ 1), decaying linearly to 1. */
  serviceTimeFactor: number;
}

/** The service-time multiplier `ageMs` after the app started accepting connections. */
export function warmupFactor(spec: WarmupSpec, ageMs: number): number {
  if (ageMs >= spec.durationMs) return 1;
  const left = 1 - Math.max(0, ageMs) / spec.durationMs;
  return 1 + (spec.serviceTimeFactor - 1) * left;
}
