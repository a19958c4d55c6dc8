// The simulated clock and event list: a binary heap ordered by (time, insertion sequence), so
// ties run first-in first-out and the order is total. Each entry remembers its heap position,
// so cancelling a timer (a timeout that did not fire) removes it at once instead of leaving a
// tombstone. Events nobody will cancel (`post`) reuse their entries from a free list, which
// keeps the hottest path free of allocation. Time is simulated milliseconds; no wall clock.

export type Action = () => void;

/** A scheduled event; pass it to `cancel`. Opaque to callers. */
export interface Timer {
  readonly time: number;
}

class Entry implements Timer {
  constructor(
    public time: number,
    public seq: number,
    public action: Action | null,
    /** Index in the heap array; -1 once fired or cancelled. */
    public pos: number,
    /** Posted (no handle given out): the entry returns to the free list after it fires. */
    public pooled: boolean,
  ) {}
}

export type StopReason = "duration" | "event-cap" | "drained";

export class Scheduler {
  private heap: Entry[] = [];
  private readonly free: Entry[] = [];
  private seq = 0;
  private clock = 0;
  private fired = 0;

  get now(): number {
    return this.clock;
  }
  /** Events run so far. */
  get events(): number {
    return this.fired;
  }
  get pending(): number {
    return this.heap.length;
  }

  /** Runs `action` at simulated `time` (not before now). */
  at(time: number, action: Action): Timer {
    if (!(time >= this.clock)) {
      throw new Error(`cannot schedule at ${time} ms: the clock is already at ${this.clock} ms`);
    }
    const entry = new Entry(time, this.seq++, action, this.heap.length, false);
    this.heap.push(entry);
    this.siftUp(entry.pos);
    return entry;
  }

  /** Like `at` for an event that will never be cancelled: no handle, no allocation. */
  post(time: number, action: Action): void {
    if (!(time >= this.clock)) {
      throw new Error(`cannot schedule at ${time} ms: the clock is already at ${this.clock} ms`);
    }
    let entry = this.free.pop();
    if (entry === undefined) entry = new Entry(time, this.seq++, action, this.heap.length, true);
    else {
      entry.time = time;
      entry.seq = this.seq++;
      entry.action = action;
      entry.pos = this.heap.length;
    }
    this.heap.push(entry);
    this.siftUp(entry.pos);
  }

  postAfter(delay: number, action: Action): void {
    this.post(this.clock + delay, action);
  }

  after(delay: number, action: Action): Timer {
    return this.at(this.clock + delay, action);
  }

  /** Removes a pending timer. Cancelling one that already fired or was cancelled does nothing. */
  cancel(timer: Timer): void {
    const entry = timer as Entry;
    const pos = entry.pos;
    if (pos < 0) return;
    entry.pos = -1;
    entry.action = null;
    const last = this.heap.pop()!;
    if (pos < this.heap.length) {
      this.heap[pos] = last;
      last.pos = pos;
      this.siftDown(pos);
      this.siftUp(last.pos);
    }
  }

  isPending(timer: Timer): boolean {
    return (timer as Entry).pos >= 0;
  }

  /**
   * Runs events in order until the next one lies beyond `until`, the list is empty, or
   * `maxEvents` have run in total. The clock ends at `until` unless the event cap stopped it.
   */
  run(until: number, maxEvents = Number.MAX_SAFE_INTEGER): StopReason {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0];
      if (top.time > until) break;
      if (this.fired >= maxEvents) return "event-cap";
      this.popTop();
      this.clock = top.time;
      this.fired++;
      const action = top.action!;
      top.action = null;
      if (top.pooled) this.free.push(top);
      action();
    }
    const reason: StopReason = heap.length === 0 ? "drained" : "duration";
    if (until > this.clock && Number.isFinite(until)) this.clock = until;
    return reason;
  }

  private popTop(): void {
    const heap = this.heap;
    const top = heap[0];
    top.pos = -1;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      last.pos = 0;
      this.siftDown(0);
    }
  }

  private siftUp(pos: number): void {
    const heap = this.heap;
    const entry = heap[pos];
    while (pos > 0) {
      const parentPos = (pos - 1) >> 1;
      const parent = heap[parentPos];
      if (!earlier(entry, parent)) break;
      heap[pos] = parent;
      parent.pos = pos;
      pos = parentPos;
    }
    heap[pos] = entry;
    entry.pos = pos;
  }

  private siftDown(pos: number): void {
    const heap = this.heap;
    const n = heap.length;
    const entry = heap[pos];
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && earlier(heap[right], heap[left]) ? right : left;
      if (!earlier(heap[child], entry)) break;
      heap[pos] = heap[child];
      heap[pos].pos = pos;
      pos = child;
    }
    heap[pos] = entry;
    entry.pos = pos;
  }
}

function earlier(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
