// k6's open-model executors, `constant-arrival-rate` and `ramping-arrival-rate`: requests are
// started on a schedule that does not wait for earlier ones, so overload shows as queueing and
// latency counts from the scheduled time (no coordinated omission). `uniform` places the k-th
// arrival where the integrated rate Λ reaches k (k = 0, 1, ...), as k6 does, so exactly ⌈Λ⌉ are
// sent; `poisson` places them where Λ reaches a running sum of Exp(1) draws from the load's
// arrival stream. Unlike k6 there is no VU pool to exhaust: every due request is sent.
import type { Rng } from "../kernel/random.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { RequestIssuer } from "./issuer.ts";
import type { RateProfile } from "./rateProfile.ts";
import type { ArrivalProcess } from "./spec.ts";

/** Λ is a float sum: an arrival whose mass is within this relative margin of the total is past the end. */
const END_MARGIN = 1e-9;

export function startArrivals(
  profile: RateProfile,
  arrival: ArrivalProcess,
  issuer: RequestIssuer,
  scheduler: Scheduler,
  rng: Rng,
): void {
  const total = profile.totalMass;
  const limit = total - END_MARGIN * Math.max(1, total);
  let mass = arrival === "uniform" ? 0 : -Math.log(1 - rng.next());
  let count = 0;
  const arrive = (): void => {
    issuer.issue(scheduler.now, issuer.clientFor(count++));
    mass += arrival === "uniform" ? 1 : -Math.log(1 - rng.next());
    scheduleNext();
  };
  const scheduleNext = (): void => {
    if (mass < limit) scheduler.post(Math.max(scheduler.now, profile.timeAt(mass)), arrive);
  };
  scheduleNext();
}
