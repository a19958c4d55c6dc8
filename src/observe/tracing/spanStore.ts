// The spans of open and kept traces, as a slab of fixed-size records in typed arrays (struct of
// arrays, a span an index) recycled on a free list: a trace let go at its request's end (96-99% of
// them) hands its spans back in one step, so the next requests reuse the same few hundred records
// and the run makes no object per span. Kept traces stay in the slab until the run's end, as
// records the garbage collector never walks; only then are they made into Span objects
// (materialise), the public shape the OTLP export reads. Object-per-span tracing cost about 28% of
// the governed chain's loop, most of it allocation, promotion of kept spans and their mark-compact.
import { Reason, type ReasonCode } from "../../model/call.ts";
import { SpanEnd, type SpanEndCode } from "../../model/tracer.ts";
import { SpanKind, type SpanKindCode } from "../../result/tracing.ts";
import { Span, type SpanEmitter, type Trace } from "./span.ts";

/** No span: a root's parent, the end of a child or trace list. */
export const NO_SPAN = -1;

// A span's integer fields, INTS to a record: its tree (parent, newest child, next older sibling),
// the link to the next span of its trace (or the next free record), and its scalar fields.
export const PARENT = 0;
export const FIRST_CHILD = 1;
export const NEXT_SIBLING = 2;
const LINK = 3;
const KIND = 4;
const STATUS = 5;
export const BUCKET = 6;
const ATTEMPT = 7;
const END = 8;
const FLAGS = 9;
const INTS = 10;
const ERROR = 1;
const UNFINISHED = 2;
const HEDGE = 4;
// Its times, TIMES to a record: its id (a counter that may pass 2^31), start and end (-1 while open).
const ID = 0;
export const START_MS = 1;
export const END_MS = 2;
const TIMES = 3;
// Its references, REFS to a record: who emitted it, its name, and a client span's peer.
const EMITTER = 0;
const NAME = 1;
const PEER = 2;
const REFS = 3;

export class SpanStore {
  /** The records' fields; replaced (twice as long) when the slab grows, so read them afresh. */
  ints: Int32Array<ArrayBuffer>;
  times: Float64Array<ArrayBuffer>;
  private refs: (SpanEmitter | string | null)[];
  private capacity: number;
  /** Records handed out so far; below it, free ones are chained through LINK from `free`. */
  private used = 0;
  private free = NO_SPAN;

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.ints = new Int32Array(capacity * INTS);
    this.times = new Float64Array(capacity * TIMES);
    this.refs = new Array<SpanEmitter | string | null>(capacity * REFS).fill(null);
  }

  /** Opens span `id` of `trace` under `parent` (NO_SPAN for its root), last in the trace's list. */
  open(
    trace: Trace,
    id: number,
    parent: number,
    kind: SpanKindCode,
    emitter: SpanEmitter,
    name: string,
    startMs: number,
    bucket: number,
    attempt: number,
    hedge: boolean,
  ): number {
    let span = this.free;
    if (span !== NO_SPAN) this.free = this.ints[span * INTS + LINK];
    else {
      if (this.used === this.capacity) this.grow();
      span = this.used++;
    }
    const ints = this.ints;
    const at = span * INTS;
    ints[at + PARENT] = parent;
    ints[at + FIRST_CHILD] = NO_SPAN;
    if (parent === NO_SPAN) ints[at + NEXT_SIBLING] = NO_SPAN;
    else {
      // Children newest first: the critical path leaves a tie to the one made first.
      ints[at + NEXT_SIBLING] = ints[parent * INTS + FIRST_CHILD];
      ints[parent * INTS + FIRST_CHILD] = span;
    }
    ints[at + LINK] = NO_SPAN;
    ints[at + KIND] = kind;
    ints[at + STATUS] = 0;
    ints[at + BUCKET] = bucket;
    ints[at + ATTEMPT] = attempt;
    ints[at + END] = Reason.answer;
    ints[at + FLAGS] = hedge ? HEDGE : 0;
    const times = this.times;
    times[span * TIMES + ID] = id;
    times[span * TIMES + START_MS] = startMs;
    times[span * TIMES + END_MS] = -1;
    const refs = this.refs;
    refs[span * REFS + EMITTER] = emitter;
    refs[span * REFS + NAME] = name;
    refs[span * REFS + PEER] = null;
    if (trace.last === NO_SPAN) trace.first = span;
    else ints[trace.last * INTS + LINK] = span;
    trace.last = span;
    return span;
  }

  isOpen(span: number): boolean {
    return this.times[span * TIMES + END_MS] < 0;
  }

  /** Ends `span` now; true if it ended in error (OTel's HTTP conventions, see span.ts). */
  close(span: number, nowMs: number, status: number, end: SpanEndCode): boolean {
    const ints = this.ints;
    const at = span * INTS;
    this.times[span * TIMES + END_MS] = nowMs;
    ints[at + STATUS] = status;
    ints[at + END] = end;
    const error =
      ints[at + KIND] === SpanKind.client
        ? clientFailed(status, end)
        : status >= 500 || end === Reason.reset;
    if (error) ints[at + FLAGS] |= ERROR;
    return error;
  }

  /** A client span's peer: the instance its try went to. */
  setPeer(span: number, peer: string): void {
    this.refs[span * REFS + PEER] = peer;
  }

  nameOf(span: number): string {
    return this.refs[span * REFS + NAME] as string;
  }

  /** Hands every span of `trace` back to the free list (its list, spliced whole). */
  release(trace: Trace): void {
    if (trace.first === NO_SPAN) return;
    this.ints[trace.last * INTS + LINK] = this.free;
    this.free = trace.first;
    trace.first = NO_SPAN;
    trace.last = NO_SPAN;
  }

  /** How many spans `trace` has. */
  count(trace: Trace): number {
    let n = 0;
    for (let span = trace.first; span !== NO_SPAN; span = this.ints[span * INTS + LINK]) n++;
    return n;
  }

  /** Closes the spans of `trace` still open at `nowMs`, marked unfinished (the run's end). */
  closeOpen(trace: Trace, nowMs: number): void {
    for (let span = trace.first; span !== NO_SPAN; span = this.ints[span * INTS + LINK]) {
      if (!this.isOpen(span)) continue;
      this.times[span * TIMES + END_MS] = nowMs;
      this.ints[span * INTS + FLAGS] |= UNFINISHED;
    }
  }

  /** The spans of `trace` as objects, in the order they were made (ascending ids). */
  materialise(trace: Trace): Span[] {
    const made = new Map<number, Span>();
    const out: Span[] = [];
    const ints = this.ints;
    const times = this.times;
    const refs = this.refs;
    for (let span = trace.first; span !== NO_SPAN; span = ints[span * INTS + LINK]) {
      const at = span * INTS;
      const flags = ints[at + FLAGS];
      const parent = ints[at + PARENT];
      const object = new Span(
        times[span * TIMES + ID],
        parent === NO_SPAN ? null : (made.get(parent) ?? null),
        ints[at + KIND] as SpanKindCode,
        refs[span * REFS + EMITTER] as SpanEmitter,
        refs[span * REFS + NAME] as string,
        times[span * TIMES + START_MS],
        times[span * TIMES + END_MS],
        ints[at + STATUS],
        ints[at + END] as SpanEndCode,
        (flags & ERROR) !== 0,
        (flags & UNFINISHED) !== 0,
        refs[span * REFS + PEER] as string | null,
        ints[at + ATTEMPT],
        (flags & HEDGE) !== 0,
      );
      made.set(span, object);
      out.push(object);
    }
    return out;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const ints = new Int32Array(capacity * INTS);
    ints.set(this.ints);
    const times = new Float64Array(capacity * TIMES);
    times.set(this.times);
    this.ints = ints;
    this.times = times;
    const refs = this.refs;
    for (let i = refs.length; i < capacity * REFS; i++) refs.push(null);
    this.capacity = capacity;
  }
}

/** The integer fields' stride and the times' stride, for the critical-path walk. */
export const SPAN_INTS = INTS;
export const SPAN_TIMES = TIMES;

function clientFailed(status: number, end: SpanEndCode): boolean {
  if (end === SpanEnd.cancelled) return false;
  return status >= 400 || end !== (Reason.answer as ReasonCode);
}
