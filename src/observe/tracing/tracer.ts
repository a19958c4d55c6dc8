// The run's tracer: it turns the model's hooks (model/tracer.ts) into spans, one trace per
// end-user request, and decides each trace when its request ends: kept if the head sampler chose
// it, or (tail sampling) if a span ended in error or the request took longer than keepSlowerThan,
// up to maxTraces (see keptTraces.ts); otherwise its spans are let go at once. So an undecided
// trace lives only as long as its request. Every successful measured request also adds its
// critical path to the per-service breakdown, sampled or not. A tracer never draws randomness or
// schedules events: runs are identical with tracing on or off.
import type { Scheduler } from "../../kernel/scheduler.ts";
import { type Call, Reason, type ReasonCode } from "../../model/call.ts";
import type { Endpoint } from "../../model/endpoint.ts";
import type { Operation } from "../../model/operation.ts";
import { type EndUserRequest, isFailure } from "../../model/request.ts";
import {
  type CallTracer,
  SpanEnd,
  type SpanEndCode,
  type TraceOrigin,
} from "../../model/tracer.ts";
import {
  SpanKind,
  type SpanKindCode,
  type TraceExport,
  type TracingResult,
} from "../../result/tracing.ts";
import type { TracingSpec } from "../spec.ts";
import { CriticalPathStats } from "./criticalPath.ts";
import { KeptTraces } from "./keptTraces.ts";
import { createHeadSampler, type HeadSampler } from "./sampler.ts";
import { Span, type SpanEmitter, Trace, TraceState } from "./span.ts";
import { TraceIdSource } from "./traceIds.ts";

/** What the tracer keeps on a call (Call.trace): who it was made for, and its spans once made. */
class CallRecord {
  /** The try's client span at the caller's sidecar, and the call's server span at its instance. */
  client: Span | null = null;
  server: Span | null = null;
  /** On a logical call: its tries started so far, the first included. */
  tries = 0;
  constructor(
    /** The call at the calling instance this one serves; null for a load's call (under the root). */
    readonly caller: Call | null,
  ) {}
}

/** This tracer's record on a call: Call.trace holds only what callMade or tryStarted put there. */
function recordOf(call: Call): CallRecord | null {
  return call.trace as CallRecord | null;
}

/** This tracer's trace of a request: EndUserRequest.trace holds only what requestIssued put there. */
function traceOfRequest(request: EndUserRequest): Trace | null {
  return request.trace as Trace | null;
}

export class Tracer implements CallTracer {
  private nextSpanId = 1;
  private readonly ids: TraceIdSource;
  private readonly head: HeadSampler;
  private readonly kept: KeptTraces;
  private readonly paths: CriticalPathStats;
  private requests = 0;
  private headSampled = 0;
  private tailSampled = 0;
  private closed = false;

  constructor(
    private readonly spec: TracingSpec,
    seed: number,
    private readonly scheduler: Scheduler,
    serviceNames: readonly string[],
    loadNames: readonly string[],
  ) {
    this.ids = new TraceIdSource(seed);
    this.head = createHeadSampler(spec.sampler, spec.ratio);
    this.kept = new KeptTraces(spec.maxTraces);
    this.paths = new CriticalPathStats(serviceNames, loadNames);
  }

  requestIssued(request: EndUserRequest, client: TraceOrigin, operation: Operation): void {
    const ids = this.ids;
    const high = ids.randomHighOf(request.id);
    const low = ids.randomLowOf(request.id);
    const trace = new Trace(request.id, high, low, this.head.sampledRandom(high, low), ids);
    trace.root = this.open(
      null,
      SpanKind.client,
      client,
      operation.id,
      request.scheduledAt,
      this.paths.clientBucket,
      0,
      false,
    );
    request.trace = trace;
  }

  requestFinished(request: EndUserRequest, status: number): void {
    const trace = traceOfRequest(request);
    if (trace === null || trace.state !== TraceState.open) return;
    const now = this.scheduler.now;
    this.close(trace, trace.root, status, Reason.answer);
    this.requests++;
    if (request.measured && !isFailure(status)) this.paths.record(request.loadIndex, trace.root);
    const slowMs = this.spec.keepSlowerThanMs;
    const tail =
      (this.spec.keepErrors && trace.errored) ||
      (slowMs !== null && now - request.scheduledAt > slowMs);
    if (trace.headSampled) this.headSampled++;
    else if (tail) this.tailSampled++;
    if (!trace.headSampled && !tail) return trace.discard();
    trace.tier = tail ? 0 : 1;
    this.kept.offer(trace);
  }

  callMade(call: Call, caller: Call): void {
    if (this.traceOf(call) !== null) call.trace = new CallRecord(caller);
  }

  tryStarted(attempt: Call, sender: TraceOrigin, first: Call | null, hedge: boolean): void {
    const trace = this.traceOf(attempt);
    if (trace === null) return;
    let record: CallRecord;
    let number = 0;
    if (first === null) {
      // A load's call has no record yet (its caller is the root); a downstream call got one when made.
      record = recordOf(attempt) ?? new CallRecord(null);
      record.tries = 1;
    } else {
      const firstRecord = recordOf(first);
      if (firstRecord === null) return;
      number = firstRecord.tries++;
      record = new CallRecord(firstRecord.caller);
    }
    attempt.trace = record;
    const parent = record.caller === null ? trace.root : this.serverSpanOf(record.caller);
    if (parent === null) return;
    const name = attempt.operation.id;
    record.client = this.open(
      parent,
      SpanKind.client,
      sender,
      name,
      this.scheduler.now,
      this.paths.networkBucket,
      number,
      hedge,
    );
  }

  tryEnded(attempt: Call, status: number, end: SpanEndCode): void {
    const record = recordOf(attempt);
    const trace = this.traceOf(attempt);
    if (record === null || record.client === null || trace === null || record.client.endMs >= 0)
      return;
    if (attempt.instance !== null) record.client.peer = attempt.instance.id;
    this.close(trace, record.client, status, end);
  }

  callRefused(
    request: EndUserRequest,
    operation: Operation,
    caller: Call | null,
    sender: TraceOrigin,
    status: number,
    end: SpanEndCode,
  ): void {
    const trace = traceOfRequest(request);
    if (trace === null || trace.state === TraceState.dropped) return;
    const parent = caller === null ? trace.root : this.serverSpanOf(caller);
    if (parent === null) return;
    const name = operation.id;
    const span = this.open(
      parent,
      SpanKind.client,
      sender,
      name,
      this.scheduler.now,
      this.paths.networkBucket,
      0,
      false,
    );
    this.close(trace, span, status, end);
  }

  callAnswered(call: Call, status: number, reason: ReasonCode): void {
    if (reason === Reason.connectFailure) return; // it never reached the server
    this.endServerSpan(call, status, reason);
  }

  callCancelled(call: Call): void {
    this.endServerSpan(call, 0, SpanEnd.cancelled);
  }

  /**
   * At the run's end: spans of kept traces still open are closed at `nowMs` and marked
   * unfinished, so every parent a span names is in the export. Undecided traces (requests still
   * in flight) are not kept.
   */
  finish(nowMs: number): TraceExport {
    const traces = this.kept.traces();
    if (!this.closed) {
      this.closed = true;
      for (const trace of traces) {
        trace.forEachSpan((span) => {
          if (span.endMs >= 0) return;
          span.endMs = nowMs;
          span.unfinished = true;
        });
      }
    }
    return { epochMs: this.spec.epochMs, traces };
  }

  result(): TracingResult {
    let spans = 0;
    const traces = this.kept.traces();
    for (const trace of traces)
      trace.forEachSpan(() => {
        spans++;
      });
    const spec = this.spec;
    return {
      sampler: spec.sampler,
      ratio: spec.ratio,
      keepErrors: spec.keepErrors,
      keepSlowerThanMs: spec.keepSlowerThanMs,
      maxTraces: spec.maxTraces,
      requests: this.requests,
      headSampled: this.headSampled,
      tailSampled: this.tailSampled,
      overCap: this.kept.overCap,
      traces: traces.length,
      spans,
      criticalPath: this.paths.summary(),
    };
  }

  /** The call's trace while its spans are still wanted (open, or kept), else null. */
  private traceOf(call: Call): Trace | null {
    const trace = traceOfRequest(call.request);
    return trace === null || trace.state === TraceState.dropped ? null : trace;
  }

  private endServerSpan(call: Call, status: number, end: SpanEndCode): void {
    const trace = this.traceOf(call);
    if (trace === null) return;
    const span = this.serverSpanOf(call);
    if (span === null || span.endMs >= 0) return;
    this.close(trace, span, status, end);
  }

  /** The call's server span, made when first needed (its first downstream try, or its answer). */
  private serverSpanOf(call: Call): Span | null {
    const record = recordOf(call);
    if (record === null) return null;
    if (record.server !== null) return record.server;
    const parent = record.client;
    const instance = call.instance;
    if (parent === null || instance === null) return null;
    parent.peer = instance.id; // known here even if the try is still open when the run ends
    const span = this.open(
      parent,
      SpanKind.server,
      instance,
      parent.name,
      call.arrivedAt,
      instance.service.index,
      0,
      false,
    );
    record.server = span;
    return span;
  }

  private open(
    parent: Span | null,
    kind: SpanKindCode,
    emitter: SpanEmitter,
    name: string,
    startMs: number,
    bucket: number,
    attempt: number,
    hedge: boolean,
  ): Span {
    return new Span(
      this.nextSpanId++,
      parent,
      kind,
      emitter,
      name,
      startMs,
      bucket,
      attempt,
      hedge,
    );
  }

  private close(trace: Trace, span: Span, status: number, end: SpanEndCode): void {
    span.close(this.scheduler.now, status, end);
    if (span.error) trace.errored = true;
  }
}
