// The reference simulator's circuit breaker, resilience4j's COUNT_BASED semantics with its defaults
// (window 100 calls, minimum 100, failure-rate threshold 50%, slow calls > 60 s at 100%, 60 s open,
// 10 half-open probes, no automatic transition), as meshsim's mesh/resilience/circuitBreaker.ts
// models them: rates in float32 once the minimum is buffered, trip at >= threshold, OPEN admits
// the first call after the wait and turns HALF_OPEN, whose own window of 10 decides. One per
// caller sidecar and upstream service, as in meshsim (a proxy's breaker guards one upstream).

const CLOSED = 0;
const OPEN = 1;
const HALF_OPEN = 2;
const STATE_NAMES = ["CLOSED", "OPEN", "HALF_OPEN"] as const;

const WINDOW = 100;
const MINIMUM_CALLS = 100;
const FAILURE_RATE_THRESHOLD = Math.fround(50);
const SLOW_RATE_THRESHOLD = Math.fround(100);
const SLOW_CALL_MS = 60_000;
const WAIT_IN_OPEN_MS = 60_000;
const HALF_OPEN_PERMITS = 10;

const FAILED = 1;
const SLOW = 2;

export interface Transition {
  atMs: number;
  component: string;
  from: string;
  to: string;
}

export class Breaker {
  private state = CLOSED;
  private outcomes = new Uint8Array(WINDOW);
  private size = WINDOW;
  private minimum = MINIMUM_CALLS;
  private next = 0;
  private calls = 0;
  private failed = 0;
  private slow = 0;
  private retryAfterMs = 0;
  private permitsLeft = 0;

  constructor(
    private readonly component: string,
    private readonly transitions: Transition[],
  ) {}

  tryAcquirePermission(nowMs: number): boolean {
    if (this.state === CLOSED) return true;
    if (this.state === OPEN) {
      if (!(nowMs > this.retryAfterMs)) return false;
      this.enter(nowMs, HALF_OPEN);
    }
    if (this.permitsLeft === 0) return false;
    this.permitsLeft--;
    return true;
  }

  onResult(nowMs: number, durationMs: number, failed: boolean): void {
    const outcome = (failed ? FAILED : 0) | (durationMs > SLOW_CALL_MS ? SLOW : 0);
    if (this.calls === this.size) {
      const old = this.outcomes[this.next];
      this.failed -= old & FAILED;
      this.slow -= old >> 1;
    } else this.calls++;
    this.outcomes[this.next] = outcome;
    this.failed += outcome & FAILED;
    this.slow += outcome >> 1;
    this.next = (this.next + 1) % this.size;
    if (this.state === OPEN || this.calls < this.minimum) return;
    const failureRate = Math.fround((this.failed * 100) / this.calls);
    const slowRate = Math.fround((this.slow * 100) / this.calls);
    if (failureRate >= FAILURE_RATE_THRESHOLD || slowRate >= SLOW_RATE_THRESHOLD)
      this.enter(nowMs, OPEN);
    else if (this.state === HALF_OPEN) this.enter(nowMs, CLOSED);
  }

  /** The one place the state changes; CLOSED and HALF_OPEN start an empty window, OPEN keeps its. */
  private enter(nowMs: number, to: number): void {
    this.transitions.push({
      atMs: nowMs,
      component: this.component,
      from: STATE_NAMES[this.state],
      to: STATE_NAMES[to],
    });
    this.state = to;
    if (to === OPEN) {
      this.retryAfterMs = nowMs + WAIT_IN_OPEN_MS;
      return;
    }
    this.size = to === CLOSED ? WINDOW : HALF_OPEN_PERMITS;
    this.minimum = to === CLOSED ? MINIMUM_CALLS : HALF_OPEN_PERMITS;
    this.outcomes = new Uint8Array(this.size);
    this.next = 0;
    this.calls = 0;
    this.failed = 0;
    this.slow = 0;
    this.permitsLeft = HALF_OPEN_PERMITS;
  }
}
