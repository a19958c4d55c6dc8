// Puts discovery into a built world: the registry server of the scenario's kind, a registry client
// per proxy (polling or pushed, see clients.ts) holding that proxy's own snapshot, each proxy's
// active health checks, the staleness book, and the registry-outage verb of the fault timeline.
// Absent `registry` and active health checks, nothing is installed and proxies keep `control` null.
// Stream labels are `registry/...`, so turning discovery on changes no other component's draws.
import type { RandomStreams, Rng } from "../../kernel/random.ts";
import type { Scheduler } from "../../kernel/scheduler.ts";
import type { Sidecar } from "../../mesh/sidecar.ts";
import type { TrafficPolicy } from "../../mesh/spec.ts";
import type { Instance, LifecycleListener } from "../../model/instance.ts";
import type { Phase } from "../../model/instanceLife.ts";
import type { Service } from "../../model/service.ts";
import type { DiscoveryEdgeResult, DiscoveryResult } from "../../result/discovery.ts";
import { PushFanout, startPolling } from "./clients.ts";
import { type DiscoveryShared, ProxyDiscovery } from "./discovery.ts";
import { kindOf } from "./kinds.ts";
import type { StateRecorder } from "./leaseStore.ts";
import type { RegistrySpec } from "./presets.ts";
import type { RegistryContext, RegistryServer } from "./server.ts";
import { StalenessBook, type StalenessPair } from "./staleness.ts";

export interface ControlWorld {
  readonly scheduler: Scheduler;
  readonly streams: RandomStreams;
  readonly record: StateRecorder;
  readonly services: readonly Service[];
  readonly proxies: readonly Sidecar[];
}

export class ControlPlane implements DiscoveryShared, LifecycleListener {
  sentOutsideView = 0;
  readonly book: StalenessBook | null;
  private readonly server: RegistryServer | null;
  private outages = 0;

  /**
   * Installs what the scenario asks for, or returns null when it asks for nothing: a registry, or
   * active health checks in some service's traffic policy (`trafficPolicies`, by service index).
   */
  static install(
    registry: RegistrySpec | null,
    trafficPolicies: readonly TrafficPolicy[],
    world: ControlWorld,
  ): ControlPlane | null {
    const checks = trafficPolicies.some((p) => p.resilience.healthCheck !== null);
    return registry === null && !checks ? null : new ControlPlane(registry, world);
  }

  private constructor(
    private readonly spec: RegistrySpec | null,
    private readonly world: ControlWorld,
  ) {
    const { scheduler, services, proxies } = world;
    this.book = spec === null ? null : new StalenessBook(services);
    if (spec === null) {
      this.server = null;
      for (const proxy of proxies)
        proxy.control = new ProxyDiscovery(proxy.source.name, proxy.name, services, null, this);
      return;
    }
    let fanout: PushFanout | null = null;
    const ctx: RegistryContext = {
      scheduler,
      services,
      record: world.record,
      up: () => this.up(),
      stream: (label) => world.streams.get(`registry/${label}`),
      push: (snapshot) => fanout?.push(snapshot),
    };
    const kind = kindOf(spec);
    const server = kind.server(spec, ctx);
    this.server = server;
    const views = proxies.map(
      (proxy) => new ProxyDiscovery(proxy.source.name, proxy.name, services, server.served(), this),
    );
    proxies.forEach((proxy, p) => {
      proxy.control = views[p];
    });
    const rngs: Rng[] = proxies.map((proxy) => world.streams.get(`registry/client/${proxy.name}`));
    const { pushDelayMs, poll } = kind.delivery(spec);
    fanout = new PushFanout(views, rngs, scheduler, pushDelayMs, () => this.up());
    server.subscribe?.(views, rngs);
    if (poll !== null) {
      views.forEach((view, p) => {
        startPolling(
          view,
          () => server.served(),
          () => this.up(),
          scheduler,
          rngs[p],
          poll.intervalMs,
          poll.cacheTtlMs,
        );
      });
    }
    for (const service of services)
      for (const instance of service.instances) instance.addLifecycleListener(this);
  }

  get scheduler(): Scheduler {
    return this.world.scheduler;
  }

  private up(): boolean {
    return this.outages === 0;
  }

  /** The registry-outage verb: nothing reaches the registry or leaves it until the undo. */
  outage(): () => void {
    if (this.server === null)
      throw new Error("a registry-outage needs a registry (the loader checks this)");
    this.outages++;
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      this.outages--;
      if (this.outages === 0) this.server!.recovered();
    };
  }

  phaseChanged(instance: Instance, from: Phase, to: Phase, graceful: boolean): void {
    this.book?.instanceChanged(instance, this.world.scheduler.now);
    this.server?.phaseChanged(instance, from, to, graceful);
  }

  reachabilityChanged(instance: Instance): void {
    this.book?.instanceChanged(instance, this.world.scheduler.now);
    this.server?.reachabilityChanged(instance);
  }

  /** The result's `discovery` at the end of the run, or null without a registry. */
  result(now: number, round: (x: number) => number): DiscoveryResult | null {
    if (this.spec === null || this.server === null || this.book === null) return null;
    const events: Record<string, number> = {};
    for (const [state, count] of [...this.server.events()].sort((a, b) => compareText(a[0], b[0])))
      events[state] = count;
    const byEdge = new Map<string, StalenessPair[]>();
    for (const pair of this.book.all()) {
      const key = `${pair.source}->${pair.target}`;
      byEdge.set(key, [...(byEdge.get(key) ?? []), pair]);
    }
    const edges: Record<string, DiscoveryEdgeResult> = {};
    for (const key of [...byEdge.keys()].sort(compareEdgeKeys)) {
      const pairs = byEdge.get(key)!.sort((a, b) => compareIds(a.proxyName, b.proxyName));
      const perProxy: DiscoveryEdgeResult["perProxy"] = {};
      const edge: DiscoveryEdgeResult = {
        proxies: pairs.length,
        sentToDead: 0,
        sentToDraining: 0,
        staleMax: 0,
        staleMean: 0,
        unknownMax: 0,
        unknownMean: 0,
        longestStaleMs: 0,
        perProxy,
      };
      for (const pair of pairs) {
        const r = pair.result(now);
        perProxy[pair.proxyName] = {
          staleMax: r.staleMax,
          staleMean: round(r.staleMean),
          unknownMax: r.unknownMax,
          unknownMean: round(r.unknownMean),
          longestStaleMs: round(r.longestStaleMs),
          sentToDead: pair.sentToDead,
          sentToDraining: pair.sentToDraining,
          timeline: r.timeline.map(([at, stale, unknown]): [number, number, number] => [
            round(at),
            stale,
            unknown,
          ]),
          timelineTruncated: r.timelineTruncated,
        };
        edge.sentToDead += pair.sentToDead;
        edge.sentToDraining += pair.sentToDraining;
        edge.staleMax = Math.max(edge.staleMax, r.staleMax);
        edge.unknownMax = Math.max(edge.unknownMax, r.unknownMax);
        edge.longestStaleMs = Math.max(edge.longestStaleMs, r.longestStaleMs);
        edge.staleMean += r.staleMean / pairs.length;
        edge.unknownMean += r.unknownMean / pairs.length;
      }
      edge.staleMean = round(edge.staleMean);
      edge.unknownMean = round(edge.unknownMean);
      edge.longestStaleMs = round(edge.longestStaleMs);
      edges[key] = edge;
    }
    return { kind: this.spec.kind, events, edges };
  }

  /** Per edge, the sum over the caller's proxies of stale and of unknown endpoints now (for the scraped gauges). */
  gauges(): { source: string; target: string; stale: number; unknown: number }[] {
    if (this.book === null) return [];
    const sums = new Map<
      string,
      { source: string; target: string; stale: number; unknown: number }
    >();
    for (const pair of this.book.all()) {
      const key = `${pair.source}->${pair.target}`;
      const sum = sums.get(key) ?? {
        source: pair.source,
        target: pair.target,
        stale: 0,
        unknown: 0,
      };
      sum.stale += pair.stale;
      sum.unknown += pair.unknown;
      sums.set(key, sum);
    }
    return [...sums.entries()].sort((a, b) => compareEdgeKeys(a[0], b[0])).map(([, sum]) => sum);
  }
}

/** Names in natural order, so `order-2` comes before `order-10`. */
function compareIds(a: string, b: string): number {
  const x = /^(.*?)(\d+)$/.exec(a);
  const y = /^(.*?)(\d+)$/.exec(b);
  if (x !== null && y !== null && x[1] === y[1])
    return Number(x[2]) - Number(y[2]) || compareText(a, b);
  return compareText(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `source->target` keys by source, then target (as the result's `edges`). */
function compareEdgeKeys(a: string, b: string): number {
  const [as, at] = a.split("->");
  const [bs, bt] = b.split("->");
  return compareText(as, bs) || compareText(at, bt);
}
