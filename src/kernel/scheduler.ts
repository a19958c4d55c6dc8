// The simulated clock and event list: a binary heap ordered by (time, insertion sequence), so
// ties run first-in first-out and the order is total. Events live in slots of typed arrays (time,
// sequence, heap position) and the heap holds slot numbers, so sifting compares numbers in
// contiguous memory instead of chasing objects (a third faster on the checkout benchmark). A
// handle from `at` names its event by slot and sequence number (never reused), and once a pending
// event is first cancelled, each slot remembers its heap position, so cancelling a timer (a
// timeout that did not fire) removes it at once instead of leaving a tombstone; until then no
// position is kept. Timers of one fixed duration (`afterFixed`), and events
// posted with one of a few fixed delays (`postFireFixed`: a constant network leg), go in a
// TimerLane instead (timerLane.ts), merged with the heap by (time, sequence); callers see one
// kind of `Timer` handle either way. Time is simulated milliseconds; no wall clock.
import type { Action, Firable, Timer } from "./event.ts";
import { type LaneClock, LaneTimer, TimerLane } from "./timerLane.ts";

export type { Action, Firable, Timer } from "./event.ts";

/**
 * The handle `at` gives out: its event's slot and insertion sequence number. Sequence numbers are
 * never reused, so the event is still pending exactly while its slot sits in the heap with that
 * sequence number.
 */
class TimerHandle implements Timer {
  constructor(
    readonly time: number,
    readonly slot: number,
    readonly seq: number,
  ) {}
}

export type StopReason = "duration" | "event-cap" | "drained";

const INITIAL_SLOTS = 1024;

export class Scheduler implements LaneClock {
  /** Heap of slot numbers, ordered by (times[slot], seqs[slot]). */
  private heap = new Int32Array(INITIAL_SLOTS);
  private size = 0;
  private times = new Float64Array(INITIAL_SLOTS);
  private seqs = new Float64Array(INITIAL_SLOTS);
  /**
   * Heap position of each slot, -1 when the slot holds no pending event; kept only once a pending
   * event has been cancelled (`tracked`), as only `cancel` reads it.
   */
  private positions = new Int32Array(INITIAL_SLOTS).fill(-1);
  private actions: (Action | Firable | null)[] = new Array<Action | Firable | null>(
    INITIAL_SLOTS,
  ).fill(null);
  private freeSlots = new Int32Array(INITIAL_SLOTS);
  private freeCount = 0;
  /** Slots ever handed out; slots below this that are not pending are on the free list. */
  private used = 0;
  /** True while a fired event's action runs and its slot still sits at the heap's root. */
  private rootFired = false;
  /**
   * Whether `positions` is kept. Until the first `cancel` of a pending event nothing reads it, so
   * runs that never cancel one from `at` (the plain checkout's 19 million events; timers of fixed
   * durations live in lanes) skip a store per level of every sift and one per event; the first
   * cancel writes it from the heap as it stands (trackPositions).
   */
  private tracked = false;
  private seq = 0;
  private clock = 0;
  private fired = 0;
  /**
   * When the last event fired (the clock may since have moved on to a `run` call's `until`).
   * Starts as -0, a double: V8 fixes a field's representation by its first value, and a small
   * integer 0 here became a double when the first `run` returned (the first scrape), which
   * deoptimised the compiled functions that had inlined the scheduler (44 deopts in the governed
   * chain's loop with 0, 26 with -0). `stopAtCap` adds 0 when it reads it, so the clock is never -0.
   */
  private lastEventTime = -0;
  private readonly lanes: TimerLane[] = [];
  /** The lane holding the earliest pending lane timer, and that timer's time and sequence; null when none. */
  private nextLane: TimerLane | null = null;
  private nextLaneTime = Infinity;
  private nextLaneSeq = 0;
  /** The lane `postFireFixed` used last (most runs have one fixed delay). */
  private lastFixedLane: TimerLane | null = null;

  get now(): number {
    return this.clock;
  }
  /** Events run so far. */
  get events(): number {
    return this.fired;
  }
  get pending(): number {
    let lanePending = 0;
    for (const lane of this.lanes) lanePending += lane.pending;
    return (this.rootFired ? this.size - 1 : this.size) + lanePending;
  }

  /**
   * Runs `event` after `durationMs`, for timers that many objects set with the same duration (route
   * and per-try timeouts): they wait in the lane for that duration, set and cancelled in O(1), and
   * fire exactly when and in the order `after` would have fired them.
   */
  afterFixed(durationMs: number, event: Firable): Timer {
    return this.laneFor(durationMs).start(event);
  }

  /** The lane for timers of `durationMs` (one per duration, made on first use). */
  private laneFor(durationMs: number): TimerLane {
    for (const lane of this.lanes) if (lane.durationMs === durationMs) return lane;
    const lane = new TimerLane(durationMs, this);
    this.lanes.push(lane);
    return lane;
  }

  /** For lanes: the next insertion sequence number. */
  takeSeq(): number {
    return this.seq++;
  }

  /** For lanes: finds the lane whose earliest timer comes first. */
  laneHeadChanged(): void {
    const lanes = this.lanes;
    if (lanes.length === 1) {
      // One lane (a run with one fixed delay, e.g. a constant network leg): this runs at every
      // event it fires, so it skips the search.
      // (An if, not conditional expressions: V8 boxed the doubles they picked.)
      const lane = lanes[0];
      if (lane.pending > 0) {
        this.nextLane = lane;
        this.nextLaneTime = lane.headTime;
        this.nextLaneSeq = lane.headSeq;
      } else {
        this.nextLane = null;
        this.nextLaneTime = Infinity;
        this.nextLaneSeq = 0;
      }
      return;
    }
    let next: TimerLane | null = null;
    let time = Infinity;
    let seq = 0;
    for (const lane of lanes) {
      if (lane.pending === 0) continue;
      const t = lane.headTime;
      if (t < time || (t === time && lane.headSeq < seq)) {
        next = lane;
        time = t;
        seq = lane.headSeq;
      }
    }
    this.nextLane = next;
    this.nextLaneTime = time;
    this.nextLaneSeq = seq;
  }

  /** Runs `action` at simulated `time` (not before now). */
  at(time: number, action: Action): Timer {
    const slot = this.schedule(time, action);
    return new TimerHandle(time, slot, this.seqs[slot]);
  }

  /** From now on `positions` is kept: written from the heap as it stands. */
  private trackPositions(): void {
    const positions = this.positions;
    positions.fill(-1);
    // A fired event's slot may still sit at the root while its action runs: it is not pending.
    for (let pos = this.rootFired ? 1 : 0; pos < this.size; pos++) positions[this.heap[pos]] = pos;
    this.tracked = true;
  }

  /** Like `at` for an event that will never be cancelled: no handle, no allocation. */
  post(time: number, action: Action): void {
    this.schedule(time, action);
  }

  postAfter(delay: number, action: Action): void {
    this.schedule(this.clock + delay, action);
  }

  /** Posts `event` to fire after `delay`: like `postAfter` with the object's own `fire`. */
  postFire(delay: number, event: Firable): void {
    this.schedule(this.clock + delay, event);
  }

  /**
   * Like `postFire`, for a delay that takes few distinct values over a run (a constant network
   * leg): the event waits in the lane of its delay, O(1) instead of a heap insert and removal,
   * and fires exactly when and in the order `postFire` would have fired it.
   */
  postFireFixed(delay: number, event: Firable): void {
    let lane = this.lastFixedLane;
    if (lane === null || lane.durationMs !== delay) lane = this.lastFixedLane = this.laneFor(delay);
    lane.post(event);
  }

  after(delay: number, action: Action): Timer {
    return this.at(this.clock + delay, action);
  }

  /** Removes a pending timer. Cancelling one that already fired or was cancelled does nothing. */
  cancel(timer: Timer): void {
    if (timer instanceof LaneTimer) return timer.lane.cancel(timer.ticket);
    const handle = timer as TimerHandle;
    const slot = handle.slot;
    if (!this.holds(slot, handle.seq)) return;
    if (!this.tracked) this.trackPositions();
    const pos = this.positions[slot];
    this.release(slot);
    const last = this.heap[--this.size];
    if (pos < this.size) {
      this.place(last, pos);
      this.siftDown(pos);
      this.siftUp(this.positions[last]);
    }
  }

  isPending(timer: Timer): boolean {
    if (timer instanceof LaneTimer) return timer.lane.isPending(timer.ticket);
    const handle = timer as TimerHandle;
    return this.holds(handle.slot, handle.seq);
  }

  /**
   * Whether `slot` holds the pending event of sequence number `seq`: a number is never reused, and
   * a slot's action is cleared when its event fires or is cancelled, so no heap position is needed.
   */
  private holds(slot: number, seq: number): boolean {
    return this.seqs[slot] === seq && this.actions[slot] !== null;
  }

  /**
   * Runs events in order until the next one lies beyond `until`, the list is empty, or
   * `maxEvents` have run in total. The clock ends at `until` unless the event cap stopped it; then
   * it stands at the last event, so running in slices (run(t1), run(t2), ...) ends exactly where
   * one call would have.
   */
  run(until: number, maxEvents = Number.MAX_SAFE_INTEGER): StopReason {
    const firedBefore = this.fired;
    for (;;) {
      const size = this.size;
      let slot = -1;
      // (Not a conditional expression: V8 boxed the time it picked into a new heap number.)
      let time = Infinity;
      if (size > 0) {
        slot = this.heap[0];
        time = this.times[slot];
      }
      const lane = this.nextLane;
      if (
        lane !== null &&
        (this.nextLaneTime < time ||
          (this.nextLaneTime === time && this.nextLaneSeq < this.seqs[slot]))
      ) {
        const laneTime = this.nextLaneTime;
        if (laneTime > until) break;
        if (this.fired >= maxEvents) return this.stopAtCap(firedBefore);
        this.clock = laneTime;
        this.fired++;
        lane.take().fire();
        continue;
      }
      if (size === 0 || time > until) break;
      if (this.fired >= maxEvents) return this.stopAtCap(firedBefore);
      const action = this.actions[slot]!;
      // The fired event stays at the root while its action runs (nothing can sort before it): the
      // first event the action schedules takes its place with one sift down, instead of a pop
      // and a push. Its handle is stale from here on.
      if (this.tracked) this.positions[slot] = -1;
      this.actions[slot] = null;
      this.rootFired = true;
      this.clock = time;
      this.fired++;
      if (typeof action === "function") action();
      else action.fire();
      if (this.rootFired) {
        this.rootFired = false;
        this.freeSlots[this.freeCount++] = slot;
        const last = this.heap[--this.size];
        if (this.size > 0) {
          this.place(last, 0);
          if (this.tracked) this.siftDown(0);
          else this.siftDownUntracked(0);
        }
      }
    }
    const reason: StopReason = this.size === 0 && this.nextLane === null ? "drained" : "duration";
    if (this.fired > firedBefore) this.lastEventTime = this.clock;
    if (until > this.clock && Number.isFinite(until)) this.clock = until;
    return reason;
  }

  /** The event cap stopped a run: the clock stands at the last event. */
  private stopAtCap(firedBefore: number): StopReason {
    if (this.fired === firedBefore) this.clock = this.lastEventTime + 0;
    else this.lastEventTime = this.clock;
    return "event-cap";
  }

  private schedule(time: number, action: Action | Firable): number {
    if (!(time >= this.clock)) {
      throw scheduledInThePast(time, this.clock);
    }
    if (this.rootFired) {
      // Reuse the root's slot and position: the new event can only sort at or after it.
      this.rootFired = false;
      const root = this.heap[0];
      this.times[root] = time;
      this.seqs[root] = this.seq++;
      this.actions[root] = action;
      if (this.tracked) {
        this.positions[root] = 0;
        this.siftDown(0);
      } else this.siftDownUntracked(0);
      return root;
    }
    const slot = this.freeCount > 0 ? this.freeSlots[--this.freeCount] : this.newSlot();
    this.times[slot] = time;
    this.seqs[slot] = this.seq++;
    this.actions[slot] = action;
    const pos = this.size++;
    this.place(slot, pos);
    if (this.tracked) this.siftUp(pos);
    else this.siftUpUntracked(pos);
    return slot;
  }

  /** Frees a slot whose event fired or was cancelled (its heap position is taken by the caller). */
  private release(slot: number): void {
    this.positions[slot] = -1;
    this.actions[slot] = null;
    this.freeSlots[this.freeCount++] = slot;
  }

  private newSlot(): number {
    if (this.used === this.times.length) this.grow();
    return this.used++;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    this.heap = resized(this.heap, capacity);
    this.times = resized(this.times, capacity);
    this.seqs = resized(this.seqs, capacity);
    const positions = new Int32Array(capacity).fill(-1);
    positions.set(this.positions);
    this.positions = positions;
    this.freeSlots = resized(this.freeSlots, capacity);
    for (let i = this.actions.length; i < capacity; i++) this.actions.push(null);
  }

  private place(slot: number, pos: number): void {
    this.heap[pos] = slot;
    if (this.tracked) this.positions[slot] = pos;
  }

  // The sifts read the moving slot's time and sequence once, into locals: V8 cannot keep them in
  // registers across the stores into `heap` and `positions` (typed arrays that might share a
  // buffer), so comparing through a helper reloaded them at every level.
  private siftUp(pos: number): void {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const positions = this.positions;
    const slot = heap[pos];
    const time = times[slot];
    const seq = seqs[slot];
    while (pos > 0) {
      const parentPos = (pos - 1) >> 1;
      const parent = heap[parentPos];
      const parentTime = times[parent];
      if (!(time < parentTime || (time === parentTime && seq < seqs[parent]))) break;
      heap[pos] = parent;
      positions[parent] = pos;
      pos = parentPos;
    }
    heap[pos] = slot;
    positions[slot] = pos;
  }

  private siftDown(pos: number): void {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const positions = this.positions;
    const n = this.size;
    const slot = heap[pos];
    const time = times[slot];
    const seq = seqs[slot];
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= n) break;
      let child = left;
      let childSlot = heap[left];
      let childTime = times[childSlot];
      const right = left + 1;
      if (right < n) {
        const rightSlot = heap[right];
        const rightTime = times[rightSlot];
        if (
          rightTime < childTime ||
          (rightTime === childTime && seqs[rightSlot] < seqs[childSlot])
        ) {
          child = right;
          childSlot = rightSlot;
          childTime = rightTime;
        }
      }
      if (!(childTime < time || (childTime === time && seqs[childSlot] < seq))) break;
      heap[pos] = childSlot;
      positions[childSlot] = pos;
      pos = child;
    }
    heap[pos] = slot;
    positions[slot] = pos;
  }

  // The same sifts while no heap positions are kept (Scheduler.tracked). The
  // same comparisons and moves, so the same order (test/kernel/scheduler.test.ts runs both). Two
  // copies on purpose: one pair of sifts followed, when tracked, by a pass writing the positions
  // along the path it moved cost the tracked runs about 2% (docs/performance.md, session 10).
  private siftUpUntracked(pos: number): void {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const slot = heap[pos];
    const time = times[slot];
    const seq = seqs[slot];
    while (pos > 0) {
      const parentPos = (pos - 1) >> 1;
      const parent = heap[parentPos];
      const parentTime = times[parent];
      if (!(time < parentTime || (time === parentTime && seq < seqs[parent]))) break;
      heap[pos] = parent;
      pos = parentPos;
    }
    heap[pos] = slot;
  }

  private siftDownUntracked(pos: number): void {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const n = this.size;
    const slot = heap[pos];
    const time = times[slot];
    const seq = seqs[slot];
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= n) break;
      let child = left;
      let childSlot = heap[left];
      let childTime = times[childSlot];
      const right = left + 1;
      if (right < n) {
        const rightSlot = heap[right];
        const rightTime = times[rightSlot];
        if (
          rightTime < childTime ||
          (rightTime === childTime && seqs[rightSlot] < seqs[childSlot])
        ) {
          child = right;
          childSlot = rightSlot;
          childTime = rightTime;
        }
      }
      if (!(childTime < time || (childTime === time && seqs[childSlot] < seq))) break;
      heap[pos] = childSlot;
      pos = child;
    }
    heap[pos] = slot;
  }
}

function resized<T extends Int32Array | Float64Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}

/** Built out of line: see lint/no-inline-error-text.grit. */
function scheduledInThePast(time: number, clock: number): Error {
  return new Error(`cannot schedule at ${time} ms: the clock is already at ${clock} ms`);
}
