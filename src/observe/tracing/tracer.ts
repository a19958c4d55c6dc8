// The run's tracer: it turns the model's hooks (model/tracer.ts) into spans, one trace per
// end-user request, and decides each trace when its request ends: kept if the head sampler chose
// it, or (tail sampling) if a span ended in error or the request took longer than keepSlowerThan,
// up to maxTraces (see keptTraces.ts); otherwise its spans are let go at once. So an undecided
// trace lives only as long as its request. Every successful measured request also adds its
// critical path to the per-service breakdown, sampled or not. A tracer never draws randomness or
// schedules events: runs are identical with tracing on or off.
import type { Scheduler } from "../../kernel/scheduler.ts";
import { type Call, Reason, type ReasonCode } from "../../model/call.ts";
import type { Operation } from "../../model/operation.ts";
import { type EndUserRequest, isFailure } from "../../model/request.ts";
import {
  type CallTracer,
  SpanEnd,
  type SpanEndCode,
  type TraceOrigin,
} from "../../model/tracer.ts";
import type { TraceExport, TracingResult } from "../../result/tracing.ts";
import type { TracingSpec } from "../spec.ts";
import { CriticalPathStats } from "./criticalPath.ts";
import { KeptTraces } from "./keptTraces.ts";
import { createHeadSampler, type HeadSampler } from "./sampler.ts";
import { type SpanEmitter, Trace } from "./span.ts";
import { NO_SPAN, SpanStore } from "./spanStore.ts";
import { TraceIdSource } from "./traceIds.ts";

// What the tracer keeps on a call (Call.trace), a number, so a hop makes no object of its own:
// null on a load's call not tried yet (its spans go under the root); on a call tried, the store's
// record of the try (its client span at the caller's sidecar and, once it reached an instance, its
// server span there); on a call made downstream and not tried yet, MADE_BY - r, where r is the
// record of the try that brought its caller to the instance (whose server span its first try goes
// under); UNTRACED on a call none of whose tries gets a span.
const UNTRACED = -1;
const MADE_BY = -2;
// Imported constants as this module's own, which V8 folds (see SPAN_LAYOUT in spanStore.ts).
const NONE = NO_SPAN;
const ANSWER = Reason.answer;
const CONNECT_FAILURE = Reason.connectFailure;
const CANCELLED = SpanEnd.cancelled;

/** This tracer's slot on a call: Call.trace holds only what callMade or tryStarted put there. */
function slotOf(call: Call): number | null {
  return call.trace as number | null;
}

/**
 * This tracer's trace of a request, as its root's record: EndUserRequest.trace holds only what
 * requestIssued put there, and null once the trace is let go (so no later hook touches records
 * handed back).
 */
function rootOf(request: EndUserRequest): number | null {
  return request.trace as number | null;
}

export class Tracer implements CallTracer {
  private nextSpanId = 1;
  private readonly ids: TraceIdSource;
  private readonly head: HeadSampler;
  private readonly kept: KeptTraces;
  private readonly paths: CriticalPathStats;
  private readonly store = new SpanStore();
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
    this.kept = new KeptTraces(spec.maxTraces, this.store);
    this.paths = new CriticalPathStats(serviceNames, loadNames);
  }

  requestIssued(request: EndUserRequest, client: TraceOrigin, operation: Operation): void {
    request.trace = this.store.openRoot(
      this.nextSpanId++,
      client,
      operation.id,
      request.scheduledAt,
      this.paths.clientBucket,
      this.head.sampledRequest(this.ids, request.id),
    );
  }

  requestFinished(request: EndUserRequest, status: number): void {
    const root = rootOf(request);
    const store = this.store;
    if (root === null || !store.isOpen(root)) return;
    const now = this.scheduler.now;
    this.close(root, root, status, ANSWER);
    this.requests++;
    if (request.measured && !isFailure(status)) this.paths.record(request.loadIndex, store, root);
    const slowMs = this.spec.keepSlowerThanMs;
    const tail =
      (this.spec.keepErrors && store.errored(root)) ||
      (slowMs !== null && now - request.scheduledAt > slowMs);
    const head = store.headSampled(root);
    if (head) this.headSampled++;
    else if (tail) this.tailSampled++;
    if (!head && !tail) {
      request.trace = null;
      return store.drop(root);
    }
    // Offered to the kept set: only now an object, with the id's random bits the set ranks by.
    const ids = this.ids;
    const id = request.id;
    const trace = new Trace(
      id,
      ids.randomHighOf(id),
      ids.randomLowBitsOf(id),
      head,
      ids,
      root,
      request,
    );
    trace.tier = tail ? 0 : 1;
    this.kept.offer(trace);
  }

  callMade(call: Call, caller: Call): void {
    if (rootOf(call.request) === null) return;
    // The caller was tried, so it holds its try's record (or UNTRACED); its instance is known now.
    const record = slotOf(caller);
    const instance = caller.instance;
    if (record === null || record < 0 || instance === null) {
      call.trace = UNTRACED;
      return;
    }
    // The caller's server span, if not made yet, is made with this call's first try's client span
    // (or a refusal's), so its id comes right before that one's, as when it was made from the caller.
    const store = this.store;
    if (!store.hasServer(record)) {
      store.setPeer(record, instance.id);
      store.prepareServer(record, instance, caller.arrivedAt, instance.service.index);
    }
    call.trace = MADE_BY - record;
  }

  tryStarted(attempt: Call, sender: TraceOrigin, first: Call | null, hedge: boolean): void {
    const root = rootOf(attempt.request);
    if (root === null) return;
    const store = this.store;
    let parent: number;
    let number = 0;
    if (first === null) {
      const slot = slotOf(attempt);
      if (slot === null) parent = root;
      else if (slot <= MADE_BY) {
        parent = MADE_BY - slot;
        if (!store.hasServer(parent)) store.openPreparedServer(parent, this.nextSpanId++);
      } else return;
    } else {
      // A retry or hedge: under its call's first try's parent, numbered by the call's tries.
      const firstRecord = slotOf(first);
      if (firstRecord === null || firstRecord < 0) return;
      number = store.nextTry(firstRecord);
      parent = store.parentOf(firstRecord);
    }
    attempt.trace = this.open(
      root,
      parent,
      sender,
      attempt.operation.id,
      this.scheduler.now,
      this.paths.networkBucket,
      number,
      hedge,
    );
  }

  tryEnded(attempt: Call, status: number, end: SpanEndCode): void {
    const root = rootOf(attempt.request);
    const span = slotOf(attempt);
    if (root === null || span === null || span < 0) return;
    const store = this.store;
    if (!store.isOpen(span)) return;
    if (attempt.instance !== null) store.setPeer(span, attempt.instance.id);
    this.close(root, span, status, end);
  }

  callRefused(
    request: EndUserRequest,
    operation: Operation,
    caller: Call | null,
    sender: TraceOrigin,
    status: number,
    end: SpanEndCode,
  ): void {
    const root = rootOf(request);
    if (root === null) return;
    const parent = caller === null ? root : this.serverOf(caller);
    if (parent === NONE) return;
    const name = operation.id;
    const span = this.open(
      root,
      parent,
      sender,
      name,
      this.scheduler.now,
      this.paths.networkBucket,
      0,
      false,
    );
    this.close(root, span, status, end);
  }

  callAnswered(call: Call, status: number, reason: ReasonCode): void {
    if (reason === CONNECT_FAILURE) return; // it never reached the server
    this.endServerSpan(call, status, reason);
  }

  callCancelled(call: Call): void {
    this.endServerSpan(call, 0, CANCELLED);
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
        this.store.closeOpen(trace.root, nowMs);
        trace.exported = this.store.materialise(trace.root);
      }
    }
    return { epochMs: this.spec.epochMs, traces };
  }

  result(): TracingResult {
    let spans = 0;
    const traces = this.kept.traces();
    for (const trace of traces) spans += this.store.count(trace.root);
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

  private endServerSpan(call: Call, status: number, end: SpanEndCode): void {
    const root = rootOf(call.request);
    if (root === null) return;
    const span = this.serverOf(call);
    const store = this.store;
    if (span === NONE || !store.isServerOpen(span)) return;
    if (store.closeServer(span, this.scheduler.now, status, end)) store.markErrored(root);
  }

  /**
   * The record of the try that brought `call` to its instance, with its server span made when first
   * needed (its first downstream try, or its answer); NO_SPAN if it has none.
   */
  private serverOf(call: Call): number {
    const span = slotOf(call);
    if (span === null || span < 0) return NONE;
    const store = this.store;
    if (store.hasServer(span)) return span;
    const instance = call.instance;
    if (instance === null) return NONE;
    store.setPeer(span, instance.id); // known here even if the try is still open when the run ends
    store.openServer(span, this.nextSpanId++, instance, call.arrivedAt, instance.service.index);
    return span;
  }

  /** Opens a client span (a try or a refused call) of the trace whose root is `root`. */
  private open(
    root: number,
    parent: number,
    emitter: SpanEmitter,
    name: string,
    startMs: number,
    bucket: number,
    attempt: number,
    hedge: boolean,
  ): number {
    return this.store.open(
      root,
      this.nextSpanId++,
      parent,
      emitter,
      name,
      startMs,
      bucket,
      attempt,
      hedge,
    );
  }

  private close(root: number, span: number, status: number, end: SpanEndCode): void {
    const store = this.store;
    if (store.close(span, this.scheduler.now, status, end)) store.markErrored(root);
  }
}
