// The critical path on cases where the answer is known exactly: span trees built by hand, and a
// small system with constant service times and a constant 1 ms network, where every request
// takes the same path through the slower branch of a parallel group.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constant } from "../../../src/kernel/distributions.ts";
import { Reason } from "../../../src/model/call.ts";
import { addCriticalPath, CriticalPathWalk } from "../../../src/observe/tracing/criticalPath.ts";
import { Resource } from "../../../src/observe/tracing/span.ts";
import { NO_SPAN, SpanStore } from "../../../src/observe/tracing/spanStore.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import type { CallStep } from "../../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../../helpers/scenarios.ts";
import { withTracing } from "../../helpers/tracing.ts";

const HERE = new Resource("test", "test-0", null);
// A small store, so the deep tree below makes it grow.
const store = new SpanStore(4);
/** The root of the tree being made (span(null, ...) starts a new one). */
let currentRoot = NO_SPAN;

/**
 * A client span in bucket `bucket` over [start, end] (end null: still open), under the server span
 * of record `parent` (or under the root; null: the root itself). Returns its record.
 */
function span(parent: number | null, bucket: number, start: number, end: number | null): number {
  const s =
    parent === null
      ? (currentRoot = store.openRoot(0, HERE, "op", start, bucket, false))
      : store.open(currentRoot, 0, parent, HERE, "op", start, bucket, 0, false);
  if (end !== null) store.close(s, end, 200, Reason.answer);
  return s;
}

/** The server span of record `client`, in bucket `bucket` over [start, end] (end null: still open). */
function server(client: number, bucket: number, start: number, end: number | null): number {
  store.openServer(client, 0, HERE, start, bucket);
  if (end !== null) store.closeServer(client, end, 200, Reason.answer);
  return client;
}

function pathOf(root: number, buckets = 5): number[] {
  const into = new Float64Array(buckets);
  addCriticalPath(store, root, into);
  return [...into];
}

describe("the critical path of a span tree", () => {
  it("is the whole span when it has no children", () => {
    expect(pathOf(span(null, 0, 10, 25))).toEqual([15, 0, 0, 0, 0]);
  });

  it("runs through sequential children and gives the gaps to the parent", () => {
    const root = span(null, 0, 0, 100);
    span(root, 1, 10, 30);
    span(root, 2, 40, 90);
    expect(pathOf(root)).toEqual([30, 20, 50, 0, 0]);
  });

  it("takes the branch of a parallel group that finished last, and the part of the other that came before it", () => {
    // Branch 1 runs 10–60, branch 2 runs 20–80: the path is 0–10 root, 20–80 branch 2, 10–20 branch 1, 80–100 root.
    const root = span(null, 0, 0, 100);
    span(root, 1, 10, 60);
    span(root, 2, 20, 80);
    expect(pathOf(root)).toEqual([30, 10, 60, 0, 0]);
  });

  it("follows the path down through nested spans", () => {
    const root = span(null, 0, 0, 100);
    const call = server(span(root, 4, 5, 95), 1, 10, 90);
    span(call, 2, 20, 40);
    span(call, 3, 30, 70);
    // server: 70–90 self, 30–70 bucket 3, 20–30 bucket 2, 10–20 self.
    expect(pathOf(root)).toEqual([10, 30, 10, 40, 10]);
  });

  it("clips children to the parent's window: a server still working after its caller's timeout counts until the timeout", () => {
    const root = span(null, 0, 0, 50);
    server(span(root, 4, 0, 50), 1, 1, null);
    expect(pathOf(root)).toEqual([0, 49, 0, 0, 1]);
  });

  it("walks a tree deeper than its first stack, and one walker serves tree after tree", () => {
    // 40 nested spans, span k over [k, 200 - k] in bucket k % 5 (client spans at odd k, each
    // with its server span at k + 1): each but the deepest has 1 ms of self time at either end,
    // the deepest (k = 39) the 122 ms between 39 and 161.
    const deep = () => {
      const root = span(null, 0, 0, 200);
      let parent = root;
      for (let k = 1; k < 40; k++) {
        if (k % 2 === 1) parent = span(parent, k % 5, k, 200 - k);
        else server(parent, k % 5, k, 200 - k);
      }
      return root;
    };
    const expected = [0, 0, 0, 0, 0];
    for (let k = 0; k < 39; k++) expected[k % 5] += 2;
    expected[39 % 5] += 122;
    const walk = new CriticalPathWalk();
    for (let i = 0; i < 3; i++) {
      const into = new Float64Array(5);
      const deepRoot = deep();
      walk.add(store, deepRoot, into);
      expect([...into]).toEqual(expected);
      const shallow = new Float64Array(5);
      const shallowRoot = span(null, 0, 0, 100);
      span(shallowRoot, 1, 10, 60);
      span(shallowRoot, 2, 20, 80);
      walk.add(store, shallowRoot, shallow);
      // Spans handed back are reused by the next trees.
      store.drop(deepRoot);
      store.drop(shallowRoot);
      expect([...shallow]).toEqual([30, 10, 60, 0, 0]);
    }
  });

  it("gives a tie to the child that started first", () => {
    const root = span(null, 0, 0, 100);
    span(root, 1, 10, 90);
    span(root, 2, 20, 90);
    expect(pathOf(root)).toEqual([20, 80, 0, 0, 0]);
  });
});

/** A double in [min, max] with all its bits in use (fc.double favours 0 and the bounds). */
function fractional(min: number, max: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 999_983 }).map((k) => min + ((max - min) * k) / 999_983);
}

/**
 * How far a span starts after, and ends before, the span it hangs under: mostly inside it, by whole
 * or fractional amounts (so sums round, and ties are common), sometimes outside (clipped by the
 * walk) or never ended (null: still open).
 */
const inset = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 3 }),
  fractional(0, 3),
  fractional(-1, 0),
);
const window = fc.record({ after: inset, before: fc.option(inset, { freq: 8 }) });
/** A record of a random tree: its client span, its server span or none, and which earlier record (with a server) it hangs under. */
const node = fc.record({
  parentPick: fc.nat(),
  client: window,
  server: fc.option(fc.record({ bucket: fc.integer({ min: 0, max: 2 }), times: window }), {
    freq: 6,
  }),
});
const tree = fc.record({
  chain: fc.boolean(),
  root: fc.record({ start: fractional(0, 10), length: fractional(0, 40) }),
  nodes: fc.array(node, { maxLength: 10 }),
});

type Inset = { after: number; before: number | null };
type Tree = {
  chain: boolean;
  root: { start: number; length: number };
  nodes: {
    parentPick: number;
    client: Inset;
    server: { bucket: number; times: Inset } | null;
  }[];
};

/** A span's [start, end] (end -1: open) inside the window `[from, to]` of the span it hangs under. */
function placed(w: Inset, from: number, to: number): [number, number] {
  return [from + w.after, w.before === null ? -1 : to - w.before];
}

/**
 * Builds a tree in the store: a chain hangs each record under the one before (while that one has
 * a server span), any other tree under a record picked among the root and those with a server.
 * Returns its root and whether some span has two children.
 */
function build({ chain, root: times, nodes }: Tree): {
  root: number;
  branches: boolean;
} {
  const rootEnd = times.start + times.length;
  const root = store.openRoot(0, HERE, "op", times.start, 4, false);
  // Each parent with the window its children are placed in (an open span's: up to the root's end).
  const parents: [number, number, number][] = [[root, times.start, rootEnd]];
  const children = new Map<number, number>();
  for (const n of nodes) {
    const [parent, from, to] = chain
      ? parents[parents.length - 1]
      : parents[n.parentPick % parents.length];
    children.set(parent, (children.get(parent) ?? 0) + 1);
    const [start, end] = placed(n.client, from, to);
    const record = store.open(root, 0, parent, HERE, "op", start, 3, 0, false);
    if (end >= 0) store.close(record, end, 200, Reason.answer);
    if (n.server === null) {
      if (chain) break;
      continue;
    }
    const [serverStart, serverEnd] = placed(n.server.times, start, end < 0 ? rootEnd : end);
    store.openServer(record, 0, HERE, serverStart, n.server.bucket);
    if (serverEnd >= 0) store.closeServer(record, serverEnd, 200, Reason.answer);
    parents.push([record, serverStart, serverEnd < 0 ? rootEnd : serverEnd]);
  }
  store.close(root, rootEnd, 200, Reason.answer);
  return { root, branches: [...children.values()].some((n) => n > 1) };
}

/** Whether addChain takes the tree under `root` (and, when it does not, leaves its sums alone). */
function isChain(root: number, walk: CriticalPathWalk): boolean {
  const into = new Float64Array(5).fill(7);
  const chain = walk.addChain(store, root, into);
  // Not a chain: nothing added.
  if (!chain) expect([...into]).toEqual([7, 7, 7, 7, 7]);
  return chain;
}

describe("the critical path of a chain, without the walk", () => {
  it("is the walk's to the bit on random chains, and declines every other tree", () => {
    const walk = new CriticalPathWalk();
    let declined = 0;
    fc.assert(
      fc.property(tree, (t) => {
        const { root, branches } = build(t);
        const walked = new Float64Array(5);
        walk.addTree(store, root, walked);
        const fast = new Float64Array(5);
        walk.add(store, root, fast);
        // Bit for bit (Object.is tells 0 from -0).
        for (let b = 0; b < 5; b++) expect(Object.is(fast[b], walked[b])).toBe(true);
        // A chain is always taken; a tree that branches is declined when the path reaches the
        // branch (and may be taken when it does not: the walk never looks there either).
        const taken = isChain(root, walk);
        if (!branches) expect(taken).toBe(true);
        else if (!taken) declined++;
        store.drop(root);
      }),
      { numRuns: 3000 },
    );
    expect(declined).toBeGreaterThan(100);
  });
});

describe("the critical-path breakdown of a run", () => {
  // front (10 ms) → parallel [fast (30 ms), slow (50 ms)] → tail (5 ms); every hop 1 ms each way.
  // End to end: 1 + 10 + (1 + 50 + 1) + (1 + 5 + 1) + 1 = 71 ms, of which the network is 6 ms.
  const call = (service: string): CallStep => ({
    kind: "call",
    target: { service, operation: "work" },
    probability: 1,
  });
  const system = scenario({
    services: [
      station({
        name: "front",
        serviceTime: constant(10),
        concurrency: 1000,
        threading: "async",
        calls: [
          { kind: "parallel", steps: [call("fast"), call("slow")], probability: 1 },
          call("tail"),
        ],
      }),
      station({ name: "fast", serviceTime: constant(30), concurrency: 1000 }),
      station({ name: "slow", serviceTime: constant(50), concurrency: 1000 }),
      station({ name: "tail", serviceTime: constant(5), concurrency: 1000 }),
    ],
    load: [poissonLoad(50, "front")],
    durationMs: 20_000,
    warmupMs: 1_000,
    latency: constant(1),
    tracing: null,
  });

  it("attributes each hop's self time exactly, through the slower branch", () => {
    const result = runScenario(withTracing(system, { sampler: "always_off", keepErrors: false }));
    const path = result.tracing!.criticalPath.customers;
    expect(result.load.customers.latencyMs.max).toBe(71);
    expect(path.requests).toBe(result.load.customers.completed);
    expect(path.requests).toBeGreaterThan(800);
    expect(path.meanMs).toBe(71);
    const expected: Record<string, number> = { front: 10, fast: 0, slow: 50, tail: 5 };
    for (const [service, ms] of Object.entries(expected)) {
      expect(path.services[service], service).toEqual({
        p50Ms: ms,
        p99Ms: ms,
        meanMs: ms,
        share: ms === 0 ? 0 : Number((ms / 71).toPrecision(6)),
      });
    }
    expect(path.network).toEqual({
      p50Ms: 6,
      p99Ms: 6,
      meanMs: 6,
      share: Number((6 / 71).toPrecision(6)),
    });
    expect(path.client).toEqual({ p50Ms: 0, p99Ms: 0, meanMs: 0, share: 0 });
    // No trace is kept with always_off and no tail rule, yet the breakdown covers every request.
    expect(result.tracing!.traces).toBe(0);
  });

  it("moves to the other branch when it becomes the slower one", () => {
    const swapped = {
      ...system,
      services: system.services.map((s) =>
        s.name === "fast"
          ? { ...s, operations: [{ ...s.operations[0], serviceTime: constant(70) }] }
          : s,
      ),
    };
    const path = runScenario(withTracing(swapped, { sampler: "always_off" })).tracing!.criticalPath
      .customers;
    expect(path.meanMs).toBe(91);
    expect(path.services.fast.meanMs).toBe(70);
    expect(path.services.slow.meanMs).toBe(0);
  });
});
