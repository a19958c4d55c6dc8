// Envoy's locality-weighted load balancing within one priority level (`locality_weighted_lb_config`,
// Istio `localityLbSetting.distribute`): a locality's EDS weight is scaled down once too few of its
// hosts are available, with the same overprovisioning factor as priority levels. Follows
// HostSetImpl::effectiveLocalityWeight (source/common/upstream/upstream_impl.cc), which works in
// doubles: effective = weight × min(1, overprovisioning/100 × available / total). A locality picks
// traffic in proportion to its effective weight (Envoy runs a weighted round robin over them).
//
// Rules kept: a locality with no hosts or weight 0 gets nothing; when every effective weight is 0
// no locality is picked (Envoy then balances over the priority's hosts without localities). In
// panic Envoy skips locality picking altogether and uses all hosts of the priority. Left out: zone
// aware routing (mutually exclusive with this), subset `scale_locality_weight`.
import { ENVOY_OVERPROVISIONING_FACTOR } from "./priority.ts";

export interface LocalityHosts {
  /** The locality's `load_balancing_weight` from EDS: an integer >= 0 (0 or unset: no traffic). */
  readonly weight: number;
  /** Available hosts: healthy ones (or degraded ones when picking among degraded hosts). */
  readonly available: number;
  /** All hosts of the locality in this priority. */
  readonly total: number;
}

/** weight × min(1, overprovisioningPercent / 100 × available / total); 0 for an empty locality. */
export function localityEffectiveWeight(
  locality: LocalityHosts,
  overprovisioningPercent = ENVOY_OVERPROVISIONING_FACTOR,
): number {
  checkLocality(locality);
  if (locality.total === 0) return 0;
  const availability = Math.min(
    1,
    (overprovisioningPercent / 100) * (locality.available / locality.total),
  );
  return locality.weight * availability;
}

/** Each locality's share of its priority's traffic (fractions summing to 1), or null if none can be picked. */
export function localityShares(
  localities: readonly LocalityHosts[],
  overprovisioningPercent = ENVOY_OVERPROVISIONING_FACTOR,
): number[] | null {
  if (!(Number.isSafeInteger(overprovisioningPercent) && overprovisioningPercent >= 1)) {
    throw new RangeError(
      `locality overprovisioningPercent must be an integer >= 1, got ${overprovisioningPercent}`,
    );
  }
  const effective = localities.map((l) => localityEffectiveWeight(l, overprovisioningPercent));
  let total = 0;
  for (const w of effective) total += w;
  if (total === 0) return null;
  return effective.map((w) => w / total);
}

function checkLocality(locality: LocalityHosts): void {
  for (const key of ["weight", "available", "total"] as const) {
    const value = locality[key];
    if (!(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(`locality ${key} must be a non-negative integer, got ${value}`);
    }
  }
  if (locality.available > locality.total) {
    throw new RangeError(
      `locality available (${locality.available}) exceeds total (${locality.total})`,
    );
  }
}
