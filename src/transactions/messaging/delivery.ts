// One delivery of a message to a consumer instance, as the model sees a call: it arrives after the
// topic's delivery delay, waits for a worker and runs the consumer operation like any call (its
// effects, its downstream calls, its instance's death resetting it), and its answer is the ack
// (2xx) or a nack (anything else, a reset included). The broker (broker.ts) learns it in `receive`.
import type { Firable } from "../../kernel/scheduler.ts";
import {
  type Call,
  CallEvent,
  type CallEventKind,
  type CallSender,
  Reason,
  type ReasonCode,
  runCallEvent,
  type Station,
} from "../../model/call.ts";
import type { Operation } from "../../model/operation.ts";
import type { EndUserRequest, TraceSlot } from "../../model/request.ts";

/** What a delivery tells when its answer (ack or nack) reaches the broker. */
export interface DeliverySink {
  answered(delivery: Delivery, status: number): void;
}

/** A message as its deliveries carry it (broker.ts's Message). */
export interface Carried {
  /** The logical event's id: stable over redeliveries (and over a producer's re-publish). */
  readonly id: number;
  readonly request: EndUserRequest;
}

export class Delivery implements Call, Firable {
  instance: Station | null = null;
  crossesZones = false;
  crossesRegions = false;
  arrivedAt = 0;
  pendingEvent: CallEventKind = CallEvent.arrive;
  answerStatus = 0;
  answerReason: ReasonCode = Reason.answer;
  trace: TraceSlot = null;
  cancelled = false;
  abandoned = false;
  prevPresent: Call | null = null;
  nextPresent: Call | null = null;
  readonly request: EndUserRequest;

  constructor(
    readonly message: Carried,
    readonly operation: Operation,
    /** Distinct per delivery, so a redelivery draws its own service time. */
    readonly site: number,
    readonly sender: CallSender,
    /** The consumer group's dedup store, or null (dedup off). */
    readonly dedup: { seen(id: number): boolean } | null,
    private readonly sink: DeliverySink,
  ) {
    this.request = message.request;
  }

  receive(status: number): void {
    this.sink.answered(this, status);
  }

  fire(): void {
    runCallEvent(this);
  }
}
