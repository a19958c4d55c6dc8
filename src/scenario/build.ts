// Builds a runnable World from a typed Scenario: the clock, the seeded streams, the statistics
// observer and the context, then by job the services (buildServices.ts), the sidecars
// (buildProxies.ts), the loads (startLoads.ts), the control plane (buildControl.ts) and monitoring.
// Stream labels are stable names, so adding a service or a load never changes the draws of another;
// the order of the jobs is the order their events are scheduled in, so it is kept.

import type { ConfigCenter } from "../control/config/center.ts";
import type { Recovery } from "../control/recovery/install.ts";
import type { ControlPlane } from "../control/registry/controlPlane.ts";
import type { FaultRecord } from "../faults/spec.ts";
import { faultsFailCallsInFlight } from "../faults/verbs/index.ts";
import { KeyedDraws } from "../kernel/keyedDraws.ts";
import { RandomStreams } from "../kernel/random.ts";
import { Scheduler } from "../kernel/scheduler.ts";
import { ProxyGauges } from "../mesh/gauges.ts";
import type { MeshSecurity } from "../mesh/security/meshSecurity.ts";
import type { Sidecar } from "../mesh/sidecar.ts";
import type { SimContext } from "../model/context.ts";
import { Network } from "../model/network.ts";
import type { RunWatcher } from "../model/observer.ts";
import type { Service } from "../model/service.ts";
import { Alerting } from "../observe/alerts/alerting.ts";
import { Monitor } from "../observe/metrics/monitor.ts";
import { RunStats } from "../observe/runStats.ts";
import { Tracer } from "../observe/tracing/tracer.ts";
import { installTransactions, type Transactions } from "../transactions/install.ts";
import { installControl } from "./buildControl.ts";
import { buildProxies } from "./buildProxies.ts";
import { buildServices, slotsOf, workloadNeeded } from "./buildServices.ts";
import { startLoads } from "./startLoads.ts";
import type { Scenario } from "./types.ts";
import { WatchedObserver } from "./watched.ts";

export interface World {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly scheduler: Scheduler;
  readonly services: readonly Service[];
  readonly stats: RunStats;
  /** Fault windows, filled in as the run reaches them. */
  readonly faults: FaultRecord[];
  /** Every sidecar and load-client proxy, in build order (monitoring reads their gauges: mesh/gauges.ts). */
  readonly proxies: readonly Sidecar[];
  /** Samples the run's metrics at every scrape tick (runScenario drives it). */
  readonly monitor: Monitor;
  /** Evaluates the alert rules at every scrape (a listener of `monitor`). */
  readonly alerting: Alerting;
  /** Records spans and critical paths, or null when the scenario has no `tracing:` section. */
  readonly tracer: Tracer | null;
  /** mTLS and authorization at the inbound sidecars, or null when the scenario has no security. */
  readonly security: MeshSecurity | null;
  /** Delivers config pushes to the proxies and records their versions, or null without pushes. */
  readonly config: ConfigCenter | null;
  /** Pods over time, supervisor, autoscalers and rollouts, or null when no service's pods change. */
  readonly recovery: Recovery | null;
  /** The registry and each proxy's view of it, and active health checks; null when the scenario has neither. */
  readonly discovery: ControlPlane | null;
  /** The business ledger and idempotency stores, or null when the scenario declares no transactions. */
  readonly transactions: Transactions | null;
}

/** `watcher`: sees every model and load event as it happens, after the statistics (see watched.ts). */
export function buildWorld(
  scenario: Scenario,
  seed: number = scenario.seed,
  watcher: RunWatcher | null = null,
): World {
  const scheduler = new Scheduler();
  const streams = new RandomStreams(seed);
  const draws = new KeyedDraws();
  const stats = new RunStats(
    scenario.load.length,
    scenario.services.map((s) =>
      slotsOf(s, scenario).reduce((n, slot) => n + slot.running + slot.standby, 0),
    ),
    scheduler,
    scenario.monitoring.bucketsMs,
  );
  const observer = watcher === null ? stats : new WatchedObserver(stats, watcher);
  // The ledger learns how each request ended from the loads alone (only when the scenario has
  // transactions: the model's events, many per request, still go straight to the statistics).
  const transactions =
    scenario.transactions === null ? null : installTransactions(scenario.transactions, scheduler);
  const loadObserver = transactions === null ? observer : transactions.loadObserver(observer);
  watcher?.attach?.(scheduler);
  const tracer =
    scenario.tracing === null
      ? null
      : new Tracer(
          scenario.tracing,
          seed,
          scheduler,
          scenario.services.map((s) => s.name),
          scenario.load.map((l) => l.name),
        );
  const ctx: SimContext = {
    scheduler,
    draws,
    observer,
    warmupMs: scenario.warmupMs,
    network: new Network(
      scenario.network.latency,
      scenario.network.crossZoneLatency,
      draws,
      // Without regions no call crosses one: a zero-latency network stays instantaneous.
      scenario.network.regions.size > 0 ? scenario.network.crossRegionLatency : undefined,
    ),
    tracksCalls:
      faultsFailCallsInFlight(scenario.faults) ||
      scenario.services.some((s) => workloadNeeded(s, scenario)),
    tracer,
  };
  const services = buildServices(scenario, ctx);
  if (transactions !== null) transactions.attach(services, attributeNamesOf(scenario), ctx);
  const attributeNames = attributeNamesOf(scenario);
  // A watcher or the transactions' hooks may keep calls after their answer: then none is recycled.
  const reusesCalls = watcher === null && transactions === null;
  const mesh = buildProxies(scenario, services, attributeNames, ctx, streams, reusesCalls);
  const { proxies } = mesh;
  startLoads(scenario, services, mesh.proxyFor, attributeNames, ctx, streams, loadObserver);
  const control = installControl(scenario, ctx, { services, streams, ...mesh });
  const loadNames = scenario.load.map((l) => l.name);
  const collectors = control.discovery === null ? [] : [control.discovery];
  const monitor = new Monitor(
    { stats, services, recovery: new ProxyGauges(proxies), loadNames, collectors, transactions },
    scenario.monitoring,
    scenario.durationMs,
  );
  const alerting = new Alerting(scenario.alerts, scenario.monitoring.scrapeIntervalMs);
  if (scenario.alerts.length > 0) monitor.addListener(alerting);
  return {
    scenario,
    seed,
    scheduler,
    services,
    stats,
    faults: control.faults,
    proxies,
    monitor,
    tracer,
    alerting,
    config: control.config,
    security: control.security,
    recovery: control.recovery,
    discovery: control.discovery,
    transactions,
  };
}

/** Attribute names across all loads, in order: requests carry their values by this index. */
function attributeNamesOf(scenario: Scenario): string[] {
  return [...new Set(scenario.load.flatMap((l) => l.attributes.map((a) => a.name)))];
}
