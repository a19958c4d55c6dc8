// What the statistics need of one replication, taken out of its run result as soon as it arrives
// so a sweep of thousands of runs holds a few KB per run, not whole results: per load and service
// the latency summary and mergeable histogram, the error rate, throughput and utilisation, the
// thresholds' figures, the worst edge imbalance, the cache counts and, when the scenario declares
// effects, the business ledger's figures.
import type { EncodedHistogram } from "../result/histograms.ts";
import type { LatencySummary } from "../result/latency.ts";
import type { RunResult } from "./source.ts";

export interface LoadDigest {
  name: string;
  offered: number;
  /** Measured requests neither completed nor failed when the run ended. */
  unfinished: number;
  errorRate: number;
  throughputPerS: number;
  latency: LatencySummary;
  histogram: EncodedHistogram;
}

export interface ServiceDigest {
  name: string;
  utilization: number;
  latency: LatencySummary;
  histogram: EncodedHistogram;
}

export interface RunDigest {
  seed: number;
  events: number;
  simulatedMs: number;
  loads: LoadDigest[];
  services: ServiceDigest[];
  /** Each threshold's figure in this run, in the scenario's order. */
  thresholds: number[];
  maxImbalance: number;
  cacheHits: number;
  cacheLookups: number;
  hasCache: boolean;
  /** The ledger's figures, or null when the scenario declares no effects. */
  transactions: TransactionDigest | null;
}

/** One run's business ledger figures (result/transactions.ts), flat. */
export interface TransactionDigest {
  orders: number;
  doubleCharges: number;
  doubleChargesPerThousand: number;
  duplicateAmount: number;
  chargesWithoutOrder: number;
  orphanedReservations: number;
  compensations: number;
  compensationRetries: number;
  sagasCompleted: number;
  sagasCompensated: number;
  sagasTimedOut: number;
  replayed: number;
  conflicts: number;
  consumerDedup: number;
  lostEvents: number;
  hangingTries: number;
  inconsistencyWindowP50Ms: number;
  inconsistencyWindowP99Ms: number;
  inconsistencyWindowMaxMs: number;
}

function transactionDigest(result: RunResult): TransactionDigest | null {
  const t = (result as Partial<RunResult>).transactions;
  if (t === undefined) return null;
  return {
    orders: t.orders,
    doubleCharges: t.doubleCharges,
    doubleChargesPerThousand: t.doubleChargesPerThousand,
    duplicateAmount: t.duplicateAmount,
    chargesWithoutOrder: t.chargesWithoutOrder,
    orphanedReservations: t.orphanedReservations,
    compensations: t.compensations,
    compensationRetries: t.compensationTries?.retries ?? 0,
    sagasCompleted: t.sagas.completed,
    sagasCompensated: t.sagas.compensated,
    sagasTimedOut: t.sagas.timedOut,
    replayed: t.idempotency.replayed,
    conflicts: t.idempotency.conflicts,
    consumerDedup: t.messaging?.duplicatesAbsorbed ?? 0,
    lostEvents: t.messaging?.lostEvents ?? 0,
    hangingTries: t.tcc?.hangingTries ?? 0,
    inconsistencyWindowP50Ms: t.inconsistencyWindowMs.p50,
    inconsistencyWindowP99Ms: t.inconsistencyWindowMs.p99,
    inconsistencyWindowMaxMs: t.inconsistencyWindowMs.max,
  };
}

export function digest(result: RunResult): RunDigest {
  const histograms = result.histograms;
  if (histograms === undefined) throw new Error("an experiment's run result lacks its histograms");
  let cacheHits = 0;
  let cacheLookups = 0;
  let hasCache = false;
  for (const service of Object.values(result.services)) {
    if (service.cache === null) continue;
    hasCache = true;
    cacheHits += service.cache.hits;
    cacheLookups += service.cache.hits + service.cache.misses;
  }
  return {
    seed: result.seed,
    events: result.events,
    simulatedMs: result.simulatedMs,
    loads: Object.entries(result.load).map(([name, load]) => {
      const finished = load.completed + load.failed;
      return {
        name,
        offered: load.offered,
        unfinished: load.offered - finished,
        errorRate: finished > 0 ? load.failed / finished : 0,
        throughputPerS: load.throughputPerS,
        latency: load.latencyMs,
        histogram: histograms.load[name],
      };
    }),
    services: Object.entries(result.services).map(([name, service]) => ({
      name,
      utilization: service.utilization,
      latency: service.latencyMs,
      histogram: histograms.services[name],
    })),
    thresholds: result.thresholds.map((t) => t.actual),
    maxImbalance: Math.max(0, ...Object.values(result.edges).map((e) => e.imbalance)),
    cacheHits,
    cacheLookups,
    hasCache,
    transactions: transactionDigest(result),
  };
}

/** The result as `meshsim run --json` prints it: without the histograms the experiment asked for. */
export function withoutHistograms(result: RunResult): RunResult {
  const { histograms: _, ...rest } = result;
  return rest;
}
