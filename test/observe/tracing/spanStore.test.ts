// The span store: a try's client and server spans in one record, a trace's records handed back
// whole and reused, and kept traces made into the Span objects the OTLP export reads, in id order
// with their tree and fields intact.
import { describe, expect, it } from "vitest";
import { Reason } from "../../../src/model/call.ts";
import { SpanEnd } from "../../../src/model/tracer.ts";
import { Resource, Trace, TraceState } from "../../../src/observe/tracing/span.ts";
import { NO_SPAN, SpanStore } from "../../../src/observe/tracing/spanStore.ts";
import { TraceIdSource } from "../../../src/observe/tracing/traceIds.ts";
import { SpanKind } from "../../../src/result/tracing.ts";

const LOAD = new Resource("load", "load/users/client-0", null);
const ORDER = new Resource("order", "order-1", "zone-a");
const ids = new TraceIdSource(1);

/** A root, a try under it (a hedge, its third) and the try's server span: ids `base`, +1, +2. */
function threeSpans(store: SpanStore, trace: Trace, base: number) {
  const root = store.open(trace, base, NO_SPAN, LOAD, "user.get", 0, 4, 0, false);
  const call = store.open(trace, base + 1, root, LOAD, "order.create", 1, 3, 2, true);
  store.openServer(call, base + 2, ORDER, 2, 0);
  return { root, call };
}

describe("the span store", () => {
  it("makes a kept trace's records into spans with their parents, fields and errors", () => {
    const store = new SpanStore(2);
    const trace = new Trace(7, 0, 0, false, ids);
    const { root, call } = threeSpans(store, trace, 10);
    store.setPeer(call, "order-1");
    expect(store.closeServer(call, 5, 503, Reason.answer)).toBe(true);
    expect(store.close(call, 6, 503, Reason.answer)).toBe(true);
    expect(store.isOpen(root)).toBe(true);
    store.closeOpen(trace, 9);
    expect(store.count(trace)).toBe(3);
    const [r, c, s] = store.materialise(trace);
    expect([r.id, c.id, s.id]).toEqual([10, 11, 12]);
    expect(r.parent).toBeNull();
    expect(c.parent).toBe(r);
    expect(s.parent).toBe(c);
    expect(r).toMatchObject({ endMs: 9, unfinished: true, outcome: "unfinished", error: false });
    expect(c).toMatchObject({ kind: SpanKind.client, startMs: 1, endMs: 6, status: 503 });
    expect(c).toMatchObject({ attempt: 2, hedge: true, peer: "order-1", error: true });
    expect(s.resource).toEqual(ORDER);
    expect(s).toMatchObject({ kind: SpanKind.server, name: "order.create", peer: null });
    expect(s).toMatchObject({ startMs: 2, endMs: 5, attempt: 0, hedge: false, answered: true });
  });

  it("follows OTel's error rules: a 4xx fails a client span but not a server span, a cancelled try is no error", () => {
    const store = new SpanStore();
    const trace = new Trace(1, 0, 0, false, ids);
    const { call } = threeSpans(store, trace, 1);
    expect(store.closeServer(call, 3, 404, Reason.answer)).toBe(false);
    expect(store.close(call, 4, 404, Reason.answer)).toBe(true);
    const other = threeSpans(store, trace, 4);
    expect(store.close(other.call, 4, 0, SpanEnd.cancelled)).toBe(false);
    expect(store.closeServer(other.call, 4, 0, Reason.reset)).toBe(true);
  });

  it("lists spans by id when a server span is made after later client spans, under their own parents", () => {
    const store = new SpanStore();
    const trace = new Trace(1, 0, 0, false, ids);
    const root = store.open(trace, 1, NO_SPAN, LOAD, "user.get", 0, 4, 0, false);
    const first = store.open(trace, 2, root, LOAD, "a.x", 0, 3, 0, false);
    const second = store.open(trace, 3, root, LOAD, "b.y", 0, 3, 0, false);
    store.openServer(second, 4, ORDER, 1, 1);
    store.openServer(first, 5, ORDER, 1, 0);
    const below = store.open(trace, 6, first, ORDER, "c.z", 2, 3, 0, false);
    store.closeOpen(trace, 10);
    const spans = store.materialise(trace);
    expect(spans.map((span) => span.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(spans.map((span) => span.parent?.id ?? null)).toEqual([null, 1, 1, 3, 2, 5]);
    expect(store.count(trace)).toBe(6);
    expect(below).not.toBe(NO_SPAN);
  });

  it("reuses the records of a trace let go, and grows when none is free", () => {
    const store = new SpanStore(2);
    const first = new Trace(1, 0, 0, false, ids);
    const a = threeSpans(store, first, 1);
    store.drop(first);
    expect(store.count(first)).toBe(0);
    expect(first.state).toBe(TraceState.dropped);
    const second = new Trace(2, 0, 0, false, ids);
    const b = threeSpans(store, second, 4);
    expect(new Set([b.root, b.call])).toEqual(new Set([a.root, a.call]));
    const third = new Trace(3, 0, 0, false, ids);
    threeSpans(store, third, 7);
    expect(store.count(second)).toBe(3);
    expect(store.count(third)).toBe(3);
    // The second trace's records were not touched by the third's, which needed new ones.
    store.closeOpen(second, 20);
    store.closeOpen(third, 20);
    expect(store.materialise(second).map((span) => span.id)).toEqual([4, 5, 6]);
    expect(store.materialise(third).map((span) => span.parent?.id ?? null)).toEqual([null, 7, 8]);
  });
});
