// A run's events as plain data, in the order they happen: what invariant checkers and coverage
// read. One adapter turns the model's observer callbacks (objects of the simulator) into these,
// so checkers never touch the simulator's classes, and a rename inside the model changes this
// file alone. Request, call and try ids are the run's own (stable for a scenario and seed).
import type { Call } from "../model/call.ts";
import {
  type EdgeSource,
  PROXY_EVENT_NAMES,
  type ProxyEventCode,
  type ProxyEventName,
} from "../model/edge.ts";
import type { Endpoint } from "../model/endpoint.ts";
import type { RunWatcher } from "../model/observer.ts";
import type { EndUserRequest } from "../model/request.ts";

/** What a proxy counted for a try (Envoy's upstream_rq_* counters in meshsim's words). */
export type { ProxyEventName };

/** Where a try went: the sending proxy (`gateway-0`, `load/shoppers/client-0`), the service and instance. */
interface TryPlace {
  /** The end-user request. */
  request: number;
  /** The logical call (its retries and hedges share it). */
  call: number;
  /** This try (each retry and hedge is a try of its own). */
  try: number;
  proxy: string;
  service: string;
}

export type RunEvent =
  | {
      type: "offered";
      atMs: number;
      request: number;
      load: string;
      measured: boolean;
      /** When the load meant to send it (a closed-loop or late client sends later): latency counts from here. */
      scheduledAtMs: number;
    }
  | { type: "finished"; atMs: number; request: number; load: string; status: number }
  | ({
      type: "sent";
      atMs: number;
      instance: string;
      /** The proxy's cluster the host was picked from (as `hosts` events number them), or -1. */
      cluster: number;
    } & TryPlace)
  | ({ type: "tryEnded"; atMs: number; instance: string } & TryPlace)
  /** A retry took (`scheduled`) or gave back its place in its proxy's retry limit; `try` is the retry's try once it has one. */
  | ({ type: "retryCounted"; atMs: number; scheduled: boolean } & TryPlace)
  | {
      type: "hosts";
      atMs: number;
      proxy: string;
      service: string;
      /** The proxy's cluster (one per DestinationRule subset), numbered in order of first sight. */
      cluster: number;
      /** Instance ids the cluster may send to now, sorted. */
      hosts: string[];
      /** Some priority level balances over all its hosts (Envoy's panic mode). */
      panic: boolean;
    }
  | ({ type: "proxy"; atMs: number; event: ProxyEventName } & TryPlace)
  | { type: "answered"; atMs: number; request: number; instance: string; status: number }
  | { type: "rejected"; atMs: number; request: number; instance: string; status: number }
  | { type: "state"; atMs: number; component: string; from: string; to: string };

/** Turns the model's callbacks into RunEvents for `sink`; `loadNames` by load index. */
export function eventWatcher(
  loadNames: readonly string[],
  sink: (event: RunEvent) => void,
): RunWatcher {
  let clock: { readonly now: number } = { now: 0 };
  const ids = new WeakMap<Call, number>();
  let nextId = 0;
  const idOf = (call: Call): number => {
    let id = ids.get(call);
    if (id === undefined) {
      id = nextId++;
      ids.set(call, id);
    }
    return id;
  };
  const clusters = new WeakMap<object, number>();
  let nextCluster = 0;
  const clusterId = (cluster: object): number => {
    let id = clusters.get(cluster);
    if (id === undefined) {
      id = nextCluster++;
      clusters.set(cluster, id);
    }
    return id;
  };
  const place = (source: EdgeSource, call: Call): TryPlace => ({
    request: call.request.id,
    // A retry or hedge names the call it is a try of (`first`, mesh/outboundCall.ts); the first try is the call.
    call: idOf((call as { first?: Call | null }).first ?? call),
    try: idOf(call),
    // The sidecar or load client that sent it.
    proxy: call.sender?.name ?? source.name,
    service: call.operation.service.name,
  });
  return {
    attach(c) {
      clock = c;
    },
    requestOffered(request: EndUserRequest) {
      sink({
        type: "offered",
        atMs: clock.now,
        request: request.id,
        load: loadNames[request.loadIndex],
        measured: request.measured,
        scheduledAtMs: request.scheduledAt,
      });
    },
    requestFinished(request: EndUserRequest, status: number) {
      sink({
        type: "finished",
        atMs: clock.now,
        request: request.id,
        load: loadNames[request.loadIndex],
        status,
      });
    },
    callSent(source: EdgeSource, call: Call, instance: Endpoint) {
      // A sidecar's try (mesh/outboundCall.ts) knows its cluster; a bare load client's has none.
      const cluster = (call as { cluster?: object }).cluster;
      sink({
        type: "sent",
        atMs: clock.now,
        instance: instance.id,
        cluster: cluster === undefined ? -1 : clusterId(cluster),
        ...place(source, call),
      });
    },
    tryEnded(source: EdgeSource, call: Call) {
      const instance = call.instance?.id ?? "?";
      sink({ type: "tryEnded", atMs: clock.now, instance, ...place(source, call) });
    },
    retryCounted(source: EdgeSource, call: Call, scheduled: boolean) {
      sink({ type: "retryCounted", atMs: clock.now, scheduled, ...place(source, call) });
    },
    hostsChanged(atMs, proxy, service, cluster, hosts, panic) {
      sink({
        type: "hosts",
        atMs,
        proxy,
        service,
        cluster: clusterId(cluster),
        hosts: hosts.map((h) => h.id).sort(),
        panic,
      });
    },
    proxyEvent(source: EdgeSource, call: Call, event: ProxyEventCode) {
      sink({
        type: "proxy",
        atMs: clock.now,
        event: PROXY_EVENT_NAMES[event],
        ...place(source, call),
      });
    },
    callAnswered(call: Call, status: number) {
      const instance = call.instance?.id ?? "?";
      sink({ type: "answered", atMs: clock.now, request: call.request.id, instance, status });
    },
    callRejected(call: Call, status: number) {
      const instance = call.instance?.id ?? "?";
      sink({ type: "rejected", atMs: clock.now, request: call.request.id, instance, status });
    },
    stateChanged(atMs: number, component: string, from: string, to: string) {
      sink({ type: "state", atMs, component, from, to });
    },
  };
}

/** One line per event, as a violation's trail prints it. */
export function formatEvent(event: RunEvent): string {
  const t = `${event.atMs.toFixed(3)}ms`;
  switch (event.type) {
    case "offered":
      return `${t} request ${event.request} offered by load ${event.load}`;
    case "finished":
      return `${t} request ${event.request} finished with ${event.status}`;
    case "sent":
      return `${t} ${event.proxy} sent try ${event.try} (call ${event.call}, request ${event.request}) to ${event.instance}`;
    case "proxy":
      return `${t} ${event.proxy} -> ${event.service}: ${event.event} (try ${event.try}, call ${event.call}, request ${event.request})`;
    case "answered":
      return `${t} ${event.instance} answered request ${event.request} with ${event.status}`;
    case "rejected":
      return `${t} ${event.instance} rejected request ${event.request} with ${event.status}`;
    case "state":
      return `${t} ${event.component}: ${event.from} -> ${event.to}`;
    case "tryEnded":
      return `${t} ${event.proxy}: try ${event.try} (call ${event.call}, request ${event.request}) to ${event.instance} ended`;
    case "retryCounted":
      return `${t} ${event.proxy} -> ${event.service}: a retry of call ${event.call} (request ${event.request}) ${event.scheduled ? "took" : "gave back"} its place in the retry limit`;
    case "hosts":
      return `${t} ${event.proxy} -> ${event.service} cluster ${event.cluster} hosts [${event.hosts.join(", ")}]${event.panic ? " (panic)" : ""}`;
  }
}
