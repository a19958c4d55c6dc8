// The two call windows a resilience4j circuit breaker aggregates outcomes in (resilience4j-core
// FixedSizeSlidingWindowMetrics and SlidingTimeWindowMetrics): the last N calls, or the calls of the
// last N epoch seconds in one bucket per second. Both keep running totals and subtract on evict.
// Left out: call durations (the breaker only needs counts) and the lock-free variants.

/** Running totals of what a window currently holds; read-only to callers, reused between calls. */
export interface WindowTotals {
  readonly calls: number;
  readonly failed: number;
  readonly slow: number;
}

export interface CallWindow {
  record(nowMs: number, failed: boolean, slow: boolean): void;
  /** Totals as of `nowMs` (a time-based window first evicts the seconds that have slid out). */
  totals(nowMs: number): WindowTotals;
}

const FAILED = 1;
const SLOW = 2;

/** The last `size` recorded calls: a ring of outcome flags; the oldest is evicted by the newest. */
export class CountWindow implements CallWindow {
  private readonly outcomes: Uint8Array;
  private next = 0;
  private readonly sum = { calls: 0, failed: 0, slow: 0 };

  constructor(readonly size: number) {
    this.outcomes = new Uint8Array(size);
  }

  record(_nowMs: number, failed: boolean, slow: boolean): void {
    if (this.sum.calls === this.size) this.subtract(this.outcomes[this.next]);
    else this.sum.calls++;
    const outcome = (failed ? FAILED : 0) | (slow ? SLOW : 0);
    this.outcomes[this.next] = outcome;
    this.sum.failed += outcome & FAILED;
    this.sum.slow += (outcome & SLOW) >> 1;
    this.next = (this.next + 1) % this.size;
  }

  totals(_nowMs: number): WindowTotals {
    return this.sum;
  }

  private subtract(outcome: number): void {
    this.sum.failed -= outcome & FAILED;
    this.sum.slow -= (outcome & SLOW) >> 1;
  }
}

/**
 * The calls of the last `sizeSeconds` epoch seconds, one bucket per second (floor(ms / 1000)).
 * At second c the window holds seconds c - size + 1 .. c: a call recorded at second s is forgotten
 * once s <= c - size, as when resilience4j moves its head bucket to the current epoch second.
 */
export class TimeWindow implements CallWindow {
  private readonly second: Float64Array;
  private readonly calls: Int32Array;
  private readonly failed: Int32Array;
  private readonly slow: Int32Array;
  private headSecond: number;
  private readonly sum = { calls: 0, failed: 0, slow: 0 };

  constructor(
    readonly sizeSeconds: number,
    nowMs: number,
  ) {
    this.second = new Float64Array(sizeSeconds).fill(-Infinity);
    this.calls = new Int32Array(sizeSeconds);
    this.failed = new Int32Array(sizeSeconds);
    this.slow = new Int32Array(sizeSeconds);
    this.headSecond = Math.floor(nowMs / 1000);
  }

  record(nowMs: number, failed: boolean, slow: boolean): void {
    const i = this.slideTo(Math.floor(nowMs / 1000));
    this.calls[i]++;
    this.sum.calls++;
    if (failed) {
      this.failed[i]++;
      this.sum.failed++;
    }
    if (slow) {
      this.slow[i]++;
      this.sum.slow++;
    }
  }

  totals(nowMs: number): WindowTotals {
    this.slideTo(Math.floor(nowMs / 1000));
    return this.sum;
  }

  /** Moves the head to `current` (never back), evicting every bucket that slid out; returns its index. */
  private slideTo(current: number): number {
    if (current > this.headSecond) {
      // Seconds headSecond+1 .. current reuse the slots of the seconds that leave the window;
      // after a gap of a whole window or more, every slot is reused.
      const first = Math.max(this.headSecond + 1, current - this.sizeSeconds + 1);
      for (let s = first; s <= current; s++) this.resetSlot(this.slot(s), s);
      this.headSecond = current;
    }
    const i = this.slot(current);
    if (this.second[i] !== current) this.resetSlot(i, current);
    return i;
  }

  private resetSlot(i: number, second: number): void {
    this.sum.calls -= this.calls[i];
    this.sum.failed -= this.failed[i];
    this.sum.slow -= this.slow[i];
    this.calls[i] = 0;
    this.failed[i] = 0;
    this.slow[i] = 0;
    this.second[i] = second;
  }

  private slot(second: number): number {
    return ((second % this.sizeSeconds) + this.sizeSeconds) % this.sizeSeconds;
  }
}
