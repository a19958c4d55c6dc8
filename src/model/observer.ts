// What the model tells whoever measures it. The model never formats output: it reports events
// here, and observe/ turns them into statistics. One observer per run (compose if needed).
import type { Call } from "./call.ts";
import type { Instance } from "./instance.ts";

export interface ModelObserver {
  /** A proxy of caller `source` (a service or a load) sent `call` to `instance`. */
  callSent(source: EdgeSource, call: Call, instance: Instance): void;
  /** A call got a worker slot after waiting `waitMs` in the instance's queue. */
  callStarted(call: Call, waitMs: number): void;
  /** The instance answered a call it had admitted, with `status` (after its downstream calls). */
  callAnswered(call: Call, status: number): void;
  /** The instance turned a call away at once because its queue was full (503). */
  callRejected(call: Call): void;
}

/** Who sends on an edge: a calling service, or a load's clients. Dense index over both. */
export interface EdgeSource {
  readonly name: string;
  readonly index: number;
}
