// Envoy's local rate limit token bucket (type.v3.TokenBucket; HTTP filter local_ratelimit): it starts
// full at maxTokens, refills at tokensPerFill per fillInterval, never holds more than maxTokens, and
// each admitted request takes one token; without one the caller answers 429 (Envoy also sets
// x-envoy-ratelimited, see retryOn.ts). Fills are computed lazily from the time of each call, so no
// timers run. Left out: descriptors, per-connection buckets, filter_enabled/filter_enforced (Envoy
// enforces 0% until set; the caller decides), and the 50 ms minimum the timer-based bucket had.
//
// Two refill laws, both Envoy's:
// - "continuous" (default; Envoy 1.31+, AtomicTokenBucketImpl in token_bucket_impl.cc): tokens
//   accrue continuously at tokensPerFill / fillInterval; a request needs one whole token. Over [t0, t]
//   at most maxTokens + floor((t - t0) * rate) are admitted.
// - "interval" (Envoy up to 1.30, the fill timer; runtime guard no_timer_based_rate_limit_token_bucket
//   = false): tokensPerFill arrive at once at each tick t0 + k * fillInterval, t0 the creation time,
//   so a call at exactly t0 + fillInterval sees the first fill. Over [t0, t] at most maxTokens +
//   tokensPerFill * floor((t - t0) / fillInterval) are admitted.
// Times in whole ms keep both laws exact: the continuous level is held in token-milliseconds.

export type TokenRefill = "continuous" | "interval";

export interface TokenBucketConfig {
  /** Capacity and initial fill: an integer >= 1 (Envoy `max_tokens`). */
  maxTokens: number;
  /** Tokens added per fill interval: an integer >= 1 (Envoy `tokens_per_fill`; its default is in scenario/defaults.ts). */
  tokensPerFill: number;
  /** > 0 ms (Envoy `fill_interval`). */
  fillIntervalMs: number;
  /** Default "continuous", Envoy's current law. */
  refill?: TokenRefill;
}

export class TokenBucket {
  private readonly maxTokens: number;
  private readonly tokensPerFill: number;
  private readonly fillIntervalMs: number;
  private readonly continuous: boolean;
  private readonly createdAtMs: number;
  /** Continuous: tokens * fillIntervalMs (token-ms). Interval: whole tokens. */
  private level: number;
  private lastMs: number;
  /** Interval law: the last tick already added. */
  private lastTick = 0;
  private admittedCount = 0;
  private rejectedCount = 0;

  constructor(config: TokenBucketConfig, createdAtMs: number) {
    const { maxTokens, fillIntervalMs } = config;
    const { tokensPerFill } = config;
    const refill = config.refill ?? "continuous";
    if (!(Number.isSafeInteger(maxTokens) && maxTokens >= 1)) {
      throw new RangeError(`token bucket maxTokens must be an integer >= 1, got ${maxTokens}`);
    }
    if (!(Number.isSafeInteger(tokensPerFill) && tokensPerFill >= 1)) {
      throw new RangeError(
        `token bucket tokensPerFill must be an integer >= 1, got ${tokensPerFill}`,
      );
    }
    if (!(fillIntervalMs > 0 && Number.isFinite(fillIntervalMs))) {
      throw new RangeError(
        `token bucket fillIntervalMs must be a finite number > 0, got ${fillIntervalMs}`,
      );
    }
    if (refill !== "continuous" && refill !== "interval") {
      throw new RangeError(
        `token bucket refill must be "continuous" or "interval", got ${String(refill)}`,
      );
    }
    if (!Number.isFinite(createdAtMs))
      throw new RangeError(`token bucket creation time must be finite, got ${createdAtMs}`);
    this.maxTokens = maxTokens;
    this.tokensPerFill = tokensPerFill;
    this.fillIntervalMs = fillIntervalMs;
    this.continuous = refill === "continuous";
    this.createdAtMs = createdAtMs;
    this.lastMs = createdAtMs;
    this.level = this.continuous ? maxTokens * fillIntervalMs : maxTokens;
  }

  /** Requests admitted so far. */
  get admitted(): number {
    return this.admittedCount;
  }

  /** Requests refused so far (answered 429 by the caller). */
  get rejected(): number {
    return this.rejectedCount;
  }

  /** Whole tokens available at `nowMs`, without taking one. */
  available(nowMs: number): number {
    this.refill(nowMs);
    return this.continuous ? Math.floor(this.level / this.fillIntervalMs) : this.level;
  }

  /** Takes a token at `nowMs` if there is one; false means the caller answers 429. */
  tryConsume(nowMs: number): boolean {
    this.refill(nowMs);
    const cost = this.continuous ? this.fillIntervalMs : 1;
    if (this.level >= cost) {
      this.level -= cost;
      this.admittedCount++;
      return true;
    }
    this.rejectedCount++;
    return false;
  }

  private refill(nowMs: number): void {
    if (!(nowMs >= this.lastMs)) {
      throw timeWentBack(nowMs, this.lastMs);
    }
    if (this.continuous) {
      const cap = this.maxTokens * this.fillIntervalMs;
      this.level = Math.min(cap, this.level + this.tokensPerFill * (nowMs - this.lastMs));
    } else {
      const tick = Math.floor((nowMs - this.createdAtMs) / this.fillIntervalMs);
      if (tick > this.lastTick) {
        this.level = Math.min(
          this.maxTokens,
          this.level + (tick - this.lastTick) * this.tokensPerFill,
        );
        this.lastTick = tick;
      }
    }
    this.lastMs = nowMs;
  }
}

// Built out of line, as lint/no-inline-error-text.grit asks of hot paths: refill runs per request.
function timeWentBack(nowMs: number, lastMs: number): RangeError {
  return new RangeError(`token bucket time went backwards: ${nowMs} ms after ${lastMs} ms`);
}
