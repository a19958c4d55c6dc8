// The ports through which an operation's business semantics leave the model, both implemented by
// src/transactions/: when a call's work commits (its service time is over and it did not fail,
// whether or not its answer reaches the caller) the instance tells the operation's EffectHook
// (the ledger); when a worker picks a call up, the operation's IdempotencyGate (an idempotency-key
// store) may answer it at once instead. The model keeps no business state itself; an operation
// without effects or a key store has neither (null), at the cost of a null check per call.
import type { EndUserRequest } from "./request.ts";

export interface EffectHook {
  /**
   * A call's work for `request` committed now: apply the operation's effects to its order. `call`
   * is the call whose work it was (a broker's delivery carries its message id: messaging/).
   */
  committed(request: EndUserRequest, call: GatedCall): void;
}

/** What an IdempotencyGate tells the instance to do with a call a worker just picked up. */
export const Admission = {
  /** Run it (a new key, no key, or one whose stored result has expired). */
  proceed: -1,
  /** Hold it without a worker until the first call with its key ends; the gate answers it then. */
  parked: -2,
} as const;

/**
 * A call as the gate sees it: its request (for the key) and its identity. The instance passes its
 * Call (model/call.ts, which imports the operation, so this file cannot name it) and gets the same
 * object back in answerParked.
 */
export interface GatedCall {
  readonly request: EndUserRequest;
}

/** The port of an idempotency-key store at the callee (Stripe's semantics: src/transactions/). */
export interface IdempotencyGate {
  /**
   * A worker picked `call` up: Admission.proceed, Admission.parked, or an HTTP status to answer at
   * once without running the work (a stored result replayed, or 409 for a concurrent duplicate).
   */
  begin(call: GatedCall, station: ParkedAnswer): number;
  /**
   * `call`'s execution ended: `status` is the result to store for its key, or 0 when the execution
   * was lost (its instance died, or it was aborted) and nothing is stored.
   */
  end(call: GatedCall, status: number): void;
}

/** A station that can answer a call the gate parked (the Instance). */
export interface ParkedAnswer {
  /** Answers a parked call with its key's stored result. */
  answerParked(call: GatedCall, status: number): void;
}

/**
 * Runs an operation's downstream steps in place of callGraph.ts's runSteps: an orchestrated saga
 * (src/transactions/saga/). `parent` is the model Call being served, `outbound` its instance's
 * Outbound and `ctx` the SimContext (typed opaquely, as GatedCall is, since call.ts imports the
 * operation); the runner ends by telling the parent's instance `stepsDone`.
 */
export interface StepsRunner {
  run(parent: GatedCall, outbound: object, ctx: object): void;
}
