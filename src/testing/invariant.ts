// The interface of an invariant checker (TigerBeetle's checkers, Jepsen's minimal witness): it
// watches a run's events as they happen and names the first one that breaks its invariant; it may
// also judge the finished result. Built-in checkers and users' own implement the same interface.
import type { RunResult } from "../run/result.ts";
import type { Scenario } from "../scenario/types.ts";
import type { RunEvent } from "./events.ts";

/** A broken invariant as a checker reports it: what is wrong, and the request involved if any. */
export interface Breach {
  message: string;
  request?: number;
}

/** One run's watch: state lives here, so an Invariant can watch any number of runs. */
export interface InvariantWatch {
  /** Every event in the order it happens; a Breach stops the watch there. */
  event?(event: RunEvent): Breach | null;
  /** The finished run (not called when the run stopped at an earlier violation). */
  end?(result: RunResult): Breach | null;
}

export interface Invariant {
  /** Names the invariant in reports, `--json` and a scenario's `invariants:` list. */
  readonly name: string;
  /** Starts watching one run of `scenario`. */
  watch(scenario: Scenario): InvariantWatch;
}

/** The first broken invariant of a run: when, which request, and the events that led there. */
export interface Violation {
  invariant: string;
  /** Simulated time of the event that broke it (the run's end for `end` checks). */
  atMs: number;
  request: number | null;
  message: string;
  /** The last events before it (those of the same request when there is one), oldest first. */
  trail: RunEvent[];
}
