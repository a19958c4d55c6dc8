// The spans of open and kept traces, as a slab of fixed-size records in typed arrays recycled on a
// free list: a record is a try's client span and, once the try reached an instance, its server
// span (a client span's only child). A trace is its root's record, which also holds the trace's
// flags and the end of its list of records. A trace let go at its request's end (96-99% of them)
// hands its records back in one step, so the next requests reuse the same few hundred and the run
// makes no object per span or per open trace. Kept traces stay in the slab until the run's end, as
// records the garbage collector never walks; only then are they made into Span objects
// (materialise), the shape the OTLP export reads. Measured on the governed chain:
// docs/performance.md, 2026-12-07 03:05 and session 8.
import { Reason } from "../../model/call.ts";
import { SpanEnd, type SpanEndCode } from "../../model/tracer.ts";
import { SpanKind } from "../../result/tracing.ts";
import { Span, type SpanEmitter } from "./span.ts";

/** No span: a root's parent, the end of a child or trace list. */
export const NO_SPAN = -1;

// Codes the hot methods write, as this module's own constants (see SPAN_LAYOUT for why).
const ANSWER = Reason.answer as SpanEndCode;
const RESET = Reason.reset as SpanEndCode;
const CANCELLED = SpanEnd.cancelled;

// A record is a client span (a try at the caller's sidecar, a refused call, or a trace's root) and,
// once the try reached an instance, the server span under it: a client span's only child is its
// server span, so the two share a record and the server half needs no tree fields of its own. The
// record's children (PARENT, FIRST_CHILD, NEXT_SIBLING) hang under its server half, or under the
// root's client half. Integer fields, INTS to a record: the tree, the link to the next record of
// its trace (or the next free one), each half's scalars, the count of a first try's tries, and on
// a root the trace's last record (a root's FLAGS also hold the trace's own flags).
const PARENT = 0;
const FIRST_CHILD = 1;
const NEXT_SIBLING = 2;
const LINK = 3;
const STATUS = 4;
const BUCKET = 5;
const ATTEMPT = 6;
const END = 7;
const FLAGS = 8;
const SERVER_STATUS = 9;
const SERVER_BUCKET = 10;
const SERVER_END = 11;
/** On a call's first try: the tries of the call started so far, this one included. */
const TRIES = 12;
/** On a trace's root: the last record of its list. */
const LAST = 13;
const INTS = 14;
const ERROR = 1;
const UNFINISHED = 2;
const HEDGE = 4;
const HAS_SERVER = 8;
const SERVER_ERROR = 16;
const SERVER_UNFINISHED = 32;
/** On a trace's root: some span of the trace ended in error. */
const TRACE_ERRORED = 64;
/** On a trace's root: the head sampler chose the trace. */
const HEAD_SAMPLED = 128;
// Times, TIMES to a record: each half's id (a counter that may pass 2^31), start and end (-1 while open).
const ID = 0;
const START_MS = 1;
const END_MS = 2;
const SERVER_ID = 3;
const SERVER_START_MS = 4;
const SERVER_END_MS = 5;
const TIMES = 6;
// References, REFS to a record: who emitted each half, the name both share, the client's peer.
const EMITTER = 0;
const NAME = 1;
const PEER = 2;
const SERVER_EMITTER = 3;
const REFS = 4;

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

  /**
   * Opens the root span `id` of a new trace (its load client's, with no parent); returns its
   * record, which stands for the trace. `headSampled`: the head sampler chose the trace.
   */
  openRoot(
    id: number,
    emitter: SpanEmitter,
    name: string,
    startMs: number,
    bucket: number,
    headSampled: boolean,
  ): number {
    const root = this.record(id, NO_SPAN, emitter, name, startMs, bucket, 0, false);
    const at = root * INTS;
    this.ints[at + NEXT_SIBLING] = NO_SPAN;
    this.ints[at + LAST] = root;
    if (headSampled) this.ints[at + FLAGS] |= HEAD_SAMPLED;
    return root;
  }

  /**
   * Opens client span `id` of the trace whose root is `root`, under the record `parent` (its
   * server half, or the root's client half), last in the trace's list; returns its record.
   */
  open(
    root: number,
    id: number,
    parent: number,
    emitter: SpanEmitter,
    name: string,
    startMs: number,
    bucket: number,
    attempt: number,
    hedge: boolean,
  ): number {
    const span = this.record(id, parent, emitter, name, startMs, bucket, attempt, hedge);
    const ints = this.ints;
    // Children newest first: the critical path leaves a tie to the one made first.
    ints[span * INTS + NEXT_SIBLING] = ints[parent * INTS + FIRST_CHILD];
    ints[parent * INTS + FIRST_CHILD] = span;
    ints[ints[root * INTS + LAST] * INTS + LINK] = span;
    ints[root * INTS + LAST] = span;
    return span;
  }

  /** A record taken from the free list (or the slab's end) with a client span's fields set. */
  private record(
    id: number,
    parent: number,
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
    ints[at + LINK] = NO_SPAN;
    ints[at + STATUS] = 0;
    ints[at + BUCKET] = bucket;
    ints[at + ATTEMPT] = attempt;
    ints[at + END] = ANSWER;
    ints[at + FLAGS] = hedge ? HEDGE : 0;
    ints[at + TRIES] = 1;
    const times = this.times;
    times[span * TIMES + ID] = id;
    times[span * TIMES + START_MS] = startMs;
    times[span * TIMES + END_MS] = -1;
    const refs = this.refs;
    refs[span * REFS + EMITTER] = emitter;
    refs[span * REFS + NAME] = name;
    refs[span * REFS + PEER] = null;
    return span;
  }

  /** Opens the server span `id` of the try recorded in `span` (under its client span). */
  openServer(
    span: number,
    id: number,
    emitter: SpanEmitter,
    startMs: number,
    bucket: number,
  ): void {
    this.prepareServer(span, emitter, startMs, bucket);
    this.openPreparedServer(span, id);
  }

  /**
   * Notes who will emit the record's server span, when it starts and its bucket, before it is
   * opened (openPreparedServer): a call made downstream keeps only its caller's record, and the
   * server span's id is given when it is first needed, as before.
   */
  prepareServer(span: number, emitter: SpanEmitter, startMs: number, bucket: number): void {
    this.ints[span * INTS + SERVER_BUCKET] = bucket;
    this.times[span * TIMES + SERVER_START_MS] = startMs;
    this.refs[span * REFS + SERVER_EMITTER] = emitter;
  }

  /** Opens the record's server span `id`, prepared by prepareServer. */
  openPreparedServer(span: number, id: number): void {
    const ints = this.ints;
    const at = span * INTS;
    ints[at + FLAGS] |= HAS_SERVER;
    ints[at + SERVER_STATUS] = 0;
    ints[at + SERVER_END] = ANSWER;
    const times = this.times;
    times[span * TIMES + SERVER_ID] = id;
    times[span * TIMES + SERVER_END_MS] = -1;
  }

  hasServer(span: number): boolean {
    return (this.ints[span * INTS + FLAGS] & HAS_SERVER) !== 0;
  }

  /** The record a record's client span hangs under (its server half, or the root's client half). */
  parentOf(span: number): number {
    return this.ints[span * INTS + PARENT];
  }

  /** Counts a further try of the call whose first try is recorded in `first`; returns its number (1, 2, ...). */
  nextTry(first: number): number {
    return this.ints[first * INTS + TRIES]++;
  }

  /** Whether the client span is open. */
  isOpen(span: number): boolean {
    return this.times[span * TIMES + END_MS] < 0;
  }

  /** Whether the record's server span is open (it has one). */
  isServerOpen(span: number): boolean {
    return this.times[span * TIMES + SERVER_END_MS] < 0;
  }

  /**
   * Ends the client span now; true if it ended in error: an HTTP status >= 400 or a try that failed
   * without an answer, but not a try its caller cancelled (OTel's HTTP conventions).
   */
  close(span: number, nowMs: number, status: number, end: SpanEndCode): boolean {
    const ints = this.ints;
    const at = span * INTS;
    this.times[span * TIMES + END_MS] = nowMs;
    ints[at + STATUS] = status;
    ints[at + END] = end;
    const error = end !== CANCELLED && (status >= 400 || end !== ANSWER);
    if (error) ints[at + FLAGS] |= ERROR;
    return error;
  }

  /** Ends the server span now; true if it ended in error: a status >= 500 or a reset (a 4xx is the caller's fault). */
  closeServer(span: number, nowMs: number, status: number, end: SpanEndCode): boolean {
    const ints = this.ints;
    const at = span * INTS;
    this.times[span * TIMES + SERVER_END_MS] = nowMs;
    ints[at + SERVER_STATUS] = status;
    ints[at + SERVER_END] = end;
    const error = status >= 500 || end === RESET;
    if (error) ints[at + FLAGS] |= SERVER_ERROR;
    return error;
  }

  /** A client span's peer: the instance its try went to. */
  setPeer(span: number, peer: string): void {
    this.refs[span * REFS + PEER] = peer;
  }

  /** Marks the trace whose root is `root` as having a span that ended in error. */
  markErrored(root: number): void {
    this.ints[root * INTS + FLAGS] |= TRACE_ERRORED;
  }

  /** Whether some span of the trace whose root is `root` ended in error. */
  errored(root: number): boolean {
    return (this.ints[root * INTS + FLAGS] & TRACE_ERRORED) !== 0;
  }

  /** Whether the head sampler chose the trace whose root is `root`. */
  headSampled(root: number): boolean {
    return (this.ints[root * INTS + FLAGS] & HEAD_SAMPLED) !== 0;
  }

  /** Hands every record of the trace whose root is `root` back to the free list (spliced whole). */
  drop(root: number): void {
    this.ints[this.ints[root * INTS + LAST] * INTS + LINK] = this.free;
    this.free = root;
  }

  /** How many spans the trace whose root is `root` has (client and server). */
  count(root: number): number {
    let n = 0;
    for (let span = root; span !== NO_SPAN; span = this.ints[span * INTS + LINK])
      n += this.hasServer(span) ? 2 : 1;
    return n;
  }

  /** Closes the spans of the trace whose root is `root` still open at `nowMs`, marked unfinished (the run's end). */
  closeOpen(root: number, nowMs: number): void {
    const ints = this.ints;
    const times = this.times;
    for (let span = root; span !== NO_SPAN; span = ints[span * INTS + LINK]) {
      if (this.isOpen(span)) {
        times[span * TIMES + END_MS] = nowMs;
        ints[span * INTS + FLAGS] |= UNFINISHED;
      }
      if (this.hasServer(span) && this.isServerOpen(span)) {
        times[span * TIMES + SERVER_END_MS] = nowMs;
        ints[span * INTS + FLAGS] |= SERVER_UNFINISHED;
      }
    }
  }

  /** The spans of the trace whose root is `root` as objects, in the order they were made (ascending ids). */
  materialise(root: number): Span[] {
    // Each half as its record times two, plus one for a server half, in id order: a parent
    // always has a lower id than its children, so it is made first.
    const halves: number[] = [];
    const ints = this.ints;
    const times = this.times;
    for (let span = root; span !== NO_SPAN; span = ints[span * INTS + LINK]) {
      halves.push(span * 2);
      if (this.hasServer(span)) halves.push(span * 2 + 1);
    }
    const idOf = (half: number) => times[(half >> 1) * TIMES + ((half & 1) === 0 ? ID : SERVER_ID)];
    halves.sort((a, b) => idOf(a) - idOf(b));
    const made = new Map<number, Span>();
    const out: Span[] = [];
    for (const half of halves) {
      const span = half >> 1;
      const parent = (half & 1) === 1 ? half - 1 : this.parentHalf(span);
      const object = this.spanOf(half, parent === NO_SPAN ? null : (made.get(parent) ?? null));
      made.set(half, object);
      out.push(object);
    }
    return out;
  }

  /** The half a record's client span hangs under: its parent's server half, or the root's client half. */
  private parentHalf(span: number): number {
    const parent = this.ints[span * INTS + PARENT];
    if (parent === NO_SPAN) return NO_SPAN;
    return this.hasServer(parent) ? parent * 2 + 1 : parent * 2;
  }

  private spanOf(half: number, parent: Span | null): Span {
    const span = half >> 1;
    const server = (half & 1) === 1;
    const ints = this.ints;
    const at = span * INTS;
    const times = this.times;
    const refs = this.refs;
    const flags = ints[at + FLAGS];
    return new Span(
      times[span * TIMES + (server ? SERVER_ID : ID)],
      parent,
      server ? SpanKind.server : SpanKind.client,
      refs[span * REFS + (server ? SERVER_EMITTER : EMITTER)] as SpanEmitter,
      refs[span * REFS + NAME] as string,
      times[span * TIMES + (server ? SERVER_START_MS : START_MS)],
      times[span * TIMES + (server ? SERVER_END_MS : END_MS)],
      ints[at + (server ? SERVER_STATUS : STATUS)],
      ints[at + (server ? SERVER_END : END)] as SpanEndCode,
      (flags & (server ? SERVER_ERROR : ERROR)) !== 0,
      (flags & (server ? SERVER_UNFINISHED : UNFINISHED)) !== 0,
      server ? null : (refs[span * REFS + PEER] as string | null),
      server ? 0 : ints[at + ATTEMPT],
      server ? false : (flags & HEDGE) !== 0,
    );
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

/**
 * The record layout the critical-path walk reads: the integer fields' and the times' strides and
 * offsets, the flags field and its server bit. A module that reads them in a hot loop copies them
 * into constants of its own (`const { INTS } = SPAN_LAYOUT`): V8 folds a module's own constant, but
 * loads an imported binding and checks it for the hole at every read (the walk took a third longer
 * with imported names; docs/performance.md, 2026-12-07 session 8).
 */
export const SPAN_LAYOUT = {
  INTS,
  TIMES,
  FIRST_CHILD,
  NEXT_SIBLING,
  BUCKET,
  SERVER_BUCKET,
  FLAGS,
  HAS_SERVER,
  START_MS,
  END_MS,
  SERVER_START_MS,
  SERVER_END_MS,
} as const;
