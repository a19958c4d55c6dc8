// Envoy's priority levels and panic threshold as pure arithmetic: per priority level, how healthy it
// is, what share of the traffic it takes (Envoy's "priority load") and whether it is in panic.
// Follows LoadBalancerBase in source/extensions/load_balancing_policies/common/load_balancer_impl.cc
// (recalculatePerPriorityState, distributeLoad, recalculatePerPriorityPanic, isHostSetInPanic,
// recalculateLoadInTotalPanic, choosePriority). Left out: excluded hosts, retry priority plugins.
//
// Rules kept from Envoy's code, all in integer percent:
// - health(P) = min(100, floor(overprovisioning × healthy / total)) with overprovisioning in percent
//   (EDS `overprovisioning_factor`, default 140, i.e. 1.4); degraded(P) likewise from degraded hosts.
//   Counts may be weight sums instead (EDS `weighted_priority_health`); a level with no hosts has 0.
// - normalized total availability = min(100, Σ health + Σ degraded).
// - Healthy loads are handed out from P0 down: load(P) = min(left, floor(health(P) × 100 / normalized)),
//   then degraded loads from what is left, the same way. A rounding rest goes to the first level with
//   health > 0 (else the first with degraded > 0), so the loads always sum to 100.
// - Panic (`healthy_panic_threshold`, default 50%, 0 disables; Istio sets it to its
//   `minHealthPercent`, default 0, once a DestinationRule has outlier detection): never while the
//   normalized total is 100. Otherwise a level panics when 100 × (healthy + degraded) / total is
//   below the threshold (a level with no hosts always does). A panicking level sends its share to all
//   its hosts, healthy or not; with `fail_traffic_on_panic` it fails that share instead.
// - Total panic (every level panics): the loads are redone from host counts alone,
//   floor(100 × total(P) / Σ total), the rest to the first non-empty level. With no hosts anywhere,
//   or with the threshold at 0 and nothing available, P0 nominally takes 100 and no host can be
//   picked: Envoy answers "503 no healthy upstream".
//
// Where Envoy's documentation tables disagree with this (its code), the tests say so row by row.

export interface PriorityLevelHosts {
  /** Healthy hosts in the level (or their weight sum). */
  readonly healthy: number;
  /** Degraded hosts: used only when healthy ones cannot carry the load (default 0). */
  readonly degraded?: number;
  /** All hosts in the level, healthy or not (or their weight sum); >= healthy + degraded. */
  readonly total: number;
}

export interface PriorityConfig {
  /** Envoy `overprovisioning_factor` in percent: an integer >= 1, default 140 (a factor of 1.4). */
  readonly overprovisioningPercent: number;
  /** Envoy `healthy_panic_threshold`: a percentage in [0, 100], default 50; 0 disables panic. */
  readonly panicThresholdPercent: number;
  /** Envoy `zone_aware_lb_config.fail_traffic_on_panic`: a panicking level fails its share (default false). */
  readonly failTrafficOnPanic: boolean;
}

/**
 * Envoy's overprovisioning_factor default, 140 (1.4): also what its panic test uses where no
 * locality priorities are programmed, so a model constant here; scenario/defaults.ts reads it.
 */
export const ENVOY_OVERPROVISIONING_FACTOR = 140;

/** Which hosts of a level its share goes to: the available ones, all of them (panic), or none. */
export type HostSource = "available" | "all" | "none";

export interface PriorityLoad {
  /** Per level: health score in [0, 100] (overprovisioned healthy percentage, capped). */
  readonly health: readonly number[];
  /** Per level: the same score for degraded hosts. */
  readonly degraded: readonly number[];
  /** min(100, Σ health + Σ degraded). */
  readonly normalizedTotalAvailability: number;
  /** Per level: integer percent of requests sent to its healthy hosts (or to all hosts in panic). */
  readonly healthyLoad: readonly number[];
  /** Per level: integer percent of requests sent to its degraded hosts. */
  readonly degradedLoad: readonly number[];
  /** Per level: in panic (balances over all its hosts). */
  readonly panic: readonly boolean[];
  /** Every level panics: loads follow host counts. */
  readonly totalPanic: boolean;
  /** Per level: where its share goes. */
  readonly hostSource: readonly HostSource[];
  /** Nothing can be picked at all (no hosts, or panic disabled with nothing available): 503 UH. */
  readonly noHealthyUpstream: boolean;
}

/** The one place a PriorityConfig is built and checked. */
export function priorityConfig(config: PriorityConfig): PriorityConfig {
  const { overprovisioningPercent: over, panicThresholdPercent: panic } = config;
  if (!(Number.isSafeInteger(over) && over >= 1)) {
    throw new RangeError(
      `priority overprovisioningPercent must be an integer >= 1 (140 means 1.4), got ${over}`,
    );
  }
  if (!(Number.isFinite(panic) && panic >= 0 && panic <= 100)) {
    throw new RangeError(
      `priority panicThresholdPercent must be a percentage in [0, 100], got ${panic}`,
    );
  }
  return Object.freeze(config);
}

/** Health score of `available` out of `total` hosts: min(100, floor(over × available / total)); 0 if empty. */
export function availabilityScore(
  available: number,
  total: number,
  overprovisioningPercent: number,
): number {
  if (total === 0) return 0;
  return Math.min(100, Math.floor((overprovisioningPercent * available) / total));
}

/** Envoy's priority load, panic flags and host sources for levels P0, P1, ... (index = priority). */
export function priorityLoad(
  levels: readonly PriorityLevelHosts[],
  config: PriorityConfig,
): PriorityLoad {
  if (levels.length === 0)
    throw new RangeError("priority levels must not be empty (P0 is required)");
  levels.forEach(checkLevel);
  const over = config.overprovisioningPercent;
  const health = levels.map((l) => availabilityScore(l.healthy, l.total, over));
  const degraded = levels.map((l) => availabilityScore(l.degraded ?? 0, l.total, over));
  const normalized = Math.min(100, sum(health) + sum(degraded));
  const threshold = Math.min(100, Math.round(config.panicThresholdPercent));

  let healthyLoad = new Array<number>(levels.length).fill(0);
  let degradedLoad = new Array<number>(levels.length).fill(0);
  if (normalized > 0) {
    const afterHealthy = distribute(healthyLoad, health, 100, normalized);
    const afterDegraded = distribute(degradedLoad, degraded, afterHealthy, normalized);
    if (afterDegraded > 0) {
      const firstHealthy = health.findIndex((h) => h > 0);
      if (firstHealthy >= 0) healthyLoad[firstHealthy] += afterDegraded;
      else degradedLoad[degraded.findIndex((d) => d > 0)] += afterDegraded;
    }
  }

  const noneAvailable = threshold === 0 && normalized === 0;
  const panic = levels.map((l) => !noneAvailable && normalized < 100 && inPanic(l, threshold));
  const totalPanic = panic.every(Boolean);
  const totalHosts = sum(levels.map((l) => l.total));
  if (noneAvailable || (totalPanic && totalHosts === 0)) {
    healthyLoad = healthyLoad.map((_, i) => (i === 0 ? 100 : 0));
    degradedLoad = degradedLoad.map(() => 0);
  } else if (totalPanic) {
    healthyLoad = loadByHostCount(levels, totalHosts);
    degradedLoad = degradedLoad.map(() => 0);
  }
  const noHealthyUpstream = noneAvailable || totalHosts === 0;
  const hostSource = panic.map((p): HostSource => {
    if (noHealthyUpstream) return "none";
    if (!p) return "available";
    return config.failTrafficOnPanic ? "none" : "all";
  });
  return {
    health,
    degraded,
    normalizedTotalAvailability: normalized,
    healthyLoad,
    degradedLoad,
    panic,
    totalPanic,
    hostSource,
    noHealthyUpstream,
  };
}

export interface PriorityChoice {
  readonly priority: number;
  readonly availability: "healthy" | "degraded";
}

/**
 * Envoy's choosePriority: bucket = hash % 100 + 1 in [1, 100], walked over the healthy loads, then
 * the degraded ones. `hash` is any non-negative integer (Envoy uses a random 64-bit value or the
 * request hash); draw it from a seeded stream.
 */
export function choosePriority(load: PriorityLoad, hash: number): PriorityChoice {
  if (!(Number.isSafeInteger(hash) && hash >= 0)) {
    throw badHash(hash);
  }
  const bucket = (hash % 100) + 1;
  let cumulative = 0;
  for (let p = 0; p < load.healthyLoad.length; p++) {
    cumulative += load.healthyLoad[p];
    if (bucket <= cumulative) return { priority: p, availability: "healthy" };
  }
  for (let p = 0; p < load.degradedLoad.length; p++) {
    cumulative += load.degradedLoad[p];
    if (bucket <= cumulative) return { priority: p, availability: "degraded" };
  }
  throw badLoads(cumulative);
}

/** Envoy's distributeLoad: fills `out` from P0 down and returns the load left over. */
function distribute(
  out: number[],
  scores: readonly number[],
  total: number,
  normalized: number,
): number {
  let left = total;
  for (let p = 0; p < scores.length; p++) {
    out[p] = Math.min(left, Math.floor((scores[p] * 100) / normalized));
    left -= out[p];
  }
  return left;
}

/** Envoy's isHostSetInPanic: healthy% + degraded% (not overprovisioned) below the threshold. */
function inPanic(level: PriorityLevelHosts, threshold: number): boolean {
  if (level.total === 0) return 0 < threshold;
  const healthyPercent = (100 * level.healthy) / level.total;
  const degradedPercent = (100 * (level.degraded ?? 0)) / level.total;
  return healthyPercent + degradedPercent < threshold;
}

function loadByHostCount(levels: readonly PriorityLevelHosts[], totalHosts: number): number[] {
  const load = levels.map((l) => Math.floor((100 * l.total) / totalHosts));
  load[levels.findIndex((l) => l.total > 0)] += 100 - sum(load);
  return load;
}

function checkLevel(level: PriorityLevelHosts, p: number): void {
  const { healthy, total } = level;
  const degraded = level.degraded ?? 0;
  for (const [name, value] of [
    ["healthy", healthy],
    ["degraded", degraded],
    ["total", total],
  ] as const) {
    if (!(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(
        `priority level P${p}: ${name} must be a non-negative integer, got ${value}`,
      );
    }
  }
  if (healthy + degraded > total) {
    throw new RangeError(
      `priority level P${p}: healthy (${healthy}) + degraded (${degraded}) exceeds total (${total})`,
    );
  }
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

// Built out of line, as lint/no-inline-error-text.grit asks of hot paths: choosePriority runs per pick.
function badHash(hash: number): RangeError {
  return new RangeError(`choosePriority hash must be a non-negative safe integer, got ${hash}`);
}

function badLoads(cumulative: number): Error {
  return new Error(`priority loads sum to ${cumulative}, not 100`);
}
