// The calls present at an instance (queued, in service, or, when blocking, waiting on their own
// downstream calls): how many over time (integrated from the end of warm-up, for mean occupancy,
// and the most at once) and, when instances can die, an intrusive list through the calls
// themselves, so a dying instance can reset every one. Without call tracking the list costs nothing.
import { TimeWeighted } from "../kernel/timeWeighted.ts";
import type { Call } from "./call.ts";

export class PresentCalls {
  /** How many are present, over time. */
  readonly count: TimeWeighted;
  /** Most calls present at once. */
  max = 0;
  private head: Call | null = null;

  constructor(
    warmupMs: number,
    /** Whether to keep the list (only needed when an instance can die). */
    private readonly linked: boolean,
  ) {
    this.count = new TimeWeighted(warmupMs);
  }

  enter(call: Call, now: number): void {
    const count = this.count;
    count.add(now, 1);
    if (count.level > this.max) this.max = count.level;
    if (!this.linked) return;
    const head = this.head;
    call.nextPresent = head;
    call.prevPresent = null;
    if (head !== null) head.prevPresent = call;
    this.head = call;
  }

  /** The call is no longer present (answered, or dropped after a cancel). */
  leave(call: Call, now: number): void {
    this.count.add(now, -1);
    if (!this.linked) return;
    const before = call.prevPresent;
    const after = call.nextPresent;
    if (before !== null) before.nextPresent = after;
    else this.head = after;
    if (after !== null) after.prevPresent = before;
    call.prevPresent = null;
    call.nextPresent = null;
  }

  /** The first call of the list (walk on through `nextPresent`), or null; only kept when linked. */
  first(): Call | null {
    return this.head;
  }

  /** Every call is gone at `now` (the instance died): the list and the count are emptied. */
  clear(now: number): void {
    this.head = null;
    this.count.add(now, -this.count.level);
  }
}
