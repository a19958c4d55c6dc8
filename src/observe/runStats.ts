// The statistics of one run, gathered from what the model and the load report. Only requests
// that arrived after warm-up count. Load latency is end to end from the scheduled arrival;
// service latency is the time a call spent at an instance (queue, service, downstream calls).

import type { Scheduler } from "../kernel/scheduler.ts";
import type { Call } from "../model/call.ts";
import {
  type EdgeSource,
  PROXY_EVENT_CODES,
  ProxyEvent,
  type ProxyEventCode,
} from "../model/edge.ts";
import type { Endpoint } from "../model/endpoint.ts";
import type { LoadObserver, ModelObserver } from "../model/observer.ts";
import { type EndUserRequest, isFailure } from "../model/request.ts";
import type { StateChange } from "../result/run.ts";
import { LatencyHistogram } from "./histogram.ts";
import { BucketHistogram } from "./metrics/bucketHistogram.ts";

/** ProxyEvent.try as this module's own constant, which V8 folds (an imported one is read through its module cell). */
const TRY = ProxyEvent.try;

/**
 * What monitoring counts from time 0, warm-up included (as a live Prometheus would): the run's
 * statistics above leave the warm-up out, the scraped series do not.
 */
export class LiveCounts {
  /**
   * Latencies since the last scrape, for the quantile-over-time series. Each latency is recorded
   * once (a record is the costliest part of counting a call): a measured one goes to `pending`,
   * which is folded into the run statistics' histogram (and into `window`) when read or scraped.
   */
  readonly window = new LatencyHistogram();
  private readonly pending = new LatencyHistogram();
  /** Latencies since time 0, in Prometheus buckets. */
  readonly buckets: BucketHistogram;
  /** Failures by HTTP status, since time 0. */
  readonly failures = new Map<number, number>();
  requests = 0;
  failed = 0;

  constructor(bucketsMs: readonly number[]) {
    this.buckets = new BucketHistogram(bucketsMs);
  }

  countFailure(status: number): void {
    this.failed++;
    this.failures.set(status, (this.failures.get(status) ?? 0) + 1);
  }

  /** A latency since time 0; `measured` ones also belong to the run statistics' histogram. */
  recordLatency(ms: number, measured: boolean): void {
    this.buckets.record(ms);
    if (measured) this.pending.record(ms);
    else this.window.record(ms);
  }

  /** Moves the measured latencies recorded since the last call into `total` (they stay in the window). */
  flushInto(total: LatencyHistogram): void {
    if (this.pending.count === 0) return;
    total.merge(this.pending);
    this.window.merge(this.pending);
    this.pending.reset();
  }
}

export class LoadStats {
  offered = 0;
  completed = 0;
  failed = 0;
  private readonly latencyTotal = new LatencyHistogram();
  /** Failed requests by HTTP status, e.g. { "503": 12 }. */
  readonly failures = new Map<number, number>();
  /** Since time 0: requests offered, and completed ones' latencies; failures by status. */
  readonly live: LiveCounts;
  constructor(bucketsMs: readonly number[]) {
    this.live = new LiveCounts(bucketsMs);
  }

  /** End-to-end latency of completed (successful) measured requests. */
  get latency(): LatencyHistogram {
    this.flushLatencies();
    return this.latencyTotal;
  }

  /** Brings `latency` up to date (the monitor calls it before it reads the window). */
  flushLatencies(): void {
    this.live.flushInto(this.latencyTotal);
  }
}

export class ServiceStats {
  /** Calls answered, rejections included. */
  requests = 0;
  /** Calls answered with a failure status, rejections included. */
  errors = 0;
  /** Calls turned away at once because the queue was full. */
  rejected = 0;
  private readonly latencyTotal = new LatencyHistogram();
  /** Wait for a worker slot, of calls that got one. */
  readonly queueWait = new LatencyHistogram();
  /** Since time 0: calls answered (rejections included), failures by status, answered calls' latencies. */
  readonly live: LiveCounts;
  /** Since time 0, calls answered per instance (by index in the service). */
  readonly liveByInstance: Float64Array;
  constructor(instances: number, bucketsMs: readonly number[]) {
    this.live = new LiveCounts(bucketsMs);
    this.liveByInstance = new Float64Array(instances);
  }

  /** Time at an instance of measured calls it admitted and answered. */
  get latency(): LatencyHistogram {
    this.flushLatencies();
    return this.latencyTotal;
  }

  /** Brings `latency` up to date (the monitor calls it before it reads the window). */
  flushLatencies(): void {
    this.live.flushInto(this.latencyTotal);
  }
}

/** Measured sends from one caller to one service, per instance (by the instance's index in its service). */
export class EdgeStats {
  readonly sent: Float64Array;
  /** Proxy counters (tries, retries, timeouts, ...) by ProxyEvent code. */
  readonly counts = new Float64Array(PROXY_EVENT_CODES.length);
  /** The same counters since time 0, warm-up included (for monitoring). */
  readonly liveCounts = new Float64Array(PROXY_EVENT_CODES.length);
  constructor(
    readonly source: string,
    readonly target: string,
    endpoints: number,
  ) {
    this.sent = new Float64Array(endpoints);
  }
}

export class RunStats implements ModelObserver, LoadObserver {
  readonly loads: LoadStats[];
  readonly services: ServiceStats[];
  /** Edges in the order they first carried a call (warm-up included); `measuredEdges` filters. */
  readonly edges: EdgeStats[] = [];
  private readonly edgeBySource: (EdgeStats | undefined)[][] = [];
  /** Every state change, in the order they happened (which is time order). */
  readonly stateChanges: StateChange[] = [];

  /** `instancesPerService[i]`: how many instances service i has; `bucketsMs`: the latency histograms' bounds. */
  constructor(
    loadCount: number,
    instancesPerService: readonly number[],
    private readonly scheduler: Scheduler,
    bucketsMs: readonly number[],
  ) {
    this.loads = Array.from({ length: loadCount }, () => new LoadStats(bucketsMs));
    this.services = instancesPerService.map((n) => new ServiceStats(n, bucketsMs));
  }

  /** Edges that carried a measured call (or had a measured proxy event). */
  measuredEdges(): EdgeStats[] {
    return this.edges.filter((edge) => edge.counts.some((c) => c > 0));
  }

  offered(request: EndUserRequest): void {
    const load = this.loads[request.loadIndex];
    load.live.requests++;
    if (request.measured) load.offered++;
  }

  finished(request: EndUserRequest, status: number): void {
    const load = this.loads[request.loadIndex];
    if (isFailure(status)) {
      load.live.countFailure(status);
      if (!request.measured) return;
      load.failed++;
      load.failures.set(status, (load.failures.get(status) ?? 0) + 1);
    } else {
      load.live.recordLatency(this.scheduler.now - request.scheduledAt, request.measured);
      if (request.measured) load.completed++;
    }
  }

  callSent(source: EdgeSource, call: Call, instance: Endpoint): void {
    const edge = this.edgeOf(source, call);
    edge.liveCounts[TRY]++;
    if (!call.request.measured) return;
    edge.sent[instance.index]++;
    edge.counts[TRY]++;
  }

  proxyEvent(source: EdgeSource, call: Call, event: ProxyEventCode): void {
    const edge = this.edgeOf(source, call);
    edge.liveCounts[event]++;
    if (call.request.measured) edge.counts[event]++;
  }

  stateChanged(atMs: number, component: string, from: string, to: string): void {
    this.stateChanges.push({ atMs, component, from, to });
  }

  private edgeOf(source: EdgeSource, call: Call): EdgeStats {
    const service = call.operation.service;
    const row = (this.edgeBySource[source.index] ??= []);
    let edge = row[service.index];
    if (edge === undefined) {
      const instances = this.services[service.index].liveByInstance.length;
      edge = new EdgeStats(source.name, service.name, instances);
      row[service.index] = edge;
      this.edges.push(edge);
    }
    return edge;
  }

  callStarted(call: Call, waitMs: number): void {
    if (call.request.measured) this.services[call.operation.service.index].queueWait.record(waitMs);
  }

  callAnswered(call: Call, status: number): void {
    const stats = this.services[call.operation.service.index];
    const live = stats.live;
    const measured = call.request.measured;
    live.requests++;
    stats.liveByInstance[call.instance!.index]++;
    live.recordLatency(this.scheduler.now - call.arrivedAt, measured);
    if (isFailure(status)) {
      live.countFailure(status);
      if (measured) stats.errors++;
    }
    if (measured) stats.requests++;
  }

  callRejected(call: Call, status: number): void {
    const stats = this.services[call.operation.service.index];
    stats.live.requests++;
    stats.liveByInstance[call.instance!.index]++;
    stats.live.countFailure(status);
    if (!call.request.measured) return;
    stats.requests++;
    stats.errors++;
    stats.rejected++;
  }
}
