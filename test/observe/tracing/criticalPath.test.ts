// The critical path on cases where the answer is known exactly: span trees built by hand, and a
// small system with constant service times and a constant 1 ms network, where every request
// takes the same path through the slower branch of a parallel group.
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
