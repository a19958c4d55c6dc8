// Timers that all run for one fixed duration (a route timeout, a per-try timeout), and events posted
// with one fixed delay (a constant network leg): their deadlines come in the order they are set,
// so a FIFO ring holds them sorted and setting or cancelling one costs O(1) instead of a heap
// insert and removal. The scheduler merges the lanes' earliest timers with its heap by (time,
// sequence), each timer taking its sequence number when set, exactly as `Scheduler.at` would, so a
// run fires the same events in the same order either way. A cancelled timer leaves an empty entry
// that is skipped when it reaches the front (this is the timeout list of libev and of Netty's
// per-duration queues; Varghese and Lauck's "timing wheels" survey it).
import type { Firable, Timer } from "./event.ts";

/** What a lane needs from its scheduler. */
export interface LaneClock {
  readonly now: number;
  /** Takes the next insertion sequence number. */
  takeSeq(): number;
  /** The lane's earliest pending timer changed (it had none, or it fired or was cancelled). */
  laneHeadChanged(): void;
}

const INITIAL_ENTRIES = 256;

/** The handle of a lane timer: its lane and its ticket (entry number since the lane began). */
export class LaneTimer implements Timer {
  constructor(
    readonly time: number,
    readonly lane: TimerLane,
    readonly ticket: number,
  ) {}
}

export class TimerLane {
  private events: (Firable | null)[] = new Array<Firable | null>(INITIAL_ENTRIES).fill(null);
  private times = new Float64Array(INITIAL_ENTRIES);
  private seqs = new Float64Array(INITIAL_ENTRIES);
  private mask = INITIAL_ENTRIES - 1;
  /** Tickets are entry numbers since the lane began: [head, tail) are in the ring. */
  private head = 0;
  private tail = 0;
  /** Timers set and neither fired nor cancelled. */
  private live = 0;

  constructor(
    readonly durationMs: number,
    private readonly clock: LaneClock,
  ) {}

  /** Timers pending in this lane. */
  get pending(): number {
    return this.live;
  }

  /** Sets a timer that fires `event` after the lane's duration; returns its handle for `cancel`. */
  start(event: Firable): LaneTimer {
    const ticket = this.enqueue(event);
    return new LaneTimer(this.times[ticket & this.mask], this, ticket);
  }

  /** Like `start` for an event that will never be cancelled: no handle, no allocation. */
  post(event: Firable): void {
    this.enqueue(event);
  }

  /** Queues `event` to fire after the lane's duration; returns its ticket. */
  private enqueue(event: Firable): number {
    if (this.tail - this.head > this.mask) this.grow();
    const ticket = this.tail++;
    const i = ticket & this.mask;
    this.events[i] = event;
    this.times[i] = this.clock.now + this.durationMs;
    this.seqs[i] = this.clock.takeSeq();
    this.live++;
    if (this.live === 1) this.clock.laneHeadChanged();
    return ticket;
  }

  /** Whether the timer with this ticket is still pending (tickets are never reused). */
  isPending(ticket: number): boolean {
    return ticket >= this.head && ticket < this.tail && this.events[ticket & this.mask] !== null;
  }

  /** Cancels the timer with this ticket; one that already fired or was cancelled is ignored. */
  cancel(ticket: number): void {
    if (!this.isPending(ticket)) return;
    const i = ticket & this.mask;
    this.events[i] = null;
    this.live--;
    if (ticket === this.head) {
      this.skipCancelled();
      this.clock.laneHeadChanged();
    }
  }

  /** When the earliest pending timer fires (only while `pending` > 0). */
  get headTime(): number {
    return this.times[this.head & this.mask];
  }

  /** The earliest pending timer's sequence number (only while `pending` > 0). */
  get headSeq(): number {
    return this.seqs[this.head & this.mask];
  }

  /** Removes the earliest pending timer and returns its event, for the scheduler to fire. */
  take(): Firable {
    const i = this.head & this.mask;
    const event = this.events[i]!;
    this.events[i] = null;
    this.head++;
    this.live--;
    this.skipCancelled();
    this.clock.laneHeadChanged();
    return event;
  }

  private skipCancelled(): void {
    while (this.head < this.tail && this.events[this.head & this.mask] === null) this.head++;
  }

  private grow(): void {
    const capacity = 2 * (this.mask + 1);
    const events = new Array<Firable | null>(capacity).fill(null);
    const times = new Float64Array(capacity);
    const seqs = new Float64Array(capacity);
    const mask = capacity - 1;
    for (let t = this.head; t < this.tail; t++) {
      const from = t & this.mask;
      const to = t & mask;
      events[to] = this.events[from];
      times[to] = this.times[from];
      seqs[to] = this.seqs[from];
    }
    this.events = events;
    this.times = times;
    this.seqs = seqs;
    this.mask = mask;
  }
}
