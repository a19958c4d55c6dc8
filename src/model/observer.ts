// What the model tells whoever measures it. The model never formats output: it reports events
// here, and observe/ turns them into statistics. One observer per run (compose if needed).
import type { Call } from "./call.ts";

export interface ModelObserver {
  /** A call got a worker slot after waiting `waitMs` in the instance's queue. */
  callStarted(call: Call, waitMs: number): void;
  /** The instance answered a call it had admitted, with `status` (after its downstream calls). */
  callAnswered(call: Call, status: number): void;
  /** The instance turned a call away at once because its queue was full (503). */
  callRejected(call: Call): void;
}
