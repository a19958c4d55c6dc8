// The traces a run keeps, at most `max` of them. When more qualify, the ones kept are decided by a
// fixed order, so the same run keeps the same traces: traces kept by tail sampling (errored or
// slow) before those only the head sampler chose, then the higher the trace id's 56 random bits the
// better (as a lower sampling ratio would choose), then the earlier request. A max-heap with the
// worst kept trace at its root makes each offer O(log max).
import { type Trace, TraceState } from "./span.ts";
import type { SpanStore } from "./spanStore.ts";

/** Whether trace `a` ranks below trace `b` (is dropped first). */
export function ranksBelow(a: Trace, b: Trace): boolean {
  if (a.tier !== b.tier) return a.tier > b.tier;
  if (a.randomHigh !== b.randomHigh) return a.randomHigh < b.randomHigh;
  if (a.randomLowBits !== b.randomLowBits) return a.randomLowBits >>> 0 < b.randomLowBits >>> 0;
  return a.requestId > b.requestId;
}

export class KeptTraces {
  /** Max-heap by rank from the bottom: heap[0] is the first to go. */
  private readonly heap: Trace[] = [];
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
    const heap = this.heap;
    if (heap.length < this.max) {
      trace.state = TraceState.kept;
      heap.push(trace);
      this.up(heap.length - 1);
      return true;
    }
    this.overCap++;
    if (heap.length === 0 || !ranksBelow(heap[0], trace)) {
      this.store.drop(trace);
      return false;
    }
    this.store.drop(heap[0]);
    trace.state = TraceState.kept;
    heap[0] = trace;
    this.down(0);
    return true;
  }

  /** The kept traces in request order. */
  traces(): Trace[] {
    return [...this.heap].sort((a, b) => a.requestId - b.requestId);
  }

  // The sifts move the one trace along a hole instead of swapping through a destructured pair at
  // every level (a swap wrote each slot twice); the same comparisons, so the same heap.
  private up(i: number): void {
    const heap = this.heap;
    const moving = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!ranksBelow(moving, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = moving;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const moving = heap[i];
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let worst = left;
      if (!ranksBelow(heap[left], moving)) worst = -1;
      // The right child goes up if it ranks below the worse of the trace and the left child.
      if (right < n && ranksBelow(heap[right], worst === -1 ? moving : heap[left])) worst = right;
      if (worst === -1) break;
      heap[i] = heap[worst];
      i = worst;
    }
    heap[i] = moving;
  }
}
