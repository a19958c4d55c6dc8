// Running the event list in slices of events so that a caller can watch a long run (a progress
// bar) without changing it. `Scheduler.run` checks the event cap before it takes an event, so a
// slice that stops on its own cap has changed nothing (not even the clock), and the next call
// carries on exactly where one long call would have. Slices are counted in events rather than
// simulated time so that the watcher is called at a steady wall-clock rate however dense the
// events are (a flash sale, a retry storm). The watcher reads nothing but what it is handed.
import type { Scheduler, StopReason } from "../kernel/scheduler.ts";

/** Where a run stands, handed to a watcher between slices. */
export interface RunProgress {
  /** Simulated time reached, ms. */
  nowMs: number;
  /** Where the run ends unless the event cap stops it first: the scenario's duration, ms. */
  durationMs: number;
  /** Events run so far. */
  events: number;
}

export type ProgressCallback = (progress: RunProgress) => void;

/** Sees the clock and the event count after each slice. */
export type SliceWatcher = (nowMs: number, events: number) => void;

/** Events per slice by default: about 15 ms of wall time at 3.6 M events/s, so watching is free. */
export const DEFAULT_SLICE_EVENTS = 50_000;

/**
 * Exactly `scheduler.run(untilMs, maxEvents)` (same events in the same order, same stop reason,
 * same clock and event count at the end), calling `watch` after every `sliceEvents` events and
 * once more at the end, with the clock where that call leaves it.
 */
export function runInSlices(
  scheduler: Scheduler,
  untilMs: number,
  maxEvents: number,
  watch: SliceWatcher,
  sliceEvents = DEFAULT_SLICE_EVENTS,
): StopReason {
  if (!(Number.isSafeInteger(sliceEvents) && sliceEvents >= 1)) {
    throw new Error(`sliceEvents must be a whole number >= 1, got ${sliceEvents}`);
  }
  for (;;) {
    const sliceCap = Math.min(maxEvents, scheduler.events + sliceEvents);
    const reason = scheduler.run(untilMs, sliceCap);
    // Stopped by the slice's own cap, below the run's: nothing was taken off the list, go on.
    const done = reason !== "event-cap" || scheduler.events >= maxEvents;
    watch(scheduler.now, scheduler.events);
    if (done) return reason;
  }
}
