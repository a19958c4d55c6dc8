// The scraper: at every scrape tick (k × scrapeInterval on the simulated clock, taken between
// events, after every event at that time) it reads the run's counters and the model's state
// into series, tells its listeners (alert rules), and stores every `stride`-th tick. The stride
// is fixed before the run from its duration, so a long run keeps at most maxPoints per series
// and the stored points are the same whatever else the run does. A tick that is neither stored
// nor listened to is not collected (pay-as-you-go), unless a series may first appear at it.

import type { Service } from "../../model/service.ts";
import type { EdgeStats, LiveCounts, RunStats } from "../runStats.ts";
import type { MonitoringSpec } from "../spec.ts";
import { Families, proxyEventFamilies, WINDOW_QUANTILES } from "./catalog.ts";
import { type Family, type Labels, type Series, SeriesStore } from "./seriesStore.ts";
import { TransactionSeries, type TransactionsMonitored } from "./transactionSeries.ts";

/** The series of one load or service, found once so a scrape does no lookups. */
interface LiveHandles {
  labels: Labels;
  scalars: Series[];
  failures: Family;
  failuresByStatus: Map<number, Series>;
  buckets: (leLabels: readonly string[]) => Series[];
  bucketSeries: Series[] | null;
  sum: Series;
  count: Series;
  quantiles: Series[];
}

export interface ScrapeListener {
  /** Called at every scrape tick, after the series' current values are set. */
  onScrape(atMs: number, store: SeriesStore): void;
}

/** Per edge, how many endpoints the caller's proxies' registry views get wrong now (summed over the proxies). */
export interface DiscoveryGauges {
  gauges(): readonly { source: string; target: string; stale: number; unknown: number }[];
}

/**
 * Per edge, the caller's proxies' circuit breakers now open and half-open and the hosts their
 * outlier detection has ejected, summed over those proxies (mesh/gauges.ts offers them).
 */
export interface RecoveryGauges {
  gauges(): readonly {
    source: string;
    target: string;
    breakersOpen: number;
    breakersHalfOpen: number;
    ejectedHosts: number;
  }[];
}

/** What the scraper reads: the run's counters, the model's live state and the sidecars' gauges. */
export interface Monitored {
  readonly stats: RunStats;
  readonly services: readonly Service[];
  readonly recovery: RecoveryGauges;
  readonly loadNames: readonly string[];
  /** The registry views, when the scenario has a registry (their series exist only then). */
  readonly collectors?: readonly DiscoveryGauges[];
  /** The business ledger, when the scenario declares effects (its series exist only then). */
  readonly transactions?: TransactionsMonitored | null;
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
  private readonly loadHandles: LiveHandles[] = [];
  private readonly serviceHandles: LiveHandles[] = [];
  /** Per service, per instance: requests, in flight, queue length, busy seconds, utilisation, up. */
  private readonly instanceHandles: Series[][][] = [];
  private sortedEdges: EdgeStats[] = [];
  private readonly edgeHandles = new Map<EdgeStats, Series[]>();
  private transactionSeries: TransactionSeries | null = null;
  /** Whether a tick nobody reads may skip the collection (off only for tests' reference runs). */
  private skipsUnreadTicks = true;
  /** Ticks so far that skipped the collection (nothing read them). */
  skippedTicks = 0;
  private collectedOnce = false;

  constructor(
    private readonly source: Monitored,
    spec: MonitoringSpec,
    durationMs: number,
  ) {
    this.intervalMs = spec.scrapeIntervalMs;
    this.lastTick = Math.floor(durationMs / spec.scrapeIntervalMs);
    this.stride = Math.max(1, Math.ceil(this.lastTick / spec.maxPoints));
    this.lastBusyMs = source.services.map((s) => new Float64Array(s.instances.length));
  }

  get stepMs(): number {
    return this.intervalMs * this.stride;
  }

  /** How many scrape ticks the run has. */
  get tickCount(): number {
    return this.lastTick;
  }

  /** The simulated time of tick `k` (1-based), computed rather than listed: a long run keeps no array of them. */
  tickTime(k: number): number {
    return k * this.intervalMs;
  }

  addListener(listener: ScrapeListener): void {
    this.listeners.push(listener);
  }

  /**
   * Collects at every tick, as if something read each one: the reference that tests compare the
   * skipping of unread ticks against.
   */
  collectEveryTick(): void {
    this.skipsUnreadTicks = false;
  }

  /** Scrapes at `atMs` (the next tick time; the clock must stand there with no event left at it). */
  scrape(atMs: number): void {
    this.ticks++;
    const stored = this.ticks % this.stride === 0 || this.ticks === this.lastTick;
    if (!stored && this.listeners.length === 0 && this.skipsUnreadTicks && !this.seriesMayGrow()) {
      this.skippedTicks++;
      this.keepBusy(atMs);
    } else this.collect(atMs, stored);
    for (const listener of this.listeners) listener.onScrape(atMs, this.store);
    if (stored) this.store.store(atMs);
    this.lastScrapeMs = atMs;
  }

  /**
   * What a tick that is neither stored nor listened to must still do: keep each instance's busy
   * time, from which the next collected tick works out its utilisation over one interval. Every
   * other value a collection sets is set again from running totals at the next one, so nothing
   * reads this tick's (pay-as-you-go: a long run stores one tick in `stride`, and without alert
   * rules the rest cost a loop over the instances).
   */
  private keepBusy(atMs: number): void {
    for (const service of this.source.services) {
      const lastBusy = this.lastBusyMs[service.index];
      for (const instance of service.instances)
        lastBusy[instance.index] = instance.busyTimeFromZero(atMs);
    }
  }

  /**
   * Whether a collection now might make a series: the store keeps series in the order they were
   * first set, so a series must be made at the tick it was always made at. True before the first
   * collection, when the scenario has registry views (their edges' series appear as the views
   * do, so they are collected at every tick), when an edge carried its first call, and when a load
   * or service failed with a status for the first time. (The ledger's series are all made at the
   * first collection.)
   */
  private seriesMayGrow(): boolean {
    const { stats, services, loadNames, collectors } = this.source;
    if (!this.collectedOnce) return true;
    if ((collectors?.length ?? 0) > 0) return true;
    if (stats.edges.length !== this.sortedEdges.length) return true;
    for (let i = 0; i < loadNames.length; i++)
      if (stats.loads[i].live.failures.size !== this.loadHandles[i].failuresByStatus.size)
        return true;
    for (const service of services) {
      const live = stats.services[service.index].live;
      if (live.failures.size !== this.serviceHandles[service.index].failuresByStatus.size)
        return true;
    }
    return false;
  }

  private collect(atMs: number, stored: boolean): void {
    this.collectedOnce = true;
    const { stats, services, loadNames } = this.source;
    loadNames.forEach((name, i) => {
      const load = stats.loads[i];
      const live = load.live;
      const h = (this.loadHandles[i] ??= this.handlesOf(
        Families.loadFailed,
        Families.loadDuration,
        Families.loadLatencyWindow,
        [["load", name]],
        [
          [Families.loadRequests, "_total"],
          [Families.loadCompleted, "_total"],
          [Families.loadInFlight, ""],
        ],
      ));
      h.scalars[0].current = live.requests;
      h.scalars[1].current = live.buckets.count;
      h.scalars[2].current = live.requests - live.buckets.count - live.failed;
      if (stored || this.listeners.length > 0) load.flushLatencies();
      this.setLive(h, live, stored);
    });
    const interval = atMs - this.lastScrapeMs;
    for (const service of services) {
      const s = stats.services[service.index];
      const h = (this.serviceHandles[service.index] ??= this.handlesOf(
        Families.requestErrors,
        Families.requestDuration,
        Families.latencyWindow,
        [["service", service.name]],
        [[Families.liveInstances, ""]],
      ));
      const instanceHandles = (this.instanceHandles[service.index] ??= service.instances.map(
        (instance) => {
          const at: Labels = [
            ["service", service.name],
            ["instance", instance.id],
          ];
          const of = (family: Family, suffix = "") =>
            this.store.seriesOf(family, family.name + suffix, at);
          return [
            of(Families.requests, "_total"),
            of(Families.inFlight),
            of(Families.queueLength),
            of(Families.busySeconds, "_total"),
            of(Families.utilization),
            of(Families.up),
          ];
        },
      ));
      const lastBusy = this.lastBusyMs[service.index];
      const slots = service.spec.concurrency * interval;
      let liveInstances = 0;
      for (const instance of service.instances) {
        const [requests, inFlight, queueLength, busySeconds, utilization, up] =
          instanceHandles[instance.index];
        const busy = instance.busyTimeFromZero(atMs);
        requests.current = s.liveByInstance[instance.index];
        inFlight.current = instance.inFlight;
        queueLength.current = instance.queueLength;
        busySeconds.current = busy / 1000;
        utilization.current = slots > 0 ? (busy - lastBusy[instance.index]) / slots : 0;
        up.current = instance.processState === "running" ? 1 : 0;
        liveInstances += up.current;
        lastBusy[instance.index] = busy;
      }
      h.scalars[0].current = liveInstances;
      if (stored || this.listeners.length > 0) s.flushLatencies();
      this.setLive(h, s.live, stored);
    }
    this.collectEdges(stats);
    for (const discovery of this.source.collectors ?? []) this.collectDiscovery(discovery);
    const transactions = this.source.transactions;
    if (transactions !== undefined && transactions !== null) {
      // Made at the first scrape, so the ledger's series come after every other in the store.
      this.transactionSeries ??= new TransactionSeries(this.store, transactions);
      this.transactionSeries.collect(stored || this.listeners.length > 0);
    }
  }

  private collectDiscovery(discovery: DiscoveryGauges): void {
    for (const { source, target, stale, unknown } of discovery.gauges()) {
      const labels: Labels = [
        ["source", source],
        ["target", target],
      ];
      this.store.seriesOf(Families.endpointsStale, Families.endpointsStale.name, labels).current =
        stale;
      this.store.seriesOf(
        Families.endpointsUnknown,
        Families.endpointsUnknown.name,
        labels,
      ).current = unknown;
    }
  }

  /** The series of one load or service, made once (in the order they first appear in the store). */
  private handlesOf(
    failures: Family,
    histogram: Family,
    window: Family,
    labels: Labels,
    scalars: [Family, string][],
  ): LiveHandles {
    const store = this.store;
    const made = scalars.map(([family, suffix]) =>
      store.seriesOf(family, family.name + suffix, labels),
    );
    const buckets = (leLabels: readonly string[]) =>
      [...leLabels, "+Inf"].map((le) =>
        store.seriesOf(histogram, `${histogram.name}_bucket`, [...labels, ["le", le]]),
      );
    return {
      labels,
      scalars: made,
      failures,
      failuresByStatus: new Map(),
      buckets,
      bucketSeries: null,
      sum: store.seriesOf(histogram, `${histogram.name}_sum`, labels),
      count: store.seriesOf(histogram, `${histogram.name}_count`, labels),
      quantiles: QUANTILE_LABELS.map((q) =>
        store.seriesOf(window, window.name, [...labels, ["quantile", q]]),
      ),
    };
  }

  /** Failures by status, the Prometheus histogram and the window quantiles of `live`. */
  private setLive(h: LiveHandles, live: LiveCounts, stored: boolean): void {
    if (live.failures.size > 0) this.setFailures(h, live);
    const { buckets } = live;
    const bucketSeries = (h.bucketSeries ??= h.buckets(buckets.leLabels));
    buckets.cumulativeInto(bucketSeries);
    h.sum.current = buckets.sumMs / 1000;
    h.count.current = buckets.count;
    this.setWindow(h.quantiles, live, stored);
  }

  private setFailures(h: LiveHandles, live: LiveCounts): void {
    for (const status of [...live.failures.keys()].sort((a, b) => a - b)) {
      let series = h.failuresByStatus.get(status);
      if (series === undefined) {
        series = this.store.seriesOf(h.failures, `${h.failures.name}_total`, [
          ...h.labels,
          ["status", String(status)],
        ]);
        h.failuresByStatus.set(status, series);
      }
      series.current = live.failures.get(status)!;
    }
  }

  /**
   * Quantiles of the latencies since the last stored tick. They are worked out at stored ticks,
   * and at the others only when a listener (an alert rule) may read them.
   */
  private setWindow(quantiles: Series[], live: LiveCounts, stored: boolean): void {
    if (!stored && this.listeners.length === 0) return;
    const window = live.window;
    for (let i = 0; i < quantiles.length; i++) {
      quantiles[i].current = window.count === 0 ? NaN : window.quantile(WINDOW_QUANTILES[i]) / 1000;
    }
    if (stored) window.reset();
  }

  private collectEdges(stats: RunStats): void {
    // Edges in name order, so the series order does not depend on which edge carried a call first.
    if (stats.edges.length !== this.sortedEdges.length) {
      this.sortedEdges = [...stats.edges].sort(
        (a, b) => compareText(a.source, b.source) || compareText(a.target, b.target),
      );
    }
    const gauges = new Map(
      this.source.recovery.gauges().map((g) => [`${g.source}->${g.target}`, g]),
    );
    for (const edge of this.sortedEdges) {
      let handles = this.edgeHandles.get(edge);
      if (handles === undefined) {
        const labels: Labels = [
          ["source", edge.source],
          ["target", edge.target],
        ];
        const of = (family: Family, suffix = "") =>
          this.store.seriesOf(family, family.name + suffix, labels);
        handles = [
          ...proxyEventFamilies.map((family) => of(family, "_total")),
          of(Families.breakersOpen),
          of(Families.breakersHalfOpen),
          of(Families.ejectedHosts),
        ];
        this.edgeHandles.set(edge, handles);
      }
      const counts = edge.liveCounts;
      for (let i = 0; i < counts.length; i++) handles[i].current = counts[i];
      const g = gauges.get(`${edge.source}->${edge.target}`);
      handles[counts.length].current = g?.breakersOpen ?? 0;
      handles[counts.length + 1].current = g?.breakersHalfOpen ?? 0;
      handles[counts.length + 2].current = g?.ejectedHosts ?? 0;
    }
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
