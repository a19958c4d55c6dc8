// The reference simulator's tracing, with meshsim's semantics (observe/tracing/): a trace per
// end-user request, a client span per hop at the caller's sidecar and a server span at the
// instance under the load client's root span; trace ids from the request id by a bijective mix
// (never the simulation's streams); OTel TraceIdRatioBased head sampling on the id's low 56 bits;
// tail sampling keeps every trace with an error span (a client span >= 400, a server span >= 500);
// at most MAX_TRACES kept, errored first, then by those 56 bits, then the earlier request. Every
// trace's spans live until its request ends, when it is kept or let go. The critical path of each
// successful request is added per bucket (service self times, network, client), worked out from
// the chain's nesting directly rather than by walking the tree (code written for one model).
import { Histogram } from "./histogram.ts";
import { fmix } from "./random.ts";

export const SPAN_CLIENT = 3;
export const SPAN_SERVER = 2;

export class Span {
  endMs = -1;
  status = 0;
  constructor(
    readonly id: number,
    readonly parent: Span | null,
    readonly kind: number,
    readonly name: string,
    readonly resource: string,
    readonly startMs: number,
  ) {}
}

export class Trace {
  errored = false;
  readonly spans: Span[] = [];
  constructor(
    readonly requestId: number,
    /** The id's top 24 and low 32 "random" bits (OTel's 56). */
    readonly randomHigh: number,
    readonly randomLow: number,
    readonly headSampled: boolean,
    /** 0: kept for an error (tail), 1: by the head sampler only. */
    public tier = 1,
  ) {}
}

/** Whether `a` is let go before `b` when more traces qualify than can be kept. */
function ranksBelow(a: Trace, b: Trace): boolean {
  if (a.tier !== b.tier) return a.tier > b.tier;
  if (a.randomHigh !== b.randomHigh) return a.randomHigh < b.randomHigh;
  if (a.randomLow !== b.randomLow) return a.randomLow < b.randomLow;
  return a.requestId > b.requestId;
}

const MAX_TRACES = 10_000;

function duration(span: Span): number {
  return span.endMs - span.startMs;
}

export class Tracing {
  private nextSpanId = 1;
  private readonly thresholdHigh: number;
  private readonly thresholdLow: number;
  private readonly saltHigh: number;
  private readonly saltLow: number;
  /** Kept traces, a heap with the first to go at the root. */
  private readonly kept: Trace[] = [];
  requests = 0;
  headSampled = 0;
  tailSampled = 0;
  overCap = 0;
  /** Critical path per bucket: services by hop, then network, then the client. */
  readonly pathSums: Float64Array;
  readonly pathHistograms: Histogram[];
  pathRequests = 0;
  pathTotalMs = 0;

  constructor(ratio: number, seed: number, hops: number) {
    // T = 2^56 - round(ratio · 2^56), split into 24 high and 32 low bits; sampled when R >= T.
    const t = 2 ** 56 - Math.round(ratio * 2 ** 56);
    this.thresholdHigh = Math.floor(t / 2 ** 32);
    this.thresholdLow = t - this.thresholdHigh * 2 ** 32;
    this.saltHigh = fmix((seed ^ 0x72616365) >>> 0);
    this.saltLow = fmix((seed ^ 0x69647321) >>> 0);
    this.pathSums = new Float64Array(hops + 2);
    this.pathHistograms = Array.from({ length: hops + 2 }, () => new Histogram());
  }

  /** A new trace for request `id`, with its root span (the load client's). */
  begin(id: number, startMs: number, name: string): Trace {
    const n = (id + 1) >>> 0;
    const high = fmix((Math.imul(n, 0xc2b2ae35) + this.saltHigh) >>> 0) & 0xffffff;
    const low = fmix((Math.imul(n, 0x27d4eb2f) + this.saltLow) >>> 0);
    const head =
      high > this.thresholdHigh || (high === this.thresholdHigh && low >= this.thresholdLow);
    const trace = new Trace(id, high, low, head);
    this.open(trace, null, SPAN_CLIENT, name, "load", startMs);
    return trace;
  }

  open(
    trace: Trace,
    parent: Span | null,
    kind: number,
    name: string,
    resource: string,
    startMs: number,
  ): Span {
    const span = new Span(this.nextSpanId++, parent, kind, name, resource, startMs);
    trace.spans.push(span);
    return span;
  }

  close(trace: Trace, span: Span, nowMs: number, status: number): void {
    span.endMs = nowMs;
    span.status = status;
    if (status >= (span.kind === SPAN_CLIENT ? 400 : 500)) trace.errored = true;
  }

  /** The request ended: close the root, add its critical path if it succeeded, keep or let go. */
  finish(trace: Trace, nowMs: number, status: number, measured: boolean): void {
    const root = trace.spans[0];
    this.close(trace, root, nowMs, status);
    this.requests++;
    if (measured && status < 400) this.addCriticalPath(trace);
    if (trace.headSampled) this.headSampled++;
    else if (trace.errored) this.tailSampled++;
    else return;
    trace.tier = trace.errored ? 0 : 1;
    this.offer(trace);
  }

  keptTraces(): Trace[] {
    return [...this.kept].sort((a, b) => a.requestId - b.requestId);
  }

  /**
   * Spans in order: root, then client and server span per hop. On the chain's critical path each
   * server span's self time is its duration less its child call's client span; the network's is
   * each client span less its server span; the client's the root less the first client span.
   */
  private addCriticalPath(trace: Trace): void {
    const spans = trace.spans;
    const hops = (spans.length - 1) / 2;
    const root = duration(spans[0]);
    this.recordPath(hops + 1, root - duration(spans[1]));
    let network = 0;
    for (let h = 0; h < hops; h++) {
      const client = duration(spans[1 + 2 * h]);
      const server = duration(spans[2 + 2 * h]);
      network += client - server;
      this.recordPath(h, h + 1 < hops ? server - duration(spans[3 + 2 * h]) : server);
    }
    this.recordPath(hops, network);
    this.pathRequests++;
    this.pathTotalMs += root;
  }

  private recordPath(bucket: number, ms: number): void {
    this.pathSums[bucket] += ms;
    this.pathHistograms[bucket].record(ms);
  }

  private offer(trace: Trace): void {
    const heap = this.kept;
    if (heap.length < MAX_TRACES) {
      heap.push(trace);
      this.siftUp(heap.length - 1);
      return;
    }
    this.overCap++;
    if (!ranksBelow(heap[0], trace)) return;
    heap[0] = trace;
    this.siftDown(0);
  }

  private siftUp(i: number): void {
    const heap = this.kept;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!ranksBelow(heap[i], heap[p])) return;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  }

  private siftDown(i: number): void {
    const heap = this.kept;
    for (;;) {
      const l = 2 * i + 1;
      let worst = i;
      if (l < heap.length && ranksBelow(heap[l], heap[worst])) worst = l;
      if (l + 1 < heap.length && ranksBelow(heap[l + 1], heap[worst])) worst = l + 1;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst], heap[i]];
      i = worst;
    }
  }
}
