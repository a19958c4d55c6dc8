// The span store: a try's client and server spans in one record, a trace's records handed back
// whole and reused, and kept traces made into the Span objects the OTLP export reads, in id order
// with their tree and fields intact.
import { describe, expect, it } from "vitest";
import { Reason } from "../../../src/model/call.ts";
import { EndUserRequest } from "../../../src/model/request.ts";
import { SpanEnd } from "../../../src/model/tracer.ts";
import { Resource, Trace, TraceState } from "../../../src/observe/tracing/span.ts";
import { NO_SPAN, SpanStore } from "../../../src/observe/tracing/spanStore.ts";
import { TraceIdSource } from "../../../src/observe/tracing/traceIds.ts";
import { SpanKind } from "../../../src/result/tracing.ts";

const LOAD = new Resource("load", "load/users/client-0", null);
const ORDER = new Resource("order", "order-1", "zone-a");
const ids = new TraceIdSource(1);

/** A root, a try under it (a hedge, its third) and the try's server span: ids `base`, +1, +2. */
function threeSpans(store: SpanStore, base: number) {
  const root = store.openRoot(base, LOAD, "user.get", 0, 4, false);
  const call = store.open(root, base + 1, root, LOAD, "order.create", 1, 3, 2, true);
  store.openServer(call, base + 2, ORDER, 2, 0);
  return { root, call };
}

describe("the span store", () => {
  it("makes a kept trace's records into spans with their parents, fields and errors", () => {
    const store = new SpanStore(2);
    const { root, call } = threeSpans(store, 10);
    store.setPeer(call, "order-1");
    expect(store.closeServer(call, 5, 503, Reason.answer)).toBe(true);
    expect(store.close(call, 6, 503, Reason.answer)).toBe(true);
    expect(store.isOpen(root)).toBe(true);
    store.closeOpen(root, 9);
    expect(store.count(root)).toBe(3);
    const [r, c, s] = store.materialise(root);
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
    const { call } = threeSpans(store, 1);
    expect(store.closeServer(call, 3, 404, Reason.answer)).toBe(false);
    expect(store.close(call, 4, 404, Reason.answer)).toBe(true);
    const other = threeSpans(store, 4);
    expect(store.close(other.call, 4, 0, SpanEnd.cancelled)).toBe(false);
    expect(store.closeServer(other.call, 4, 0, Reason.reset)).toBe(true);
  });

  it("lists spans by id when a server span is made after later client spans, under their own parents", () => {
    const store = new SpanStore();
    const root = store.openRoot(1, LOAD, "user.get", 0, 4, false);
    const first = store.open(root, 2, root, LOAD, "a.x", 0, 3, 0, false);
    const second = store.open(root, 3, root, LOAD, "b.y", 0, 3, 0, false);
    store.openServer(second, 4, ORDER, 1, 1);
    store.openServer(first, 5, ORDER, 1, 0);
    const below = store.open(root, 6, first, ORDER, "c.z", 2, 3, 0, false);
    store.closeOpen(root, 10);
    const spans = store.materialise(root);
    expect(spans.map((span) => span.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(spans.map((span) => span.parent?.id ?? null)).toEqual([null, 1, 1, 3, 2, 5]);
    expect(store.count(root)).toBe(6);
    expect(below).not.toBe(NO_SPAN);
  });

  it("reuses the records of a trace let go, and grows when none is free", () => {
    const store = new SpanStore(2);
    const a = threeSpans(store, 1);
    store.drop(a.root);
    const b = threeSpans(store, 4);
    expect(new Set([b.root, b.call])).toEqual(new Set([a.root, a.call]));
    const c = threeSpans(store, 7);
    expect(store.count(b.root)).toBe(3);
    expect(store.count(c.root)).toBe(3);
    // The second trace's records were not touched by the third's, which needed new ones.
    store.closeOpen(b.root, 20);
    store.closeOpen(c.root, 20);
    expect(store.materialise(b.root).map((span) => span.id)).toEqual([4, 5, 6]);
    expect(store.materialise(c.root).map((span) => span.parent?.id ?? null)).toEqual([null, 7, 8]);
  });

  it("keeps a trace's flags on its root: head sampled, and errored once any span ends in error", () => {
    const store = new SpanStore();
    const chosen = store.openRoot(1, LOAD, "user.get", 0, 4, true);
    const other = store.openRoot(2, LOAD, "user.get", 0, 4, false);
    expect([store.headSampled(chosen), store.headSampled(other)]).toEqual([true, false]);
    expect([store.errored(chosen), store.errored(other)]).toEqual([false, false]);
    store.markErrored(other);
    expect([store.errored(chosen), store.errored(other)]).toEqual([false, true]);
    // A record reused by a new root starts with no flags.
    store.drop(other);
    const next = store.openRoot(3, LOAD, "user.get", 0, 4, false);
    expect(next).toBe(other);
    expect([store.headSampled(next), store.errored(next)]).toEqual([false, false]);
  });
});

describe("a kept trace", () => {
  it("clears its request's slot when let go, so no later span joins its records", () => {
    const request = new EndUserRequest(5, 0, 0, true, 1, 2);
    request.trace = 3;
    const trace = new Trace(5, 0, 0, false, ids, 3, request);
    expect(trace.state).toBe(TraceState.kept);
    trace.letGo();
    expect(trace.state).toBe(TraceState.dropped);
    expect(request.trace).toBeNull();
  });
});
