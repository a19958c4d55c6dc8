// A resilience4j CircuitBreaker (CircuitBreakerStateMachine, CircuitBreakerMetrics): CLOSED trips to
// OPEN when the failure or slow-call rate of its sliding window reaches a threshold; after a wait
// OPEN lets a few probe calls through in HALF_OPEN, whose own window decides CLOSED or OPEN again.
// Left out: DISABLED, FORCED_OPEN, METRICS_ONLY, wait-interval functions, exception predicates.
//
// Semantics kept from resilience4j, each checked against its source:
// - Rates are failed (slow) * 100 / buffered calls in float32, or -1 while buffered < minimum calls;
//   a window trips when either rate is >= its threshold. Slow means duration > threshold (strictly).
// - COUNT_BASED uses min(minimumNumberOfCalls, slidingWindowSize) as the minimum; TIME_BASED uses
//   minimumNumberOfCalls as given. HALF_OPEN always uses a COUNT window of the permitted size, with
//   minimum min(minimumNumberOfCalls, permitted), so it may decide before every probe has finished.
// - CLOSED and HALF_OPEN start with an empty window. OPEN keeps the window of the state it left, and
//   results that arrive while OPEN (from calls permitted before it opened) are still recorded there
//   but never evaluated, as OpenState.onSuccess/onError do: they show in the rates, change nothing.
// - Without automatic transition, OPEN admits the first call strictly *after* openedAt + wait
//   (`clock.instant().isAfter(retryAfterWaitDuration)`): that call moves the breaker to HALF_OPEN and
//   takes a probe permit. With it, a timer moves it at exactly openedAt + wait.
// - Half-open permits are consumed by admission; results do not return them, releasePermission does.
import { type CallWindow, CountWindow, TimeWindow } from "./slidingWindow.ts";

export type BreakerState = "CLOSED" | "OPEN" | "HALF_OPEN";

export interface CircuitBreakerConfig {
  slidingWindowType: "COUNT_BASED" | "TIME_BASED";
  /** Calls (COUNT_BASED) or seconds (TIME_BASED): an integer >= 1. */
  slidingWindowSize: number;
  /** Buffered calls needed before a rate is computed: an integer >= 1. */
  minimumNumberOfCalls: number;
  /** Percent in (0, 100]; trips at or above. */
  failureRateThreshold: number;
  /** Percent in (0, 100]; trips at or above. */
  slowCallRateThreshold: number;
  /** A call is slow when its duration is strictly greater than this: > 0. */
  slowCallDurationThresholdMs: number;
  /** >= 1 ms, as resilience4j's builder requires. */
  waitDurationInOpenStateMs: number;
  /** An integer >= 1. */
  permittedNumberOfCallsInHalfOpenState: number;
  automaticTransitionFromOpenToHalfOpenEnabled: boolean;
  /** 0 waits in HALF_OPEN indefinitely; otherwise >= 1 ms, after which HALF_OPEN moves to OPEN. */
  maxWaitDurationInHalfOpenStateMs: number;
}

/** Timer service injected by the simulator: run `action` at absolute time `atMs` (>= now). Returns a cancel function. */
export interface BreakerTimers {
  schedule(atMs: number, action: () => void): () => void;
}

export type TransitionListener = (atMs: number, from: BreakerState, to: BreakerState) => void;

/** The only transitions resilience4j's three ordinary states make. */
const LEGAL: Readonly<Record<BreakerState, readonly BreakerState[]>> = {
  CLOSED: ["OPEN"],
  OPEN: ["HALF_OPEN"],
  HALF_OPEN: ["OPEN", "CLOSED"],
};

/** A window with the minimum number of calls it needs before its rates count. */
interface Measured {
  readonly window: CallWindow;
  readonly minimumCalls: number;
}

type Phase =
  | { readonly state: "CLOSED"; readonly measured: Measured }
  | {
      readonly state: "OPEN";
      readonly measured: Measured;
      readonly retryAfterMs: number;
      cancelTimer: (() => void) | null;
    }
  | {
      readonly state: "HALF_OPEN";
      readonly measured: Measured;
      permitsLeft: number;
      cancelTimer: (() => void) | null;
    };

type Verdict = "NOT_EVALUATED" | "BELOW_THRESHOLDS" | "ABOVE_THRESHOLDS";

export class CircuitBreaker {
  private readonly config: CircuitBreakerConfig;
  private phase: Phase;
  private lastMs = -Infinity;

  constructor(
    config: CircuitBreakerConfig,
    private readonly timers: BreakerTimers,
    private readonly onTransition: TransitionListener,
  ) {
    validateConfig(config);
    this.config = { ...config };
    this.phase = { state: "CLOSED", measured: this.closedWindow(0) };
  }

  get state(): BreakerState {
    return this.phase.state;
  }

  /** resilience4j tryAcquirePermission: CLOSED yes; OPEN no until the wait is over, then (non-automatic) transitions to HALF_OPEN on this call and takes a permit; HALF_OPEN yes while permits remain. */
  tryAcquirePermission(nowMs: number): boolean {
    this.observe(nowMs);
    if (this.phase.state === "OPEN") {
      if (!(nowMs > this.phase.retryAfterMs)) return false;
      this.transition(nowMs, "HALF_OPEN");
    }
    const phase = this.phase;
    if (phase.state === "CLOSED") return true;
    if (phase.state === "HALF_OPEN" && phase.permitsLeft > 0) {
      phase.permitsLeft--;
      return true;
    }
    return false;
  }

  /**
   * A permitted call was not executed after all (resilience4j releasePermission): gives a half-open
   * permit back; a no-op in CLOSED and OPEN. Meant for a call permitted in the current state, as
   * resilience4j also assumes (the simulator's Upstream.releasePermit checks it: a try can outlive
   * the state that let it through); unlike resilience4j, the permits never exceed the configured number.
   */
  releasePermission(): void {
    const phase = this.phase;
    if (phase.state !== "HALF_OPEN") return;
    phase.permitsLeft = Math.min(
      phase.permitsLeft + 1,
      this.config.permittedNumberOfCallsInHalfOpenState,
    );
  }

  /** A permitted call finished: record it (failed or not, its duration) and evaluate. */
  onResult(nowMs: number, durationMs: number, failed: boolean): void {
    this.observe(nowMs);
    if (!(durationMs >= 0 && Number.isFinite(durationMs))) throw invalidDuration(durationMs);
    const phase = this.phase;
    phase.measured.window.record(
      nowMs,
      failed,
      durationMs > this.config.slowCallDurationThresholdMs,
    );
    if (phase.state === "OPEN") return; // recorded, never evaluated (see the header)
    const verdict = this.evaluate(phase.measured, nowMs);
    if (verdict === "ABOVE_THRESHOLDS") this.transition(nowMs, "OPEN");
    else if (verdict === "BELOW_THRESHOLDS" && phase.state === "HALF_OPEN")
      this.transition(nowMs, "CLOSED");
  }

  /** Current failure rate in percent, or -1 when fewer than the minimum calls are buffered (for metrics). */
  failureRate(nowMs: number): number {
    this.observe(nowMs);
    const totals = this.phase.measured.window.totals(nowMs);
    return rate(totals.failed, totals.calls, this.phase.measured.minimumCalls);
  }

  /** Current slow-call rate in percent, or -1 when fewer than the minimum calls are buffered (for metrics). */
  slowCallRate(nowMs: number): number {
    this.observe(nowMs);
    const totals = this.phase.measured.window.totals(nowMs);
    return rate(totals.slow, totals.calls, this.phase.measured.minimumCalls);
  }

  private evaluate(measured: Measured, nowMs: number): Verdict {
    const totals = measured.window.totals(nowMs);
    const failureRate = rate(totals.failed, totals.calls, measured.minimumCalls);
    const slowRate = rate(totals.slow, totals.calls, measured.minimumCalls);
    if (failureRate === -1 || slowRate === -1) return "NOT_EVALUATED";
    const exceeded =
      failureRate >= Math.fround(this.config.failureRateThreshold) ||
      slowRate >= Math.fround(this.config.slowCallRateThreshold);
    return exceeded ? "ABOVE_THRESHOLDS" : "BELOW_THRESHOLDS";
  }

  /** The one place the state changes and the listener hears of it. */
  private transition(atMs: number, to: BreakerState): void {
    const from = this.phase;
    if (!LEGAL[from.state].includes(to)) {
      throw new Error(`circuit breaker cannot go from ${from.state} to ${to}`);
    }
    if (from.state !== "CLOSED" && from.cancelTimer !== null) from.cancelTimer();
    this.phase = this.enter(to, atMs, from.measured);
    this.onTransition(atMs, from.state, to);
  }

  private enter(to: BreakerState, atMs: number, previous: Measured): Phase {
    const config = this.config;
    if (to === "CLOSED") return { state: "CLOSED", measured: this.closedWindow(atMs) };
    if (to === "OPEN") {
      const retryAfterMs = atMs + config.waitDurationInOpenStateMs;
      const phase: Phase = { state: "OPEN", measured: previous, retryAfterMs, cancelTimer: null };
      if (config.automaticTransitionFromOpenToHalfOpenEnabled) {
        phase.cancelTimer = this.after(phase, retryAfterMs, "HALF_OPEN");
      }
      return phase;
    }
    const permitted = config.permittedNumberOfCallsInHalfOpenState;
    const measured = {
      window: new CountWindow(permitted),
      minimumCalls: Math.min(config.minimumNumberOfCalls, permitted),
    };
    const phase: Phase = {
      state: "HALF_OPEN",
      measured,
      permitsLeft: permitted,
      cancelTimer: null,
    };
    if (config.maxWaitDurationInHalfOpenStateMs > 0) {
      phase.cancelTimer = this.after(phase, atMs + config.maxWaitDurationInHalfOpenStateMs, "OPEN");
    }
    return phase;
  }

  /** Schedules `phase` to end in `to` at `atMs`; stale firings (phase already left) do nothing. */
  private after(phase: Phase, atMs: number, to: BreakerState): () => void {
    return this.timers.schedule(atMs, () => {
      if (this.phase !== phase) return;
      this.observe(atMs);
      this.transition(atMs, to);
    });
  }

  private closedWindow(nowMs: number): Measured {
    const { slidingWindowType, slidingWindowSize, minimumNumberOfCalls } = this.config;
    return slidingWindowType === "COUNT_BASED"
      ? {
          window: new CountWindow(slidingWindowSize),
          minimumCalls: Math.min(minimumNumberOfCalls, slidingWindowSize),
        }
      : { window: new TimeWindow(slidingWindowSize, nowMs), minimumCalls: minimumNumberOfCalls };
  }

  /** Simulated time never runs backwards; a caller that says otherwise has a bug worth hearing about. */
  private observe(nowMs: number): void {
    if (!(nowMs >= this.lastMs) || !Number.isFinite(nowMs)) throw timeWentBack(nowMs, this.lastMs);
    this.lastMs = nowMs;
  }
}

// The errors of the per-try checks are built out of line: a template literal beside the throw can
// run its number-to-string conversion on every call once TurboFan inlines the method
// (lint/no-inline-error-text.grit; docs/performance.md, session 8).
function invalidDuration(durationMs: number): RangeError {
  return new RangeError(
    `circuit breaker call duration must be a finite number >= 0 ms, got ${durationMs}`,
  );
}

function timeWentBack(nowMs: number, lastMs: number): RangeError {
  return new RangeError(
    `circuit breaker time went backwards or is not finite: ${nowMs} after ${lastMs}`,
  );
}

/** resilience4j's rate: count * 100 / calls in float32, or -1 below the minimum (or with no calls). */
function rate(count: number, calls: number, minimumCalls: number): number {
  if (calls === 0 || calls < minimumCalls) return -1;
  return Math.fround((count * 100) / calls);
}

function validateConfig(config: CircuitBreakerConfig): void {
  const fail = (field: keyof CircuitBreakerConfig, rule: string): never => {
    throw new RangeError(`circuit breaker ${field} must be ${rule}, got ${String(config[field])}`);
  };
  if (config.slidingWindowType !== "COUNT_BASED" && config.slidingWindowType !== "TIME_BASED") {
    fail("slidingWindowType", `"COUNT_BASED" or "TIME_BASED"`);
  }
  const integerAtLeastOne = [
    "slidingWindowSize",
    "minimumNumberOfCalls",
    "permittedNumberOfCallsInHalfOpenState",
  ] as const;
  for (const field of integerAtLeastOne) {
    if (!(Number.isInteger(config[field]) && config[field] >= 1)) fail(field, "an integer >= 1");
  }
  for (const field of ["failureRateThreshold", "slowCallRateThreshold"] as const) {
    if (!(config[field] > 0 && config[field] <= 100)) fail(field, "a percentage in (0, 100]");
  }
  if (
    !(config.slowCallDurationThresholdMs > 0 && Number.isFinite(config.slowCallDurationThresholdMs))
  ) {
    fail("slowCallDurationThresholdMs", "a finite number > 0");
  }
  if (
    !(config.waitDurationInOpenStateMs >= 1 && Number.isFinite(config.waitDurationInOpenStateMs))
  ) {
    fail("waitDurationInOpenStateMs", "a finite number >= 1");
  }
  const maxWait = config.maxWaitDurationInHalfOpenStateMs;
  if (!(maxWait === 0 || (maxWait >= 1 && Number.isFinite(maxWait)))) {
    fail("maxWaitDurationInHalfOpenStateMs", "0 (wait indefinitely) or a finite number >= 1");
  }
  if (typeof config.automaticTransitionFromOpenToHalfOpenEnabled !== "boolean") {
    fail("automaticTransitionFromOpenToHalfOpenEnabled", "a boolean");
  }
}
