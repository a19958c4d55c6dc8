// An earliest-deadline-first schedule over host indices, after Envoy's `EdfScheduler`
// (source/common/upstream/edf_scheduler.h): each host has one entry with a deadline; a pick takes
// the earliest deadline, moves the virtual clock there and re-queues the host at clock + 1/weight.
// Equal deadlines go first-in first-out (Envoy's `order_offset_`). Envoy's random initial picks
// (`createWithPicks`) and gRPC's random first deadlines are left out: every schedule starts at 0.
//
// Each host is always in the heap exactly once (a pick re-queues the host it took), so the heap
// is a fixed array of host indices ordered by (deadline, order), with no allocation per pick.

export class EdfSchedule {
  /** The virtual clock: the deadline of the last pick. */
  private current = 0;
  /** Next insertion number, the FIFO tie-break. */
  private nextOrder = 0;
  private readonly deadline: Float64Array;
  private readonly order: Float64Array;
  /** Host indices, a binary min-heap on (deadline, order). */
  private readonly heap: Int32Array;

  /** Queues hosts 0..n−1 in index order, each at deadline 1/weight(i). */
  constructor(
    readonly size: number,
    weight: (index: number) => number,
  ) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new Error(`an EDF schedule needs at least one host, got ${size}`);
    this.deadline = new Float64Array(size);
    this.order = new Float64Array(size);
    this.heap = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      this.deadline[i] = 1 / checkedWeight(weight(i), i);
      this.order[i] = this.nextOrder++;
      this.heap[i] = i;
    }
    for (let pos = (size >> 1) - 1; pos >= 0; pos--) this.siftDown(pos);
  }

  /** The virtual clock: the deadline of the last pick (0 before the first). */
  get clock(): number {
    return this.current;
  }

  /** The host with the earliest deadline, without taking it. */
  peek(): number {
    return this.heap[0];
  }

  /**
   * Takes the host with the earliest deadline and re-queues it at (its deadline) + 1/weight, the
   * weight being read now (Envoy's `pickAndAdd`: the picked host's weight is recomputed on re-add).
   */
  pickAndAdd(weight: (index: number) => number): number {
    const host = this.heap[0];
    this.current = this.deadline[host];
    this.deadline[host] = this.current + 1 / checkedWeight(weight(host), host);
    this.order[host] = this.nextOrder++;
    this.siftDown(0);
    return host;
  }

  private before(a: number, b: number): boolean {
    const da = this.deadline[a];
    const db = this.deadline[b];
    return da < db || (da === db && this.order[a] < this.order[b]);
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const n = this.size;
    const host = heap[start];
    let pos = start;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      if (child + 1 < n && this.before(heap[child + 1], heap[child])) child++;
      if (!this.before(heap[child], host)) break;
      heap[pos] = heap[child];
      pos = child;
    }
    heap[pos] = host;
  }
}

function checkedWeight(weight: number, index: number): number {
  if (!(weight > 0 && Number.isFinite(weight))) throw badWeight(weight, index);
  return weight;
}

// Built out of line, as lint/no-inline-error-text.grit asks of hot paths: weights are checked per pick.
function badWeight(weight: number, index: number): Error {
  return new Error(`EDF weight of host ${index} must be positive and finite, got ${weight}`);
}
