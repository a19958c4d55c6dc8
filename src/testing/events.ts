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
  | { type: "offered"; atMs: number; request: number; load: string; measured: boolean }
  | { type: "finished"; atMs: number; request: number; load: string; status: number }
  | ({ type: "sent"; atMs: number; instance: string } & TryPlace)
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
      sink({ type: "sent", atMs: clock.now, instance: instance.id, ...place(source, call) });
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
  }
}
