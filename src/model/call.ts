// One invocation of an operation at one instance, made on behalf of an end-user request, as the
// model sees it: where it waits, runs and answers. The caller's sidecar (mesh/outboundCall.ts)
// makes each call, as a subclass that keeps its own per-try state, and learns the answer through
// `receive`; the instance fills in when the call arrived and what it answers.
import type { Firable } from "../kernel/scheduler.ts";
import type { EdgeSource } from "./edge.ts";
import type { Endpoint } from "./endpoint.ts";
import type { Operation } from "./operation.ts";
import type { EndUserRequest, TraceSlot, Waiter } from "./request.ts";

/** The caller's side of a call (a sidecar proxy, or a load's client): makes calls and sends them. */
export interface Outbound {
  /**
   * Makes a call of `operation` for `request` at call site `site` and sends it; its answer goes to
   * `waiter` as `branch`. `caller` is the call being served that makes it (null for a load's
   * request), for the tracer.
   */
  send(
    request: EndUserRequest,
    operation: Operation,
    site: number,
    waiter: Waiter,
    branch: number,
    caller: Call | null,
  ): void;
}

/** Where a call is served: an instance (instance.ts), as its calls see it. */
export interface Station extends Endpoint {
  /** The call arrived (its request leg is over). */
  accept(call: Call): void;
  /** The call's own work is done (its service time is over). */
  finishWork(call: Call): void;
  /** The call's downstream steps ended with `status` (callGraph.ts). */
  stepsDone(call: Call, status: number): void;
  /** The caller cancelled the call and its operation aborts on cancel: stop its work if it is running. */
  abort(call: Call): void;
}

/** Who sent a call, as the receiving side and the tracer know it: the caller's sidecar or load client. */
export interface CallSender {
  /** The sidecar's instance id, or `load/<name>/client-<i>`. */
  readonly name: string;
  /** The caller it sends for; its sends count on the edge source → target. */
  readonly source: EdgeSource;
  /** The zone it runs in, or null for a client outside every zone. */
  readonly zone: string | null;
}

/**
 * How a try ended, as its caller's proxy learns it (Envoy's distinctions; see
 * mesh/resilience/retryOn.ts), and the two further ways a client span can end: one table, so the
 * codes of `Reason` and `SpanEnd` (tracer.ts), views of it, can never overlap.
 */
export const Ending = {
  /** The instance answered with the status (success, error, or its full queue's 503). */
  answer: 0,
  /** A rate limiter answered 429. */
  rateLimited: 1,
  /** The per-try or route timeout fired first (504). */
  timeout: 2,
  /** The instance died (or failed) with the call on it: the stream was reset (503). */
  reset: 3,
  /** The instance could not be reached: dead, failed or across a partition (503). */
  connectFailure: 4,
  /** The proxy's connection pool was full (503, Envoy flag UO). */
  overflow: 5,
  /** The proxy's circuit breaker refused the call (503, resilience4j CallNotPermitted). */
  breakerOpen: 6,
  /** No healthy host to send to (503, Envoy flag UH). */
  noHealthyUpstream: 7,
  /** A span only: the caller cancelled the try (a losing hedge). */
  cancelled: 8,
  /** A span only: no route matched at the caller's sidecar (404). */
  noRoute: 9,
} as const;
/** How any span ends (SpanEnd codes include every Reason). */
export type SpanEndCode = (typeof Ending)[keyof typeof Ending];
type SpanOnly = "cancelled" | "noRoute";
/** How a try ended (the Endings a try's answer can have). */
export const Reason: Omit<typeof Ending, SpanOnly> = Ending;
export type ReasonCode = (typeof Reason)[keyof typeof Reason];
/** The Endings only a span can have. */
export const SpanEnd: Pick<typeof Ending, SpanOnly> = Ending;

/** What a call's pending event does when it fires (a call has at most one pending event). */
export const CallEvent = {
  /** The request leg crossed the network: the instance receives the call. */
  arrive: 0,
  /** The instance finished the call's own work. */
  finishWork: 1,
  /** The response leg crossed the network: the caller's proxy receives `status`. */
  answer: 2,
} as const;
export type CallEventKind = (typeof CallEvent)[keyof typeof CallEvent];

/**
 * A call as the model sees it. The caller's sidecar makes every call (Outbound.send), as the one
 * class that implements this (mesh/outboundCall.ts's OutboundCall), with its own per-try state
 * beside these fields; a class, not a subclass of one here, because V8 builds objects of a
 * derived class markedly slower (a third more time per call, measured) and a run makes millions.
 * A new call starts with `instance` null, `crossesZones`, `crossesRegions`, `cancelled` and `abandoned` false,
 * `arrivedAt` and `answerStatus` 0, `pendingEvent` arrive, `answerReason` answer, and `trace`,
 * `prevPresent` and `nextPresent` null.
 */
export interface Call extends Firable {
  readonly request: EndUserRequest;
  readonly operation: Operation;
  /** Call-site key for keyed draws: the path from the end-user request to this call (an int32). */
  readonly site: number;
  /** The sidecar or load client that sent this call. */
  readonly sender: CallSender;
  /** Where the call is (going to be) served; set when its sidecar sends it to an instance. */
  instance: Station | null;
  /** Whether caller and instance are in different zones (both legs pay the cross-zone cost). */
  crossesZones: boolean;
  /** Whether they are in different regions (both legs pay the cross-region cost instead). */
  crossesRegions: boolean;
  /** When it reached the instance (set by the instance). */
  arrivedAt: number;
  /** The call's pending event (see `runCallEvent`), and the status it carries back when that is the answer. */
  pendingEvent: CallEventKind;
  answerStatus: number;
  /** How the answer came about, for the caller's sidecar (set with the answer). */
  answerReason: ReasonCode;
  /** The tracer's record of this call (its caller, its spans); null when tracing is off. */
  trace: TraceSlot;
  /** The caller gave up on this call and told the server, which drops it when it next looks at it. */
  cancelled: boolean;
  /** The instance died with this call on it: its pending events are void. */
  abandoned: boolean;
  /** Neighbours in the instance's list of calls present (for failing them all when it dies). */
  prevPresent: Call | null;
  nextPresent: Call | null;
  /**
   * The answer (or failure) reached the caller's side with `status`; `answerReason` says how it
   * came about. The caller's sidecar takes it from here.
   */
  receive(status: number): void;
}

/**
 * The caller gives up on `call` and tells its server (a losing hedge, a per-try timeout with
 * cancelOnTimeout). The server drops it when it next looks at it; if the operation aborts on cancel
 * (`onCancel: abort`), work already running stops now and frees its worker.
 */
export function cancelCall(call: Call): void {
  call.cancelled = true;
  if (call.operation.abortOnCancel && call.instance !== null) call.instance.abort(call);
}

/** Runs a call's pending event: what `fire` does, for a call posted to the scheduler as its own event. */
export function runCallEvent(call: Call): void {
  switch (call.pendingEvent) {
    case CallEvent.arrive:
      call.instance!.accept(call);
      return;
    case CallEvent.finishWork:
      call.instance!.finishWork(call);
      return;
    case CallEvent.answer:
      call.receive(call.answerStatus);
      return;
  }
}
