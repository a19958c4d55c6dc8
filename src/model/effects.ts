// The port through which an operation's business effects leave the model: when a call's work
// commits (its service time is over and it did not fail, whether or not its answer reaches the
// caller), the instance tells the operation's hook, which src/transactions/ implements (the
// ledger). The model keeps no business state itself; an operation without effects has no hook.
import type { EndUserRequest } from "./request.ts";

export interface EffectHook {
  /** A call's work for `request` committed now: apply the operation's effects to its order. */
  committed(request: EndUserRequest): void;
}
