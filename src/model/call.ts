// One invocation of an operation at one instance, made on behalf of an end-user request.
// The sending proxy fills in where it went; the instance fills in when it queued and started.
import type { Firable } from "../kernel/scheduler.ts";
import type { Instance } from "./instance.ts";
import type { EndUserRequest, Waiter } from "./request.ts";
import type { Operation } from "./service.ts";

/** The caller's side of a call (a sidecar proxy): sends it, and gets the answer back. */
export interface Outbound {
  send(call: Call): void;
  /** The answer (or failure) of a try this proxy sent; `call.answerReason` says how it came about. */
  receive(call: Call, status: number): void;
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

/** Per-call scratch of the proxy that owns a call's tries (opaque to the model). */
export interface TryOwner {
  readonly kind: "exchange";
  /** Whether its further tries are hedged copies (else they are retries). */
  readonly hedging: boolean;
}

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

export class Call implements Firable {
  /** Set by the sending proxy. */
  outbound: Outbound | null = null;
  endpointIndex = -1;
  /** The sending proxy's cluster the call is balanced in (opaque to the model). */
  cluster: unknown = null;
  sentAt = 0;
  /** Whether caller and instance are in different zones (both legs pay the cross-zone cost). */
  crossesZones = false;
  /** Set by the instance. */
  instance: Instance | null = null;
  arrivedAt = 0;
  /** The call's pending event, and the status it carries back when that is the answer. */
  pendingEvent: CallEventKind = CallEvent.arrive;
  answerStatus = 0;
  answerReason: ReasonCode = Reason.answer;
  /** For a retry or hedge: the caller's call it is a try of; null for the call itself (the first try). */
  logical: Call | null = null;
  /** The tracer's record of this call (its caller, its spans), opaque; null when tracing is off. */
  trace: unknown = null;
  /** On the caller's call, when its proxy tracks tries (timeouts, retries, hedges); else null. */
  owner: TryOwner | null = null;
  /** The caller's proxy has accounted this try's end; any later answer is ignored. */
  settled = false;
  /** The caller's breaker state (its Upstream.breakerStates count) that permitted this try, or -1. */
  permittedInState = -1;
  /** The caller gave up on this try and told the server, which drops it when it next looks at it. */
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
        this.outbound!.receive(this, this.answerStatus);
        return;
    }
  }
}
