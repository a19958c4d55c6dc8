// The statistics of one run, gathered from what the model and the load report. Only requests
// that arrived after warm-up count. Load latency is end to end from the scheduled arrival;
// service latency is the time a call spent at an instance (queue, service, downstream calls).
import type { Call } from "../model/call.ts";
import { PROXY_EVENT_NAMES, ProxyEvent, type EdgeSource, type ModelObserver, type ProxyEventCode } from "../model/observer.ts";
import type { Instance } from "../model/instance.ts";
import { isFailure, type EndUserRequest } from "../model/request.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { LoadObserver } from "../load/issuer.ts";
import { LatencyHistogram } from "./histogram.ts";

export class LoadStats {
  offered = 0;
  completed = 0;
  failed = 0;
  /** End-to-end latency of completed (successful) requests. */
  readonly latency = new LatencyHistogram();
  /** Failed requests by HTTP status, e.g. { "503": 12 }. */
  readonly failures = new Map<number, number>();
}

export class ServiceStats {
  /** Calls answered, rejections included. */
  requests = 0;
  /** Calls answered with a failure status, rejections included. */
  errors = 0;
  /** Calls turned away at once because the queue was full. */
  rejected = 0;
  /** Time at an instance of calls it admitted and answered. */
  readonly latency = new LatencyHistogram();
  /** Wait for a worker slot, of calls that got one. */
  readonly queueWait = new LatencyHistogram();
}

/** Measured sends from one caller to one service, per instance (by the instance's index in its service). */
export class EdgeStats {
  readonly sent: Float64Array;
  /** Proxy counters (tries, retries, timeouts, ...) by ProxyEvent code. */
  readonly counts = new Float64Array(PROXY_EVENT_NAMES.length);
  constructor(readonly source: string, readonly target: string, endpoints: number) {
    this.sent = new Float64Array(endpoints);
  }
}

/** A breaker transition, an ejection or return, an instance's death or restart. */
export interface StateChange {
  atMs: number;
  component: string;
  from: string;
  to: string;
}

export class RunStats implements ModelObserver, LoadObserver {
  readonly loads: LoadStats[];
  readonly services: ServiceStats[];
  /** Edges in the order they first carried a measured call. */
  readonly edges: EdgeStats[] = [];
  private readonly edgeBySource: (EdgeStats | undefined)[][] = [];
  /** Every state change, in the order they happened (which is time order). */
  readonly stateChanges: StateChange[] = [];

  constructor(loadCount: number, serviceCount: number, private readonly scheduler: Scheduler) {
    this.loads = Array.from({ length: loadCount }, () => new LoadStats());
    this.services = Array.from({ length: serviceCount }, () => new ServiceStats());
  }

  offered(request: EndUserRequest): void {
    if (request.measured) this.loads[request.loadIndex].offered++;
  }

  finished(request: EndUserRequest, status: number): void {
    if (!request.measured) return;
    const load = this.loads[request.loadIndex];
    if (isFailure(status)) {
      load.failed++;
      load.failures.set(status, (load.failures.get(status) ?? 0) + 1);
    } else {
      load.completed++;
      load.latency.record(this.scheduler.now - request.scheduledAt);
    }
  }

  callSent(source: EdgeSource, call: Call, instance: Instance): void {
    if (!call.request.measured) return;
    const edge = this.edgeOf(source, call);
    edge.sent[instance.index]++;
    edge.counts[ProxyEvent.try]++;
  }

  proxyEvent(source: EdgeSource, call: Call, event: ProxyEventCode): void {
    if (call.request.measured) this.edgeOf(source, call).counts[event]++;
  }

  stateChanged(atMs: number, component: string, from: string, to: string): void {
    this.stateChanges.push({ atMs, component, from, to });
  }

  private edgeOf(source: EdgeSource, call: Call): EdgeStats {
    const service = call.operation.service;
    const row = (this.edgeBySource[source.index] ??= []);
    let edge = row[service.index];
    if (edge === undefined) {
      edge = new EdgeStats(source.name, service.name, service.instances.length);
      row[service.index] = edge;
      this.edges.push(edge);
    }
    return edge;
  }

  callStarted(call: Call, waitMs: number): void {
    if (call.request.measured) this.services[call.operation.service.index].queueWait.record(waitMs);
  }

  callAnswered(call: Call, status: number): void {
    if (!call.request.measured) return;
    const stats = this.services[call.operation.service.index];
    stats.requests++;
    if (isFailure(status)) stats.errors++;
    stats.latency.record(this.scheduler.now - call.arrivedAt);
  }

  callRejected(call: Call): void {
    if (!call.request.measured) return;
    const stats = this.services[call.operation.service.index];
    stats.requests++;
    stats.errors++;
    stats.rejected++;
  }
}
