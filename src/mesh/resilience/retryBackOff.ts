// Envoy's retry back-off (JitteredExponentialBackOffStrategy, source/common/common/backoff_strategy.cc,
// used by the router's retry state): fully jittered exponential back-off over whole milliseconds.
// Left out: Retry-After / X-RateLimit-Reset back-off (rate_limited_retry_back_off) and the
// "retry immediately" cases Envoy uses for HTTP/3 0-RTT failures.
//
// Semantics:
// - Retry n (1-based) waits `floor(u * bound_n)` ms, an integer uniform on [0, bound_n - 1], the
//   same law as Envoy's `random() % bound`, with bound_n = min((2^n - 1) * base, max): the law
//   Envoy's router documentation gives and this project's issue asks for. At base 25 / max 250
//   retries 1..4 wait 0-24, 0-74, 0-174, 0-249 ms. Envoy's code since envoyproxy/envoy PR #10417
//   (2020, an overflow fix) doubles the bound instead (25, 50, 100, 200, 250) and its docs were not
//   updated; the two agree on the first retry and on the cap.
// - `none` waits the bound itself: the same exponential schedule minus the randomness (the "no
//   jitter" curve of the AWS back-off study, REFERENCES section 4). Its mean is about twice the
//   jittered one, so a comparison changes both herding and mean wait.
// - The uniform draw is a parameter, so callers can take it from keyed per-request draws.

export type BackoffJitter = "full" | "none";

export interface BackoffConfig {
  /** First retry's bound, whole ms >= 1 (Envoy `base_interval`, runtime default 25 ms). */
  readonly baseMs: number;
  /** Cap on the bound, whole ms >= baseMs (Envoy `max_interval`, default 10 * base). */
  readonly maxMs: number;
  readonly jitter: BackoffJitter;
}

/**
 * A BackoffConfig, checked (Envoy's defaults, 25 ms and 10 × base, are in scenario/defaults.ts).
 * Envoy rounds a sub-millisecond base up to 1 ms; here it is an error.
 */
export function backoffConfig(baseMs: number, maxMs: number, jitter: BackoffJitter): BackoffConfig {
  if (!(Number.isSafeInteger(baseMs) && baseMs >= 1)) {
    throw new RangeError(
      `back-off baseMs must be a whole number of milliseconds >= 1, got ${baseMs}`,
    );
  }
  if (!(Number.isSafeInteger(maxMs) && maxMs >= baseMs)) {
    throw new RangeError(
      `back-off maxMs must be a whole number of milliseconds >= baseMs (${baseMs}), got ${maxMs}`,
    );
  }
  if (jitter !== "full" && jitter !== "none") {
    throw new RangeError(`back-off jitter must be "full" or "none", got ${String(jitter)}`);
  }
  return Object.freeze({ baseMs, maxMs, jitter });
}

/** The exclusive upper bound of retry `retryNumber`'s jittered wait, in ms (Envoy's `next_interval_`). */
export function backoffBoundMs(config: BackoffConfig, retryNumber: number): number {
  if (!(Number.isSafeInteger(retryNumber) && retryNumber >= 1)) {
    throw badRetryNumber(retryNumber);
  }
  // (2^n - 1) * base reaches any cap within 53 doublings; stop early to stay exact.
  if (retryNumber > 52) return config.maxMs;
  return Math.min((2 ** retryNumber - 1) * config.baseMs, config.maxMs);
}

/** The wait before retry `retryNumber` (1-based), in whole ms, given a uniform draw `u` in [0, 1). */
export function backoffDelay(config: BackoffConfig, retryNumber: number, u: number): number {
  if (!(u >= 0 && u < 1)) throw new RangeError(`back-off draw u must be in [0, 1), got ${u}`);
  const bound = backoffBoundMs(config, retryNumber);
  return config.jitter === "none" ? bound : Math.floor(u * bound);
}

// Built out of line, as lint/no-inline-error-text.grit asks of hot paths: this runs per retry.
function badRetryNumber(retryNumber: number): RangeError {
  return new RangeError(`back-off retryNumber must be an integer >= 1, got ${retryNumber}`);
}
