// The critical path of a trace, as Jaeger's critical-path view computes it: walking back from the
// root's end, the path runs through the child that finished last (so through the slowest branch of
// a parallel group), down into it, and on from where that child started; time on the path not
// covered by a child is the span's own (self) time. Children are clipped to their parent's window
// (a child still open, such as a server working on after its caller timed out, counts as ending
// now). Ties between children ending at once go to the one started first (file order for a
// parallel group). Self time goes to a bucket: a server span's service, the network and sidecars
// (a client span's time not covered by its server span), or the load client (the root's own time,
// e.g. back-off between a load's retries).
import { roundSig } from "../../result/round.ts";
import type { CriticalPathEntry, LoadCriticalPath } from "../../result/tracing.ts";
import { LatencyHistogram } from "../histogram.ts";
import { NO_SPAN as NONE, SPAN_LAYOUT, type SpanStore } from "./spanStore.ts";

// The store's layout as this module's own constants, which V8 folds into the walk (imported
// bindings are loaded and checked at every read: see SPAN_LAYOUT).
const NO_SPAN = NONE;
const {
  INTS: SPAN_INTS,
  TIMES: SPAN_TIMES,
  FIRST_CHILD,
  NEXT_SIBLING,
  BUCKET,
  SERVER_BUCKET,
  FLAGS: FLAGS_FIELD,
  HAS_SERVER: HAS_SERVER_FLAG,
  START_MS,
  END_MS,
  SERVER_START_MS,
  SERVER_END_MS,
} = SPAN_LAYOUT;

/** Adds each bucket's self time on the critical path of the tree under a closed `root` to `into`. */
export function addCriticalPath(store: SpanStore, root: number, into: Float64Array): void {
  if (store.isOpen(root)) throw new Error("the critical path needs a closed root span");
  new CriticalPathWalk().add(store, root, into);
}

/**
 * Walks the critical path with an explicit stack: each frame attributes the window [from, cursor]
 * of its span, the child on the path taking [start, end] and the cursor moving back to its start.
 * A frame's span is a half of a store record (the record times two, plus one for its server half):
 * a client half's one child is its server half, a server half's (or the root's) children are the
 * records listed under it. The frames live in typed arrays kept between requests, so a walk
 * allocates nothing; the additions into `into` are a recursive walk's over the span tree, in its
 * order, so the sums are the same to the bit.
 */
export class CriticalPathWalk {
  private halves = new Int32Array(16);
  private froms = new Float64Array(16);
  private cursors = new Float64Array(16);
  // addChain's levels: each one's bucket and its two additions (see there).
  private buckets = new Int32Array(16);
  private downs = new Float64Array(16);
  private ups = new Float64Array(16);

  /** Adds each bucket's self time on the critical path of the tree under a closed `root` to `into`. */
  add(store: SpanStore, root: number, into: Float64Array): void {
    if (!this.addChain(store, root, into)) this.addTree(store, root, into);
  }

  /**
   * addTree's result for a chain (a tree in which no span has two children: no retry, hedge or
   * parallel call), without its stack: going down, each level's one child is chosen or not by the
   * walk's own tests, and the walk adds `cursor - end` for the level; at the bottom, the bottom
   * span's window; coming back up, each level's `start - from` (a level with one child finds
   * nothing more when the walk returns to it). The same additions in the same order, so the same
   * bits: a property test compares the two on random chains. False, and `into` untouched, if the
   * tree is not a chain (a retry, hedge or parallel call on the path). On the governed chain's
   * traces (a harness of 2 M walks, fill included) 72-77 ns against 100-105 ns through the walk;
   * in its loop's profile the critical path's share went from 4.6% to 2.8% with the change below
   * (docs/performance.md, session 9).
   */
  addChain(store: SpanStore, root: number, into: Float64Array): boolean {
    const ints = store.ints;
    const times = store.times;
    let buckets = this.buckets;
    let downs = this.downs;
    let ups = this.ups;
    let half = root * 2;
    let from = times[root * SPAN_TIMES + START_MS];
    let cursor = times[root * SPAN_TIMES + END_MS];
    let depth = 0;
    for (;;) {
      const span = half >> 1;
      let child = NO_SPAN;
      let start = 0;
      let ended = 0;
      if ((half & 1) === 0 && (ints[span * SPAN_INTS + FLAGS_FIELD] & HAS_SERVER_FLAG) !== 0) {
        child = half + 1;
        start = times[span * SPAN_TIMES + SERVER_START_MS];
        ended = times[span * SPAN_TIMES + SERVER_END_MS];
      } else {
        const first = ints[span * SPAN_INTS + FIRST_CHILD];
        if (first !== NO_SPAN) {
          if (ints[first * SPAN_INTS + NEXT_SIBLING] !== NO_SPAN) return false;
          child = first * 2;
          start = times[first * SPAN_TIMES + START_MS];
          ended = times[first * SPAN_TIMES + END_MS];
        }
      }
      if (depth === buckets.length) {
        buckets = this.buckets = grownInts(buckets);
        downs = this.downs = grown(downs);
        ups = this.ups = grown(ups);
      }
      buckets[depth] = ints[span * SPAN_INTS + ((half & 1) === 0 ? BUCKET : SERVER_BUCKET)];
      if (child === NO_SPAN || start >= cursor) break;
      const end = ended < 0 || ended > cursor ? cursor : ended;
      if (end <= from) break;
      const clipped = start > from ? start : from;
      downs[depth] = cursor - end;
      ups[depth] = clipped - from;
      depth++;
      half = child;
      from = clipped;
      cursor = end;
    }
    for (let level = 0; level < depth; level++) into[buckets[level]] += downs[level];
    into[buckets[depth]] += cursor - from;
    for (let level = depth - 1; level >= 0; level--) into[buckets[level]] += ups[level];
    return true;
  }

  /** The walk itself, for any tree under a closed `root`: adds each bucket's self time on its critical path to `into`. */
  addTree(store: SpanStore, root: number, into: Float64Array): void {
    const ints = store.ints;
    const times = store.times;
    let halves = this.halves;
    let froms = this.froms;
    let cursors = this.cursors;
    halves[0] = root * 2;
    froms[0] = times[root * SPAN_TIMES + START_MS];
    cursors[0] = times[root * SPAN_TIMES + END_MS];
    let top = 0;
    while (top >= 0) {
      const half = halves[top];
      const span = half >> 1;
      const from = froms[top];
      const cursor = cursors[top];
      let best = NO_SPAN;
      let bestEnd = from;
      let bestStart = 0;
      if ((half & 1) === 0 && (ints[span * SPAN_INTS + FLAGS_FIELD] & HAS_SERVER_FLAG) !== 0) {
        // A client span whose try reached an instance: its one child, the server span.
        const start = times[span * SPAN_TIMES + SERVER_START_MS];
        if (start < cursor) {
          const ended = times[span * SPAN_TIMES + SERVER_END_MS];
          // A child still open (end -1) counts as ending now: at the cursor.
          const end = ended < 0 || ended > cursor ? cursor : ended;
          if (end >= bestEnd && end > from) {
            best = half + 1;
            bestEnd = end;
            bestStart = start;
          }
        }
      } else {
        // Newest child first, so `>=` leaves a tie to the one made (started) first.
        for (
          let child = ints[span * SPAN_INTS + FIRST_CHILD];
          child !== NO_SPAN;
          child = ints[child * SPAN_INTS + NEXT_SIBLING]
        ) {
          const start = times[child * SPAN_TIMES + START_MS];
          if (start >= cursor) continue;
          const ended = times[child * SPAN_TIMES + END_MS];
          const end = ended < 0 || ended > cursor ? cursor : ended;
          if (end >= bestEnd && end > from) {
            best = child * 2;
            bestEnd = end;
            bestStart = start;
          }
        }
      }
      const bucket = ints[span * SPAN_INTS + ((half & 1) === 0 ? BUCKET : SERVER_BUCKET)];
      if (best === NO_SPAN) {
        into[bucket] += cursor - from;
        top--;
        continue;
      }
      into[bucket] += cursor - bestEnd;
      const start = bestStart > from ? bestStart : from;
      // Back in this frame, the walk goes on from where the child started.
      cursors[top] = start;
      top++;
      if (top === froms.length) {
        halves = this.halves = grownInts(halves);
        froms = this.froms = grown(froms);
        cursors = this.cursors = grown(cursors);
      }
      halves[top] = best;
      froms[top] = start;
      cursors[top] = bestEnd;
    }
  }
}

function grownInts(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const longer = new Int32Array(array.length * 2);
  longer.set(array);
  return longer;
}

function grown(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const longer = new Float64Array(array.length * 2);
  longer.set(array);
  return longer;
}

class LoadPaths {
  requests = 0;
  totalMs = 0;
  readonly sums: Float64Array;
  readonly histograms: LatencyHistogram[];
  constructor(buckets: number) {
    this.sums = new Float64Array(buckets);
    this.histograms = Array.from({ length: buckets }, () => new LatencyHistogram());
  }
}

/** Critical-path contributions per load and bucket (buckets: services by index, then network, then client). */
export class CriticalPathStats {
  readonly networkBucket: number;
  readonly clientBucket: number;
  private readonly loads: LoadPaths[];
  private readonly scratch: Float64Array;
  private readonly walk = new CriticalPathWalk();

  constructor(
    private readonly serviceNames: readonly string[],
    private readonly loadNames: readonly string[],
  ) {
    this.networkBucket = serviceNames.length;
    this.clientBucket = serviceNames.length + 1;
    this.scratch = new Float64Array(serviceNames.length + 2);
    this.loads = loadNames.map(() => new LoadPaths(serviceNames.length + 2));
  }

  /** Records the critical path of one request of load `loadIndex` whose root span has closed. */
  record(loadIndex: number, store: SpanStore, root: number): void {
    // The scratch is all zeros between records: each bucket is put back to 0 once read (a
    // `fill(0)` before the walk was a builtin call of about 15 ns a request).
    const scratch = this.scratch;
    this.walk.add(store, root, scratch);
    const load = this.loads[loadIndex];
    load.requests++;
    load.totalMs +=
      store.times[root * SPAN_TIMES + END_MS] - store.times[root * SPAN_TIMES + START_MS];
    for (let b = 0; b < scratch.length; b++) {
      const ms = scratch[b];
      scratch[b] = 0;
      load.sums[b] += ms;
      load.histograms[b].record(ms);
    }
  }

  summary(): Record<string, LoadCriticalPath> {
    const out: Record<string, LoadCriticalPath> = {};
    this.loadNames.forEach((name, i) => {
      const load = this.loads[i];
      const entry = (b: number): CriticalPathEntry => ({
        p50Ms: roundSig(load.histograms[b].quantile(0.5)),
        p99Ms: roundSig(load.histograms[b].quantile(0.99)),
        meanMs: roundSig(load.histograms[b].mean),
        share: load.totalMs > 0 ? roundSig(load.sums[b] / load.totalMs) : 0,
      });
      const services: Record<string, CriticalPathEntry> = {};
      this.serviceNames.forEach((service, b) => {
        services[service] = entry(b);
      });
      out[name] = {
        requests: load.requests,
        meanMs: roundSig(load.requests > 0 ? load.totalMs / load.requests : 0),
        services,
        network: entry(this.networkBucket),
        client: entry(this.clientBucket),
      };
    });
    return out;
  }
}
