// The span store: spans as records, a trace's list handed back whole and reused, and kept traces
// made into the Span objects the OTLP export reads, with their tree and fields intact.
import { describe, expect, it } from "vitest";
import { Reason } from "../../../src/model/call.ts";
import { SpanEnd } from "../../../src/model/tracer.ts";
import { Resource, Trace } from "../../../src/observe/tracing/span.ts";
import { NO_SPAN, SpanStore } from "../../../src/observe/tracing/spanStore.ts";
import { TraceIdSource } from "../../../src/observe/tracing/traceIds.ts";
import { SpanKind } from "../../../src/result/tracing.ts";

const LOAD = new Resource("load", "load/users/client-0", null);
const ORDER = new Resource("order", "order-1", "zone-a");
const ids = new TraceIdSource(1);

/** A root, a client span under it (a retry, hedged) and its server span: ids `base`, +1, +2. */
function threeSpans(store: SpanStore, trace: Trace, base: number) {
  const root = store.open(trace, base, NO_SPAN, SpanKind.client, LOAD, "user.get", 0, 4, 0, false);
  const client = store.open(
    trace,
    base + 1,
    root,
    SpanKind.client,
    LOAD,
    "order.create",
    1,
    3,
    2,
    true,
  );
  const server = store.open(
    trace,
    base + 2,
    client,
    SpanKind.server,
    ORDER,
    "order.create",
    2,
    0,
    0,
    false,
  );
  return { root, client, server };
}

describe("the span store", () => {
  it("makes a kept trace's records into spans with their parents, fields and errors", () => {
    const store = new SpanStore(2);
    const trace = new Trace(7, 0, 0, false, ids);
    const { root, client, server } = threeSpans(store, trace, 10);
    store.setPeer(client, "order-1");
    expect(store.close(server, 5, 503, Reason.answer)).toBe(true);
    expect(store.close(client, 6, 503, Reason.answer)).toBe(true);
    expect(store.isOpen(root)).toBe(true);
    store.closeOpen(trace, 9);
    expect(store.count(trace)).toBe(3);
    const [r, c, s] = store.materialise(trace);
    expect([r.id, c.id, s.id]).toEqual([10, 11, 12]);
    expect(r.parent).toBeNull();
    expect(c.parent).toBe(r);
    expect(s.parent).toBe(c);
    expect(r).toMatchObject({ endMs: 9, unfinished: true, outcome: "unfinished", error: false });
    expect(c).toMatchObject({ startMs: 1, endMs: 6, status: 503, attempt: 2, hedge: true });
    expect(c).toMatchObject({ peer: "order-1", error: true, answered: true });
    expect(s.resource).toEqual(ORDER);
    expect(s).toMatchObject({ kind: SpanKind.server, name: "order.create", peer: null });
  });

  it("follows OTel's error rules: a 4xx fails a client span but not a server span, a cancelled try is no error", () => {
    const store = new SpanStore();
    const trace = new Trace(1, 0, 0, false, ids);
    const { client, server } = threeSpans(store, trace, 1);
    expect(store.close(server, 3, 404, Reason.answer)).toBe(false);
    expect(store.close(client, 4, 404, Reason.answer)).toBe(true);
    const other = threeSpans(store, trace, 4);
    expect(store.close(other.client, 4, 0, SpanEnd.cancelled)).toBe(false);
    expect(store.close(other.server, 4, 0, Reason.reset)).toBe(true);
  });

  it("reuses the records of a trace let go, and grows when none is free", () => {
    const store = new SpanStore(4);
    const first = new Trace(1, 0, 0, false, ids);
    const a = threeSpans(store, first, 1);
    store.release(first);
    expect(store.count(first)).toBe(0);
    const second = new Trace(2, 0, 0, false, ids);
    const b = threeSpans(store, second, 4);
    expect(new Set([b.root, b.client, b.server])).toEqual(new Set([a.root, a.client, a.server]));
    const third = new Trace(3, 0, 0, false, ids);
    threeSpans(store, third, 7);
    expect(store.count(second)).toBe(3);
    expect(store.count(third)).toBe(3);
    // The second trace's records were not touched by the third's, which needed new ones.
    expect(store.materialise(second).map((span) => span.id)).toEqual([4, 5, 6]);
    expect(store.materialise(third).map((span) => span.parent?.id ?? null)).toEqual([null, 7, 8]);
  });
});
