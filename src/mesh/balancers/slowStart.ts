// Envoy slow start mode (`slow_start_config` of ROUND_ROBIN and LEAST_REQUEST; Istio DestinationRule
// `warmup`): a host that just entered the cluster gets a fraction of its weight that grows with its
// time in slow start. Follows EdfLoadBalancerBase::applySlowStartFactor (load_balancer_impl.cc):
//
//   multiplier = max(minWeightPercent / 100, timeFactor ^ (1 / aggression)) while age < window, else 1
//   timeFactor = max(age, 1 ms) / window, age in whole milliseconds (truncated, as Envoy's duration_cast)
//
// Envoy's docs write max(age, 1) in *seconds*; its code takes 1 ms, kept here. Defaults: no window
// (slow start off), `aggression` 1.0 (a linear ramp; > 1 ramps faster early, < 1 slower),
// `min_weight_percent` 10 (keeps the EDF deadline of a new host finite). Istio: `warmup.duration`,
// `minimumPercent` 10, `aggression` 1.0.
//
// When the clock starts (the caller's job; Envoy's `lastHcPassTime`): with no active health check,
// when the host joins the cluster; with one, each time the host passes from unhealthy to healthy
// through it. Envoy applies the factor only to a host that is healthy and has that mark; a host that
// fails an active check leaves slow start and re-enters it when it passes again. Left out: the
// runtime override of aggression (Envoy falls back to 1.0 on an invalid value; here it is an error).
// Known weakness, from Envoy's docs: when every host is new (a full redeploy) all ramp together, so
// slow start changes nothing; with little traffic a starving host's weight jumps when it is picked.

import type { ClusterHosts } from "./balancer.ts";

/** Envoy's names; the defaults (aggression 1.0, min_weight_percent 10) are in scenario/defaults.ts. */
export interface SlowStartConfig {
  /** Envoy `slow_start_window`, whole ms >= 1 (Envoy keeps it in milliseconds; 0 turns slow start off). */
  readonly windowMs: number;
  /** Envoy `aggression`, > 0. */
  readonly aggression: number;
  /** Envoy `min_weight_percent`, in [0, 100]. */
  readonly minWeightPercent: number;
}

/** A SlowStartConfig, checked; a null or 0 window means slow start is off (Envoy). */
export function slowStartConfig(
  windowMs: number | null,
  aggression: number,
  minWeightPercent: number,
): SlowStartConfig | null {
  if (windowMs === null || windowMs === 0) return null;
  if (!(Number.isSafeInteger(windowMs) && windowMs >= 1)) {
    throw new RangeError(`slow start windowMs must be a whole number of ms >= 1, got ${windowMs}`);
  }
  if (!(Number.isFinite(aggression) && aggression > 0)) {
    throw new RangeError(`slow start aggression must be a finite number > 0, got ${aggression}`);
  }
  if (!(Number.isFinite(minWeightPercent) && minWeightPercent >= 0 && minWeightPercent <= 100)) {
    throw new RangeError(
      `slow start minWeightPercent must be in [0, 100], got ${minWeightPercent}`,
    );
  }
  return Object.freeze({ windowMs, aggression, minWeightPercent });
}

/**
 * The factor on a host's weight `ageMs` after its slow-start clock started (see the header), in
 * [minWeightPercent / 100, 1]. 1 when slow start is off (null config), when the host has no start
 * mark (null age: Envoy leaves its weight alone), and from the end of the window on.
 */
export function slowStartMultiplier(config: SlowStartConfig | null, ageMs: number | null): number {
  if (config === null || ageMs === null) return 1;
  if (!(ageMs >= 0)) throw badAge(ageMs);
  const age = Math.floor(ageMs);
  if (age >= config.windowMs) return 1;
  const timeFactor = Math.max(age, 1) / config.windowMs;
  // Envoy skips pow when it cannot change the value.
  const ramp = config.aggression === 1 ? timeFactor : timeFactor ** (1 / config.aggression);
  return Math.max(ramp, config.minWeightPercent / 100);
}

/**
 * Envoy's noHostsAreInSlowStart, negated, as decided when a view is built: slow start is on and
 * some endpoint has a start mark (the cluster only marks hosts whose window has not run out).
 * Envoy then balances with its EDF scheduler even over equal weights, until the host set changes.
 */
export function anyInSlowStart(config: SlowStartConfig | null, hosts: ClusterHosts): boolean {
  return config !== null && hosts.joinedAt != null;
}

/** The slow-start factor of endpoint `index` of `hosts` at `now` (1 without a mark). */
export function slowStartFactorOf(
  config: SlowStartConfig,
  hosts: ClusterHosts,
  index: number,
  now: number,
): number {
  const joinedAt = hosts.joinedAt;
  if (joinedAt == null) return 1;
  const mark = joinedAt[index];
  return !Number.isNaN(mark) ? slowStartMultiplier(config, Math.max(0, now - mark)) : 1;
}

// Built out of line, as lint/no-inline-error-text.grit asks of hot paths: this runs per pick.
function badAge(ageMs: number): RangeError {
  return new RangeError(`slow start ageMs must be >= 0, got ${ageMs}`);
}
