// A run's observer with a watcher beside its statistics: every model and load event goes to the
// statistics first, then to the watcher (meshsim/testing's checkers). Built only when a run is
// watched, so an unwatched run calls its statistics directly, exactly as before.
import type { Call } from "../model/call.ts";
import type { EdgeSource, ProxyEventCode } from "../model/edge.ts";
import type { Endpoint } from "../model/endpoint.ts";
import type { LoadObserver, ModelObserver, RunWatcher } from "../model/observer.ts";
import type { EndUserRequest } from "../model/request.ts";

export class WatchedObserver implements ModelObserver, LoadObserver {
  constructor(
    private readonly stats: ModelObserver & LoadObserver,
    private readonly watcher: RunWatcher,
  ) {}

  offered(request: EndUserRequest): void {
    this.stats.offered(request);
    this.watcher.requestOffered?.(request);
  }

  finished(request: EndUserRequest, status: number): void {
    this.stats.finished(request, status);
    this.watcher.requestFinished?.(request, status);
  }

  callSent(source: EdgeSource, call: Call, instance: Endpoint): void {
    this.stats.callSent(source, call, instance);
    this.watcher.callSent?.(source, call, instance);
  }

  callStarted(call: Call, waitMs: number): void {
    this.stats.callStarted(call, waitMs);
    this.watcher.callStarted?.(call, waitMs);
  }

  callAnswered(call: Call, status: number): void {
    this.stats.callAnswered(call, status);
    this.watcher.callAnswered?.(call, status);
  }

  callRejected(call: Call, status: number): void {
    this.stats.callRejected(call, status);
    this.watcher.callRejected?.(call, status);
  }

  proxyEvent(source: EdgeSource, call: Call, event: ProxyEventCode): void {
    this.stats.proxyEvent(source, call, event);
    this.watcher.proxyEvent?.(source, call, event);
  }

  stateChanged(atMs: number, component: string, from: string, to: string): void {
    this.stats.stateChanged(atMs, component, from, to);
    this.watcher.stateChanged?.(atMs, component, from, to);
  }

  hostsChanged(
    atMs: number,
    proxy: string,
    service: string,
    cluster: object,
    hosts: readonly Endpoint[],
    panic: boolean,
  ): void {
    this.watcher.hostsChanged?.(atMs, proxy, service, cluster, hosts, panic);
  }

  tryEnded(source: EdgeSource, call: Call): void {
    this.watcher.tryEnded?.(source, call);
  }

  retryCounted(source: EdgeSource, call: Call, scheduled: boolean): void {
    this.watcher.retryCounted?.(source, call, scheduled);
  }
}
