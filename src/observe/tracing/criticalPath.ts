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
  walk(root, root.startMs, root.endMs, into);
}

function endOf(span: Span): number {
  return span.endMs < 0 ? Infinity : span.endMs;
}

/** Attributes the window [from, to] of `span` to it and to the children on its critical path. */
function walk(span: Span, from: number, to: number, into: Float64Array): void {
  let cursor = to;
  if (span.firstChild !== null) {
    for (;;) {
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
      if (best === null) break;
      into[span.bucket] += cursor - bestEnd;
      const start = Math.max(best.startMs, from);
      walk(best, start, bestEnd, into);
      cursor = start;
    }
  }
  into[span.bucket] += cursor - from;
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
    addCriticalPath(root, scratch);
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
