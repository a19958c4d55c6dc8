// An up-front estimate of what a run will cost, from the scenario alone (before anything is
// built): events from the loads' rates and durations times the calls each request makes down the
// call graph, and memory from instances, client proxies, stored series, keys, caches and hash
// tables. It is an estimate (retries, faults and queues change the real figures), kept within a
// small factor on the shipped scenarios; the CLI holds it against --max-events / --max-memory.
// Leaves out tracing's spans and the reports, which are bounded by their own settings.
import { DENSE_KEYS } from "../load/keys.ts";
import type { CallStep, LoadSpec, Scenario, ServiceSpec } from "./types.ts";

/** What a user allows a run (the CLI's --max-events and --max-memory). */
export interface Budget {
  events: number;
  memoryMB: number;
}

/** Why a run is over `budget`, or null when it is within it. */
export function overBudget(estimate: CostEstimate, budget: Budget): string | null {
  const over: string[] = [];
  if (estimate.cappedEvents > budget.events) {
    const capped =
      estimate.cappedEvents < estimate.events
        ? ` (maxEvents caps it at ${estimate.cappedEvents})`
        : "";
    over.push(
      `about ${estimate.events} events for ${estimate.requests} requests${capped}, above the --max-events budget of ${budget.events}`,
    );
  }
  if (estimate.memoryMB > budget.memoryMB) {
    over.push(
      `about ${estimate.memoryMB} MiB, above the --max-memory budget of ${budget.memoryMB} MiB`,
    );
  }
  return over.length === 0 ? null : `the run is estimated at ${over.join(", and at ")}`;
}

export interface CostEstimate {
  /** Requests the loads offer over the run. */
  requests: number;
  /** Events the run would take without its event cap (calibrated on the shipped scenarios). */
  events: number;
  /** The same, capped at the scenario's maxEvents: what the run can actually take. */
  cappedEvents: number;
  /** Scrape ticks (each reads every series; not events, so maxEvents does not bound them). */
  scrapes: number;
  /** Peak memory of the process, in MiB. */
  memoryMB: number;
}

/**
 * Events per call (network legs, admission, service, answer). On the shipped scenarios the actual
 * events were 0.9–1.1× the estimate with this figure (mm1 1.1×), except retry-storm, whose retries
 * make it 3.7×: retries, hedges and faults are not estimated.
 */
const EVENTS_PER_CALL = 3.5;
/**
 * Calibrated against peak RSS (getrusage's maxrss) of the compiled CLI on Node 20, each figure
 * rounded up (`bench/memoryEstimate.ts`; the measurements are in docs/reliability.md). The base is
 * a loaded process plus the garbage a busy run keeps between collections: mm1 peaks at 80 MiB, the
 * whole checkout (330,000 requests, tracing on) at 121 MiB.
 */
const BASE_BYTES = 128 * 2 ** 20;
/** One instance with its sidecar (measured about 2.2 KB beside its series), one client proxy (2.4 KB). */
const INSTANCE_BYTES = 2_000;
const PROXY_BYTES = 3_000;
/** One stored point of a series: a time and a value, in arrays that grow by half (measured 27–31). */
const POINT_BYTES = 32;
/** Series per instance, per load or service beside its buckets, per edge (observe/metrics). */
const INSTANCE_SERIES = 6;
const LIVE_SERIES = 10;
const EDGE_SERIES = 16;
/** Bytes per key: the zipf table (measured 8–9, so 10) and the hash cache (13: xxHash64's two words, murmur3, a flag); an LRU slot (16); a hash ring point (20). */
const ZIPF_KEY_BYTES = 10;
const KEY_HASH_BYTES = 13;
const CACHE_SLOT_BYTES = 16;
const RING_POINT_BYTES = 20;

export function estimateCost(scenario: Scenario): CostEstimate {
  const services = new Map(scenario.services.map((s) => [s.name, s]));
  const callsOf = callCounter(services);
  let requests = 0;
  let calls = 0;
  for (const load of scenario.load) {
    const offered = offeredRequests(load, scenario, services);
    requests += offered;
    calls += offered * callsOf(load.target.service, load.target.operation);
  }
  const events = Math.ceil(calls * EVENTS_PER_CALL);
  return {
    requests: Math.round(requests),
    events,
    cappedEvents: Math.min(events, scenario.maxEvents),
    scrapes: Math.floor(scenario.durationMs / scenario.monitoring.scrapeIntervalMs),
    memoryMB: Math.ceil(memoryBytes(scenario) / 2 ** 20),
  };
}

/** Expected calls one request to `service.operation` makes, itself included (the graph has no cycles). */
function callCounter(services: Map<string, ServiceSpec>) {
  const memo = new Map<string, number>();
  const count = (service: string, operation: string): number => {
    const key = `${service}.${operation}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const op = services.get(service)?.operations.find((o) => o.name === operation);
    const steps = (list: readonly CallStep[]): number =>
      list.reduce(
        (sum, step) =>
          sum +
          step.probability *
            (step.kind === "call"
              ? count(step.target.service, step.target.operation)
              : steps(step.steps)),
        0,
      );
    const total = 1 + (op === undefined ? 0 : steps(op.calls));
    memo.set(key, total);
    return total;
  };
  return count;
}

function offeredRequests(
  load: LoadSpec,
  scenario: Scenario,
  services: Map<string, ServiceSpec>,
): number {
  const runs = Math.max(0, Math.min(load.durationMs, scenario.durationMs - load.startTimeMs));
  switch (load.executor) {
    case "constant-arrival-rate":
      return load.ratePerMs * runs;
    case "ramping-arrival-rate":
      return integrate(load.startRatePerMs, load.stages);
    case "constant-vus":
    case "ramping-vus": {
      // Each VU sends, waits for the answer and thinks: at most one request per (think + service) time.
      const op = services
        .get(load.target.service)
        ?.operations.find((o) => o.name === load.target.operation);
      const cycleMs = Math.max(1e-3, load.thinkTime.mean + (op?.serviceTime.mean ?? 0));
      const vuMs =
        load.executor === "constant-vus" ? load.vus * runs : integrate(load.startVUs, load.stages);
      return vuMs / cycleMs;
    }
  }
}

/** The area under a k6 ramp from `start` through `stages` (linear between targets). */
function integrate(
  start: number,
  stages: readonly { durationMs: number; target: number }[],
): number {
  let level = start;
  let area = 0;
  for (const stage of stages) {
    area += ((level + stage.target) / 2) * stage.durationMs;
    level = stage.target;
  }
  return area;
}

function memoryBytes(scenario: Scenario): number {
  const scrapes = Math.floor(scenario.durationMs / scenario.monitoring.scrapeIntervalMs);
  const points = Math.min(scrapes, scenario.monitoring.maxPoints);
  const seriesBytes = (series: number) => series * points * POINT_BYTES;
  const buckets = scenario.monitoring.bucketsMs.length + 1;
  let instances = 0;
  let cacheBytes = 0;
  for (const service of scenario.services) {
    const count = Math.max(service.instances, service.autoscaling?.maxReplicas ?? 0);
    instances += count;
    if (service.cache !== null) cacheBytes += count * service.cache.capacity * CACHE_SLOT_BYTES;
  }
  const clients = scenario.load.reduce((n, l) => n + l.clients, 0);
  const proxies = instances + clients;
  let keyBytes = 0;
  for (const load of scenario.load) {
    if (load.keys === null) continue;
    const perKey = load.keys.distribution.kind === "zipf" ? ZIPF_KEY_BYTES : 0;
    // Beyond DENSE_KEYS the hash cache holds only the keys drawn (bounded by the requests).
    const hashBytes = load.keys.count <= DENSE_KEYS ? KEY_HASH_BYTES : 0;
    keyBytes += load.keys.count * (perKey + hashBytes);
  }
  const edges = edgeCount(scenario);
  const live = (scenario.load.length + scenario.services.length) * (LIVE_SERIES + buckets);
  return (
    BASE_BYTES +
    instances * INSTANCE_BYTES +
    proxies * PROXY_BYTES +
    seriesBytes(instances * INSTANCE_SERIES + live + edges * EDGE_SERIES) +
    keyBytes +
    cacheBytes +
    proxies * hashTableBytes(scenario)
  );
}

/** Caller → callee pairs: each has a set of series. */
function edgeCount(scenario: Scenario): number {
  const pairs = new Set(scenario.load.map((l) => `load:${l.name}->${l.target.service}`));
  const visit = (from: string, steps: readonly CallStep[]) => {
    for (const step of steps) {
      if (step.kind === "call") pairs.add(`${from}->${step.target.service}`);
      else visit(from, step.steps);
    }
  };
  for (const service of scenario.services)
    for (const op of service.operations) visit(service.name, op.calls);
  return pairs.size;
}

/** The largest hash table one proxy may build for one upstream (ring-hash and Maglev policies). */
function hashTableBytes(scenario: Scenario): number {
  let most = 0;
  for (const service of scenario.services) {
    const lb = service.trafficPolicy.loadBalancer;
    if (lb.policy === "ring-hash") most = Math.max(most, lb.minimumRingSize * RING_POINT_BYTES);
    if (lb.policy === "maglev") most = Math.max(most, lb.tableSize * 4);
  }
  return most;
}
