// The scraper: at every scrape tick (k × scrapeInterval on the simulated clock, taken between
// events, after every event at that time) it reads the run's counters and the model's state
// into series, tells its listeners (alert rules), and stores every `stride`-th tick. The stride
// is fixed before the run from its duration, so a long run keeps at most maxPoints per series
// and the stored points are the same whatever else the run does.
import type { MonitoringSpec } from "../../scenario/types.ts";
import type { Service } from "../../model/service.ts";
import type { Proxy } from "../../mesh/proxy.ts";
import type { LiveCounts, RunStats } from "../runStats.ts";
import { LatencyHistogram } from "../histogram.ts";
import { Families, proxyEventFamilies, WINDOW_QUANTILES } from "./catalog.ts";
import { SeriesStore, type Family, type Labels } from "./seriesStore.ts";

export interface ScrapeListener {
  /** Called at every scrape tick, after the series' current values are set. */
  onScrape(atMs: number, store: SeriesStore): void;
}

/** What the scraper reads: the run's counters and the model's live state. */
export interface Monitored {
  readonly stats: RunStats;
  readonly services: readonly Service[];
  readonly proxies: readonly Proxy[];
  readonly loadNames: readonly string[];
}

const QUANTILE_LABELS = WINDOW_QUANTILES.map(String);

export class Monitor {
  readonly store = new SeriesStore();
  readonly intervalMs: number;
  /** Every stride-th scrape is stored. */
  readonly stride: number;
  private readonly lastTick: number;
  private readonly listeners: ScrapeListener[] = [];
  private ticks = 0;
  private lastScrapeMs = 0;
  private readonly lastBusyMs: Float64Array[];
  /** Latencies since the last stored tick, when stride > 1 (else the live windows serve). */
  private readonly stepWindows = new Map<LiveCounts, LatencyHistogram>();

  constructor(private readonly source: Monitored, spec: MonitoringSpec, durationMs: number) {
    this.intervalMs = spec.scrapeIntervalMs;
    this.lastTick = Math.floor(durationMs / spec.scrapeIntervalMs);
    this.stride = Math.max(1, Math.ceil(this.lastTick / spec.maxPoints));
    this.lastBusyMs = source.services.map((s) => new Float64Array(s.instances.length));
  }

  get stepMs(): number {
    return this.intervalMs * this.stride;
  }

  /** Simulated times of every scrape tick of the run, in order. */
  tickTimes(): number[] {
    return Array.from({ length: this.lastTick }, (_, k) => (k + 1) * this.intervalMs);
  }

  addListener(listener: ScrapeListener): void {
    this.listeners.push(listener);
  }

  /** Scrapes at `atMs` (the next tick time; the clock must stand there with no event left at it). */
  scrape(atMs: number): void {
    this.ticks++;
    const stored = this.ticks % this.stride === 0 || this.ticks === this.lastTick;
    this.collect(atMs, stored);
    for (const listener of this.listeners) listener.onScrape(atMs, this.store);
    if (stored) this.store.store(atMs);
    this.lastScrapeMs = atMs;
  }

  private collect(atMs: number, stored: boolean): void {
    const { stats, services, proxies, loadNames } = this.source;
    const store = this.store;
    const set = (family: Family, labels: Labels, value: number, suffix = "") =>
      (store.seriesOf(family, family.name + suffix, labels).current = value);
    loadNames.forEach((name, i) => {
      const load = stats.loads[i];
      const labels: Labels = [["load", name]];
      set(Families.loadRequests, labels, load.live.requests, "_total");
      set(Families.loadCompleted, labels, load.live.buckets.count, "_total");
      this.setFailures(Families.loadFailed, labels, load.live);
      set(Families.loadInFlight, labels, load.live.requests - load.live.buckets.count - load.live.failed);
      this.setHistogram(Families.loadDuration, labels, load.live);
      load.settleLatencies();
      this.setWindow(Families.loadLatencyWindow, labels, load.live, stored);
    });
    const interval = atMs - this.lastScrapeMs;
    for (const service of services) {
      const s = stats.services[service.index];
      const labels: Labels = [["service", service.name]];
      let live = 0;
      for (const instance of service.instances) {
        const at: Labels = [["service", service.name], ["instance", instance.id]];
        const busy = instance.busyTimeFromZero(atMs);
        const slots = service.spec.concurrency * interval;
        set(Families.requests, at, s.liveByInstance[instance.index], "_total");
        set(Families.inFlight, at, instance.inFlight);
        set(Families.queueLength, at, instance.queueLength);
        set(Families.busySeconds, at, busy / 1000, "_total");
        set(Families.utilization, at, slots > 0 ? (busy - this.lastBusyMs[service.index][instance.index]) / slots : 0);
        const up = instance.lifecycle === "running" ? 1 : 0;
        set(Families.up, at, up);
        live += up;
        this.lastBusyMs[service.index][instance.index] = busy;
      }
      set(Families.liveInstances, labels, live);
      this.setFailures(Families.requestErrors, labels, s.live);
      this.setHistogram(Families.requestDuration, labels, s.live);
      s.settleLatencies();
      this.setWindow(Families.latencyWindow, labels, s.live, stored);
    }
    this.collectEdges(stats, proxies, set);
  }

  private collectEdges(stats: RunStats, proxies: readonly Proxy[], set: (f: Family, l: Labels, v: number, suffix?: string) => void): void {
    // Edges in name order, so the series order does not depend on which edge carried a call first.
    const edges = [...stats.edges].sort((a, b) => compareText(a.source, b.source) || compareText(a.target, b.target));
    const gauges = new Map<string, { open: number; halfOpen: number; ejected: number }>();
    for (const proxy of proxies) {
      for (const upstream of proxy.upstreamsInUse()) {
        const key = `${proxy.source.name}->${upstream.service.name}`;
        const g = gauges.get(key) ?? { open: 0, halfOpen: 0, ejected: 0 };
        const state = upstream.breaker?.state;
        if (state === "OPEN") g.open++;
        else if (state === "HALF_OPEN") g.halfOpen++;
        if (upstream.detector !== null) for (const flag of upstream.detector.ejected) g.ejected += flag;
        gauges.set(key, g);
      }
    }
    for (const edge of edges) {
      const labels: Labels = [["source", edge.source], ["target", edge.target]];
      proxyEventFamilies.forEach((family, i) => set(family, labels, edge.liveCounts[i], "_total"));
      const g = gauges.get(`${edge.source}->${edge.target}`) ?? { open: 0, halfOpen: 0, ejected: 0 };
      set(Families.breakersOpen, labels, g.open);
      set(Families.breakersHalfOpen, labels, g.halfOpen);
      set(Families.ejectedHosts, labels, g.ejected);
    }
  }

  private setFailures(family: Family, labels: Labels, live: LiveCounts): void {
    for (const status of [...live.failures.keys()].sort((a, b) => a - b)) {
      this.store.seriesOf(family, `${family.name}_total`, [...labels, ["status", String(status)]]).current = live.failures.get(status)!;
    }
  }

  private setHistogram(family: Family, labels: Labels, live: LiveCounts): void {
    const { buckets } = live;
    const cumulative = buckets.cumulative();
    buckets.leLabels.forEach((le, i) => {
      this.store.seriesOf(family, `${family.name}_bucket`, [...labels, ["le", le]]).current = cumulative[i];
    });
    this.store.seriesOf(family, `${family.name}_bucket`, [...labels, ["le", "+Inf"]]).current = buckets.count;
    this.store.seriesOf(family, `${family.name}_sum`, labels).current = buckets.sumMs / 1000;
    this.store.seriesOf(family, `${family.name}_count`, labels).current = buckets.count;
  }

  /** Quantiles over the last interval; at a stored tick, over the whole step since the last stored one. */
  private setWindow(family: Family, labels: Labels, live: LiveCounts, stored: boolean): void {
    let window = live.window;
    if (this.stride > 1) {
      let step = this.stepWindows.get(live);
      if (step === undefined) this.stepWindows.set(live, (step = new LatencyHistogram()));
      step.merge(live.window);
      if (stored) window = step;
    }
    QUANTILE_LABELS.forEach((q, i) => {
      const value = window.count === 0 ? NaN : window.quantile(WINDOW_QUANTILES[i]) / 1000;
      this.store.seriesOf(family, family.name, [...labels, ["quantile", q]]).current = value;
    });
    live.window.reset();
    if (stored && window !== live.window) window.reset();
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
