// istiod's push debounce (pilot/pkg/xds/discovery.go `debounce`): the first event of a burst starts
// a timer of debounceAfter; when it fires, the burst is pushed if it has been quiet for debounceAfter
// since its last event, or if debounceMax has passed since its first; otherwise the timer waits out
// the rest of the quiet period. So a lone change is pushed debounceAfter later (100 ms by default),
// and a steady stream of changes at most debounceMax after it began (10 s). Left out: the wait for
// the previous push to finish (pushes here take no time) and the merging of push requests.
import type { Scheduler } from "../../kernel/scheduler.ts";

export class Debouncer {
  private pending = false;
  private startedAt = 0;
  private lastEventAt = 0;
  /** Pushes so far (for tests). */
  pushes = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly afterMs: number,
    private readonly maxMs: number,
    private readonly push: () => void,
  ) {}

  /** A config or endpoint change arrived now. */
  event(): void {
    const now = this.scheduler.now;
    this.lastEventAt = now;
    if (this.pending) return;
    this.pending = true;
    this.startedAt = now;
    this.scheduler.post(now + this.afterMs, () => this.fire());
  }

  private fire(): void {
    const now = this.scheduler.now;
    const quiet = now - this.lastEventAt;
    if (now - this.startedAt >= this.maxMs || quiet >= this.afterMs) {
      this.pending = false;
      this.pushes++;
      this.push();
      return;
    }
    this.scheduler.post(now + this.afterMs - quiet, () => this.fire());
  }
}
