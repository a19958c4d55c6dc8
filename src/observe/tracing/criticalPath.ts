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
import type { Span } from "./span.ts";

/** Adds each bucket's self time on the critical path of the tree under `root` to `into`. */
export function addCriticalPath(root: Span, into: Float64Array): void {
  if (root.endMs < 0) throw new Error("the critical path needs a closed root span");
  new CriticalPathWalk().add(root, into);
}

function endOf(span: Span): number {
  return span.endMs < 0 ? Infinity : span.endMs;
}

/**
 * Walks the critical path with an explicit stack: each frame attributes the window [from, cursor]
 * of its span, the child on the path taking [start, end] and the cursor moving back to its start.
 * A recursive walk (one call per span on the path) passed its window's times as arguments, which
 * V8 boxes as heap numbers at every call: a few hundred bytes of garbage per request. The frames'
 * times live in typed arrays kept between requests; the additions into `into` are the recursive
 * walk's, in its order, so the sums are the same to the bit.
 */
export class CriticalPathWalk {
  private spans: (Span | null)[] = [];
  private froms = new Float64Array(16);
  private cursors = new Float64Array(16);

  /** Adds each bucket's self time on the critical path of the tree under a closed `root` to `into`. */
  add(root: Span, into: Float64Array): void {
    const spans = this.spans;
    let froms = this.froms;
    let cursors = this.cursors;
    spans[0] = root;
    froms[0] = root.startMs;
    cursors[0] = root.endMs;
    let top = 0;
    while (top >= 0) {
      const span = spans[top]!;
      const from = froms[top];
      const cursor = cursors[top];
      let best: Span | null = null;
      let bestEnd = from;
      // Newest child first, so `>=` leaves a tie to the one made (started) first.
      for (let child: Span | null = span.firstChild; child !== null; child = child.nextSibling) {
        if (child.startMs >= cursor) continue;
        const end = Math.min(endOf(child), cursor);
        if (end >= bestEnd && end > from) {
          best = child;
          bestEnd = end;
        }
      }
      if (best === null) {
        into[span.bucket] += cursor - from;
        spans[top] = null;
        top--;
        continue;
      }
      into[span.bucket] += cursor - bestEnd;
      const start = Math.max(best.startMs, from);
      // Back in this frame, the walk goes on from where the child started.
      cursors[top] = start;
      top++;
      if (top === froms.length) {
        froms = this.froms = grown(froms);
        cursors = this.cursors = grown(cursors);
      }
      spans[top] = best;
      froms[top] = start;
      cursors[top] = bestEnd;
    }
  }
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
  record(loadIndex: number, root: Span): void {
    const scratch = this.scratch;
    scratch.fill(0);
    this.walk.add(root, scratch);
    const load = this.loads[loadIndex];
    load.requests++;
    load.totalMs += root.endMs - root.startMs;
    for (let b = 0; b < scratch.length; b++) {
      load.sums[b] += scratch[b];
      load.histograms[b].record(scratch[b]);
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
