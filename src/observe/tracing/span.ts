// Traces and the kept spans' export form, with simulated times in ms. The tracer keeps open spans
// as records of the span store (spanStore.ts), which closes them by OpenTelemetry's rules: a client
// span is an error for an HTTP status >= 400 or a try that failed without an answer (timeout,
// reset, connect failure, a local refusal); a server span only for >= 500 or a reset (OTel's HTTP
// conventions: a 4xx is the caller's fault). A try the caller cancelled (a losing hedge) is not an error.
import { Reason } from "../../model/call.ts";
import type { Endpoint } from "../../model/endpoint.ts";
import type { EndUserRequest } from "../../model/request.ts";
import { SpanEnd, type SpanEndCode, type TraceOrigin } from "../../model/tracer.ts";
import type { SpanKindCode } from "../../result/tracing.ts";
import type { TraceId, TraceIdSource } from "./traceIds.ts";

/** How each span ended, by SpanEndCode (the `meshsim.outcome` attribute). */
export const SPAN_END_NAMES: Record<SpanEndCode, string> = {
  [Reason.answer]: "answer",
  [Reason.rateLimited]: "rate-limited",
  [Reason.timeout]: "timeout",
  [Reason.reset]: "reset",
  [Reason.connectFailure]: "connect-failure",
  [Reason.overflow]: "overflow",
  [Reason.breakerOpen]: "breaker-open",
  [Reason.noHealthyUpstream]: "no-healthy-upstream",
  [SpanEnd.cancelled]: "cancelled",
  [SpanEnd.noRoute]: "no-route",
};

/** What emits spans: an instance (with its sidecar) or a load client, as an OTel resource. */
export class Resource {
  constructor(
    readonly serviceName: string,
    readonly instanceId: string,
    readonly zone: string | null,
  ) {}
}

/**
 * Who emitted a span, as the tracer saw it: a sidecar or load client (a client span), an instance
 * (a server span), or a resource given as such. A span keeps the model's object and its resource
 * is worked out only when read (for the kept traces' export): a lookup per span on the hot path
 * cost more than everything else a span's opening does. Names and zones of proxies and instances
 * never change in a run, so the resource read at the end is the one the span had.
 */
export type SpanEmitter = Resource | TraceOrigin | Endpoint;

function resourceOf(emitter: SpanEmitter): Resource {
  if (emitter instanceof Resource) return emitter;
  // A sidecar's spans belong to its instance (same service and id); a load client is its own.
  if ("source" in emitter) return new Resource(emitter.source.name, emitter.name, emitter.zone);
  return new Resource(emitter.service.name, emitter.id, emitter.zone);
}

/**
 * A span of a kept trace as the OTLP export reads it, made from the span store's record at the
 * run's end (spanStore.ts keeps open and kept spans as records, not objects).
 */
export class Span {
  constructor(
    /** From the run's span counter, 1, 2, 3, ... */
    readonly id: number,
    readonly parent: Span | null,
    readonly kind: SpanKindCode,
    readonly emitter: SpanEmitter,
    /** The operation, e.g. order.create. */
    readonly name: string,
    readonly startMs: number,
    readonly endMs: number,
    /** The HTTP status it ended with, or 0 (cancelled, or never answered). */
    readonly status: number,
    readonly end: SpanEndCode,
    readonly error: boolean,
    /** Still open when the run stopped: closed at the run's end. */
    readonly unfinished: boolean,
    /** For a client span, the instance the try went to (null if it never left the proxy). */
    readonly peer: string | null,
    /** Which try of its logical call (0 = the first); 0 for server and root spans. */
    readonly attempt: number,
    readonly hedge: boolean,
  ) {}

  /** The OTel resource that emitted it (a new object at each read). */
  get resource(): Resource {
    return resourceOf(this.emitter);
  }

  /** How it ended, as the `meshsim.outcome` attribute names it. */
  get outcome(): string {
    return this.unfinished ? "unfinished" : SPAN_END_NAMES[this.end];
  }

  /** It ended with an answer from an instance (whatever its status), not a timeout, reset or refusal. */
  get answered(): boolean {
    return this.end === Reason.answer && !this.unfinished;
  }
}

/** A trace offered to the kept set is kept until it is let go (pushed out, or never let in). */
export const TraceState = { kept: 1, dropped: 2 } as const;
export type TraceStateCode = (typeof TraceState)[keyof typeof TraceState];

/**
 * A trace offered to the kept set at its request's end (an open trace is only its root's record in
 * the span store, spanStore.ts): its spans are the store's records listed from `root`, in the
 * order they were made. While kept, its request's `trace` slot still names the root, so spans
 * made after the request's end (calls still in flight) join it; when it is let go, the slot is
 * cleared and the records handed back.
 */
export class Trace {
  state: TraceStateCode = TraceState.kept;
  /** 0 when kept for an error or slowness (tail sampling), 1 when only the head sampler kept it. */
  tier = 1;
  /** Its spans as objects, made at the run's end if it is kept (Tracer.finish). */
  exported: Span[] | null = null;
  /**
   * The low 32 of the id's 56 random bits (TraceId.randomLow) as an int32, the same bits: V8 keeps
   * an int32 field in the object, where a uint32 above 2^31 would be a heap number per trace.
   */
  readonly randomLowBits: number;

  constructor(
    readonly requestId: number,
    /** The top 24 of the id's 56 random bits (TraceId.randomHigh). */
    readonly randomHigh: number,
    randomLow: number,
    readonly headSampled: boolean,
    /** Where the whole id comes from, when it is read (only kept traces are). */
    private readonly ids: TraceIdSource,
    /** Its root span's record in the span store (the trace's list starts there). */
    readonly root: number,
    /** Its request, whose `trace` slot names the root until the trace is let go (null: none). */
    private readonly request: EndUserRequest | null = null,
  ) {
    this.randomLowBits = randomLow | 0;
  }

  /** The trace id (a new object at each read). */
  get id(): TraceId {
    return this.ids.idOf(this.requestId);
  }

  /** The low 32 of the id's random bits, unsigned. */
  get randomLow(): number {
    return this.randomLowBits >>> 0;
  }

  /** Lets the trace go: dropped, and its request's slot cleared so no later span joins it. */
  letGo(): void {
    this.state = TraceState.dropped;
    if (this.request !== null) this.request.trace = null;
  }

  /** Every span of the trace in the order they were made (ascending ids); read after the run's end. */
  spans(): Span[] {
    if (this.exported === null) throw new Error("a trace's spans are read after the run's end");
    return this.exported;
  }
}
