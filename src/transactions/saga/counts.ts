// What the run's sagas did, over measured requests: how each saga ended, and its compensations'
// tries, with the busiest second of tries (a compensation storm is many tries per unit of time).
// Kept in O(1) space: the simulated clock only moves forward, so one running second is enough.

export class SagaCounts {
  /** Every forward step succeeded within the timeout. */
  completed = 0;
  /** A step failed and every compensation succeeded, all within the timeout. */
  compensated = 0;
  /** The timeout passed before the saga ended (completed or fully compensated). */
  timedOut = 0;
  /** Before the timeout, a compensation ran out of tries: the saga cannot end compensated. */
  compensationFailed = 0;
  /** Compensation calls sent, first tries and retries. */
  tries = 0;
  retries = 0;
  /** Most tries sent within one simulated second [k s, (k+1) s). */
  peakTriesPerSecond = 0;
  /** When a saga first broke `sagas-end-in-time` (timed out or failed to compensate), or null. */
  firstBrokenAt: number | null = null;
  private second = -1;
  private inSecond = 0;

  /** A compensation try was sent at `now` (`retry`: not its first). */
  tried(now: number, retry: boolean): void {
    this.tries++;
    if (retry) this.retries++;
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.inSecond = 0;
    }
    if (++this.inSecond > this.peakTriesPerSecond) this.peakTriesPerSecond = this.inSecond;
  }

  /** A saga broke its invariant at `now`. */
  broke(now: number): void {
    if (this.firstBrokenAt === null) this.firstBrokenAt = now;
  }

  /** Sagas that did not end completed or fully compensated within their timeout. */
  get violations(): number {
    return this.timedOut + this.compensationFailed;
  }
}
