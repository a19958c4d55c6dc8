// The traces a run keeps, at most `max` of them. When more qualify, the ones kept are decided by a
// fixed order, so the same run keeps the same traces: traces kept by tail sampling (errored or
// slow) before those only the head sampler chose, then the higher the trace id's 56 random bits the
// better (as a lower sampling ratio would choose), then the earlier request. A heap with the
// worst kept trace at its root makes each offer O(log max).
import type { Trace } from "./span.ts";
import type { SpanStore } from "./spanStore.ts";

/** Whether trace `a` ranks below trace `b` (is dropped first). */
export function ranksBelow(a: Trace, b: Trace): boolean {
  if (a.tier !== b.tier) return a.tier > b.tier;
  if (a.randomHigh !== b.randomHigh) return a.randomHigh < b.randomHigh;
  if (a.randomLowBits !== b.randomLowBits) return a.randomLowBits >>> 0 < b.randomLowBits >>> 0;
  return a.requestId > b.requestId;
}

// Each heap slot's rank as three doubles side by side (KEYS to a slot), compared in order, the
// lower ranking below: the tier and the 24 high random bits and the top 28 of the 32 low ones
// (53 bits, exact), the low 4 random bits, and the request id negated. The sifts read only these,
// so each level of a sift touches one cache line of a typed array instead of two Trace objects
// scattered over the old generation (a cache miss each: the kept heap's sifts were 1-2% of the
// governed chain's loop). The same comparisons as ranksBelow, so the same heap.
const KEYS = 3;

/** Whether the rank (a1, a2, a3) is below (b1, b2, b3). */
function below(a1: number, a2: number, a3: number, b1: number, b2: number, b3: number): boolean {
  return a1 < b1 || (a1 === b1 && (a2 < b2 || (a2 === b2 && a3 < b3)));
}

/** The first of a trace's rank keys: its tier (tail first) and top 52 random bits. */
export function rankKey1(trace: Trace): number {
  return ((1 - trace.tier) * 2 ** 24 + trace.randomHigh) * 2 ** 28 + (trace.randomLow >>> 4);
}

/** The second: its lowest 4 random bits. */
export function rankKey2(trace: Trace): number {
  return trace.randomLow & 15;
}

/** The third: the earlier request ranks higher. */
export function rankKey3(trace: Trace): number {
  return -trace.requestId;
}

export class KeptTraces {
  /** Min-heap by rank: heap[0] is the first to go; keys holds each slot's rank. */
  private readonly heap: Trace[] = [];
  /** Grown (doubled, up to `max` slots) as the heap fills: `maxTraces` may be far above what a run keeps. */
  private keys = new Float64Array(16 * KEYS);
  /** Traces that qualified but were dropped (or later pushed out) for the cap. */
  overCap = 0;

  constructor(
    readonly max: number,
    /** Where the traces' spans are: a trace dropped hands them back. */
    private readonly store: SpanStore,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** Keeps `trace` if there is room or it outranks the worst kept one (which is then discarded); else discards it. */
  offer(trace: Trace): boolean {
    const traces = this.heap;
    const k1 = rankKey1(trace);
    const k2 = rankKey2(trace);
    const k3 = rankKey3(trace);
    if (traces.length < this.max) {
      if (traces.length * KEYS === this.keys.length) this.grow();
      traces.push(trace);
      this.up(traces.length - 1, trace, k1, k2, k3);
      return true;
    }
    this.overCap++;
    const keys = this.keys;
    if (traces.length === 0 || !below(keys[0], keys[1], keys[2], k1, k2, k3)) {
      this.drop(trace);
      return false;
    }
    this.drop(traces[0]);
    this.down(trace, k1, k2, k3);
    return true;
  }

  /** Lets `trace` go: its request's slot cleared, its records handed back. */
  private drop(trace: Trace): void {
    trace.letGo();
    this.store.drop(trace.root);
  }

  /** The kept traces in request order. */
  traces(): Trace[] {
    return [...this.heap].sort((a, b) => a.requestId - b.requestId);
  }

  /** Puts `trace`, of rank (k1, k2, k3), at slot `i` or above. */
  private up(i: number, trace: Trace, k1: number, k2: number, k3: number): void {
    const keys = this.keys;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = parent * KEYS;
      if (!below(k1, k2, k3, keys[p], keys[p + 1], keys[p + 2])) break;
      this.move(parent, i);
      i = parent;
    }
    this.place(i, trace, k1, k2, k3);
  }

  /** Puts `trace`, of rank (k1, k2, k3), at the root's slot or below. */
  private down(trace: Trace, k1: number, k2: number, k3: number): void {
    const n = this.heap.length;
    const keys = this.keys;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const l = left * KEYS;
      let worst = below(keys[l], keys[l + 1], keys[l + 2], k1, k2, k3) ? left : -1;
      // The right child goes up if it ranks below the worse of the trace and the left child.
      const w = worst === -1 ? -1 : l;
      const r = right * KEYS;
      if (
        right < n &&
        (w === -1
          ? below(keys[r], keys[r + 1], keys[r + 2], k1, k2, k3)
          : below(keys[r], keys[r + 1], keys[r + 2], keys[w], keys[w + 1], keys[w + 2]))
      )
        worst = right;
      if (worst === -1) break;
      this.move(worst, i);
      i = worst;
    }
    this.place(i, trace, k1, k2, k3);
  }

  private grow(): void {
    const keys = new Float64Array(Math.min(this.keys.length * 2, this.max * KEYS));
    keys.set(this.keys);
    this.keys = keys;
  }

  private move(from: number, to: number): void {
    const keys = this.keys;
    this.heap[to] = this.heap[from];
    keys[to * KEYS] = keys[from * KEYS];
    keys[to * KEYS + 1] = keys[from * KEYS + 1];
    keys[to * KEYS + 2] = keys[from * KEYS + 2];
  }

  private place(i: number, trace: Trace, k1: number, k2: number, k3: number): void {
    this.heap[i] = trace;
    const keys = this.keys;
    keys[i * KEYS] = k1;
    keys[i * KEYS + 1] = k2;
    keys[i * KEYS + 2] = k3;
  }
}
