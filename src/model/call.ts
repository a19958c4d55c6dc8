// One invocation of an operation at one instance, made on behalf of an end-user request.
// The sending proxy fills in where it went; the instance fills in when it queued and started.
import type { Firable } from "../kernel/scheduler.ts";
import type { Instance } from "./instance.ts";
import type { Operation } from "./service.ts";
import type { EndUserRequest, Reply } from "./request.ts";

/** The caller's side of a call (a sidecar proxy): sends it, and gets the answer back. */
export interface Outbound {
  send(call: Call): void;
  receive(call: Call, status: number): void;
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
  /** Which of the proxy's clusters for the target service (0: all instances; k: subset k − 1). */
  cluster = 0;
  sentAt = 0;
  /** Whether caller and instance are in different zones (both legs pay the cross-zone cost). */
  crossesZones = false;
  /** Set by the instance. */
  instance: Instance | null = null;
  arrivedAt = 0;
  startedAt = 0;
  /** The call's pending event, and the status it carries back when that is the answer. */
  pendingEvent: CallEventKind = CallEvent.arrive;
  answerStatus = 0;

  constructor(
    readonly request: EndUserRequest,
    readonly operation: Operation,
    /** Call-site key for keyed draws: the path from the end-user request to this call. */
    readonly site: number,
    readonly reply: Reply,
  ) {}

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
