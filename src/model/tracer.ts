// What the model and the sidecars tell a tracer, when tracing is on (SimContext.tracer is not
// null; when it is null every hook site costs one null check). The tracer only listens: it never
// draws from a random stream, schedules an event or writes anything the model reads (only the
// opaque `trace` fields of calls and requests), so a run is the same with or without it. Spans
// follow a sidecar mesh: a client span per try at the caller's sidecar, a server span per call
// at the instance, and a root span per end-user request at its load client.
import type { Call, CallSender, ReasonCode, SpanEndCode } from "./call.ts";
import type { Operation } from "./operation.ts";
import type { EndUserRequest } from "./request.ts";

/** Who emits a span: a sidecar or load-client proxy (its name is the instance id or `load/<name>/client-<i>`). */
export type TraceOrigin = CallSender;

export { SpanEnd, type SpanEndCode } from "./call.ts";

export interface CallTracer {
  /** An end-user request for `operation` leaves load client `client` (the root span starts). */
  requestIssued(request: EndUserRequest, client: TraceOrigin, operation: Operation): void;
  /** The end-user request ended with `status`: the root span ends and the trace is decided. */
  requestFinished(request: EndUserRequest, status: number): void;
  /** An instance's call graph made `call` on behalf of `caller` (the call it is serving). */
  callMade(call: Call, caller: Call): void;
  /**
   * A proxy starts a try of a call: its client span starts. `first` is the call it retries or
   * hedges (null for a call's first try), and `hedge` tells a hedged copy from a retry.
   */
  tryStarted(attempt: Call, sender: TraceOrigin, first: Call | null, hedge: boolean): void;
  /** A try ended for its caller's proxy (answered, failed, timed out, refused locally, cancelled). */
  tryEnded(attempt: Call, status: number, end: SpanEndCode): void;
  /**
   * A proxy refused a call of `operation` for `request` before any try (no route 404, its own rate
   * limit 429): a zero-length client span. `caller` is the call being served that made it (null for
   * a load's request).
   */
  callRefused(
    request: EndUserRequest,
    operation: Operation,
    caller: Call | null,
    sender: TraceOrigin,
    status: number,
    end: SpanEndCode,
  ): void;
  /** An instance answered a call that reached it (or reset it): its server span ends. */
  callAnswered(call: Call, status: number, reason: ReasonCode): void;
  /** An instance dropped a call its caller had cancelled: its server span ends as cancelled. */
  callCancelled(call: Call): void;
}
