// What the event list runs and hands out, kept apart from the list itself so the scheduler and its
// timer lanes (timerLane.ts) can both name them: an action, an object that is its own event, and
// the handle of a pending timer. Time is simulated milliseconds.

export type Action = () => void;

/**
 * An object that is its own event: posting it instead of a closure saves an allocation per event
 * on the hottest paths (a call crossing the network, finishing its work, answering).
 */
export interface Firable {
  fire(): void;
}

/** A scheduled event; pass it to `Scheduler.cancel`. Opaque to callers (a heap slot or a lane entry). */
export interface Timer {
  readonly time: number;
}
