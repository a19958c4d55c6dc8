// One invocation of an operation at one instance, made on behalf of an end-user request, as the
// model sees it: where it waits, runs and answers. The caller's sidecar (mesh/outboundCall.ts)
// makes each call, as a subclass that keeps its own per-try state, and learns the answer through
// `receive`; the instance fills in when the call arrived and what it answers.
import type { Firable } from "../kernel/scheduler.ts";
import type { EdgeSource } from "./edge.ts";
import type { Instance } from "./instance.ts";
import type { EndUserRequest, Waiter } from "./request.ts";
import type { Operation } from "./service.ts";

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

/** Who sent a call, as the receiving side and the tracer know it: the caller's sidecar or load client. */
export interface CallSender {
  /** The sidecar's instance id, or `load/<name>/client-<i>`. */
  readonly name: string;
  /** The caller it sends for; its sends count on the edge source → target. */
  readonly source: EdgeSource;
  /** The zone it runs in, or null for a client outside every zone. */
  readonly zone: string | null;
}

/** How a try ended, as its caller's proxy learns it (Envoy's distinctions; see mesh/resilience/retryOn.ts). */
export const Reason = {
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
} as const;
export type ReasonCode = (typeof Reason)[keyof typeof Reason];

/** What a call's pending event does when it fires (a call has at most one pending event). */
export const CallEvent = {
  /** The request leg crossed the network: the instance receives the call. */
  arrive: 0,
  /** The instance finished the call's own work. */
  finishWork: 1,
  /** The response leg crossed the network: the caller's proxy receives `status`. */
  answer: 2,
} as const;
type CallEventKind = (typeof CallEvent)[keyof typeof CallEvent];

export abstract class Call implements Firable {
  /** Where the call is (going to be) served; set when its sidecar sends it to an instance. */
  instance: Instance | null = null;
  /** Whether caller and instance are in different zones (both legs pay the cross-zone cost). */
  crossesZones = false;
  /** When it reached the instance (set by the instance). */
  arrivedAt = 0;
  /** The call's pending event, and the status it carries back when that is the answer. */
  pendingEvent: CallEventKind = CallEvent.arrive;
  answerStatus = 0;
  /** How the answer came about, for the caller's sidecar (set with the answer). */
  answerReason: ReasonCode = Reason.answer;
  /** The tracer's record of this call (its caller, its spans), opaque; null when tracing is off. */
  trace: unknown = null;
  /** The caller gave up on this call and told the server, which drops it when it next looks at it. */
  cancelled = false;
  /** The instance died with this call on it: its pending events are void. */
  abandoned = false;
  /** Neighbours in the instance's list of calls present (for failing them all when it dies). */
  prevPresent: Call | null = null;
  nextPresent: Call | null = null;

  constructor(
    readonly request: EndUserRequest,
    readonly operation: Operation,
    /** Call-site key for keyed draws: the path from the end-user request to this call (an int32). */
    readonly site: number,
    /** Who gets the answer, and as which branch of its parallel group. */
    readonly waiter: Waiter,
    readonly branch: number,
  ) {}

  /** The sidecar or load client that sent this call. */
  abstract readonly sender: CallSender;

  /**
   * The answer (or failure) reached the caller's side with `status`; `answerReason` says how it
   * came about. The caller's sidecar takes it from here.
   */
  abstract receive(status: number): void;

  /** Gives the call's answer to its waiter. */
  reply(status: number): void {
    this.waiter.answered(status, this.branch);
  }

  /** Runs the call's pending event (the call is posted to the scheduler as its own event). */
  fire(): void {
    switch (this.pendingEvent) {
      case CallEvent.arrive:
        this.instance!.accept(this);
        return;
      case CallEvent.finishWork:
        this.instance!.finishWork(this);
        return;
      case CallEvent.answer:
        this.receive(this.answerStatus);
        return;
    }
  }
}
