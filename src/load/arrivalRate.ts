// k6's open-model executors, `constant-arrival-rate` and `ramping-arrival-rate`: requests are
// started on a schedule that does not wait for earlier ones, so overload shows as queueing and
// latency counts from the scheduled time (no coordinated omission). `poisson` draws exponential
// gaps from the load's arrival stream; `uniform` spaces arrivals exactly 1/rate apart (k6's own).
// Unlike k6, there is no VU pool to exhaust: every due request is sent.
import type { Rng } from "../kernel/random.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { ArrivalProcess } from "../scenario/types.ts";
import type { RequestIssuer } from "./issuer.ts";
import type { RateProfile } from "./rateProfile.ts";

export function startArrivals(
  profile: RateProfile,
  arrival: ArrivalProcess,
  issuer: RequestIssuer,
  scheduler: Scheduler,
  rng: Rng,
): void {
  const end = profile.endMs;
  const start = profile.segments[0].startMs;
  const mass = arrival === "poisson" ? () => -Math.log(1 - rng.next()) : () => 1;
  let count = 0;
  const arrive = (): void => {
    const now = scheduler.now;
    issuer.issue(now, issuer.clientFor(count++));
    schedule(now, mass());
  };
  const schedule = (from: number, step: number): void => {
    const next = profile.advance(from, step);
    if (next !== null && next < end) scheduler.at(next, arrive);
  };
  // Uniform arrivals start with one at the start time, as k6 does; Poisson ones after a gap.
  if (arrival === "uniform") scheduler.at(start, arrive);
  else schedule(start, mass());
}
