// Spans and traces as the tracer records them: plain objects with simulated times in ms, linked
// parent to children, so the critical path can be walked and OTLP written from them. A span is
// open while endMs < 0. Kinds and status follow OpenTelemetry: a client span is an error for an
// HTTP status >= 400 or a try that failed without an answer (timeout, reset, connect failure, a
// local refusal); a server span only for >= 500 or a reset (OTel's HTTP conventions: a 4xx is the
// caller's fault). A try the caller cancelled (a losing hedge) is not an error.
import { Reason, type ReasonCode } from "../../model/call.ts";
import type { Endpoint } from "../../model/endpoint.ts";
import { SpanEnd, type SpanEndCode, type TraceOrigin } from "../../model/tracer.ts";
import { SpanKind, type SpanKindCode } from "../../result/tracing.ts";
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

export class Span {
  /** Simulated ms; -1 while the span is open. */
  endMs = -1;
  /** The HTTP status it ended with, or 0 (cancelled, or still open). */
  status = 0;
  end: SpanEndCode = Reason.answer;
  error = false;
  /** Still open when the run stopped: closed at the run's end. */
  unfinished = false;
  /** For a client span, the instance the try went to (null if it never left the proxy). */
  peer: string | null = null;
  /** Children as a list, newest first (no array per span): firstChild, then each one's nextSibling. */
  firstChild: Span | null = null;
  nextSibling: Span | null = null;

  constructor(
    /** From the run's span counter, 1, 2, 3, ... */
    readonly id: number,
    readonly parent: Span | null,
    readonly kind: SpanKindCode,
    readonly emitter: SpanEmitter,
    /** The operation, e.g. order.create. */
    readonly name: string,
    readonly startMs: number,
    /** Critical-path bucket: a service index for server spans, or the tracer's network / client bucket. */
    readonly bucket: number,
    /** Which try of its logical call (0 = the first); 0 for server and root spans. */
    readonly attempt: number,
    readonly hedge: boolean,
  ) {
    if (parent !== null) {
      this.nextSibling = parent.firstChild;
      parent.firstChild = this;
    }
  }

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

  close(nowMs: number, status: number, end: SpanEndCode): void {
    this.endMs = nowMs;
    this.status = status;
    this.end = end;
    this.error =
      this.kind === SpanKind.client
        ? clientFailed(status, end)
        : status >= 500 || end === Reason.reset;
  }
}

function clientFailed(status: number, end: SpanEndCode): boolean {
  if (end === SpanEnd.cancelled) return false;
  return status >= 400 || end !== (Reason.answer as ReasonCode);
}

export const TraceState = { open: 0, kept: 1, dropped: 2 } as const;
export type TraceStateCode = (typeof TraceState)[keyof typeof TraceState];

/** One end-user request's spans, all reachable from the root (its load client's span). */
export class Trace {
  state: TraceStateCode = TraceState.open;
  /** Some span ended with an error status so far. */
  errored = false;
  /** 0 when kept for an error or slowness (tail sampling), 1 when only the head sampler kept it. */
  tier = 1;
  root!: Span;
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

  /** Later spans of this trace are not recorded (the ones made so far go with the request). */
  discard(): void {
    this.state = TraceState.dropped;
  }

  /** Every span of the trace in the order they were made (ascending ids). */
  spans(): Span[] {
    const out: Span[] = [];
    this.forEachSpan((span) => out.push(span));
    return out.sort((a, b) => a.id - b.id);
  }

  /** Calls `visit` on every span, in no particular order (no list, no sort: the run's end counts them). */
  forEachSpan(visit: (span: Span) => void): void {
    const stack: Span[] = [this.root];
    for (let span = stack.pop(); span !== undefined; span = stack.pop()) {
      visit(span);
      for (let child: Span | null = span.firstChild; child !== null; child = child.nextSibling)
        stack.push(child);
    }
  }
}
