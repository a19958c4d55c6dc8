// Starts a scenario's loads in a built world: each k6 executor on its issuer (arrival-rate
// executors on their own arrival stream, VU executors on the keyed draws), and the key space a
// load's requests carry, shared by every load that names the same key.
import type { KeyedDraws } from "../kernel/keyedDraws.ts";
import type { RandomStreams } from "../kernel/random.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import { startArrivals } from "../load/arrivalRate.ts";
import type { RequestIssuer } from "../load/issuer.ts";
import { KeySpace } from "../load/keys.ts";
import { RateProfile } from "../load/rateProfile.ts";
import { startVirtualUsers } from "../load/virtualUsers.ts";
import type { KeySpec, LoadSpec } from "./types.ts";

/** Keys of the same name are the same keys whichever load sends them: one id range per name. */
export function keyedBy(spec: KeySpec, keyNames: string[]): { space: KeySpace; idBase: number } {
  let slot = keyNames.indexOf(spec.name);
  if (slot < 0) slot = keyNames.push(spec.name) - 1;
  return { space: new KeySpace(spec), idBase: slot * 2 ** 32 };
}

export function startLoad(
  spec: LoadSpec,
  issuer: RequestIssuer,
  scheduler: Scheduler,
  streams: RandomStreams,
  draws: KeyedDraws,
): void {
  const endMs = spec.startTimeMs + spec.durationMs;
  switch (spec.executor) {
    case "constant-arrival-rate":
      return startArrivals(
        RateProfile.constant(spec.startTimeMs, spec.durationMs, spec.ratePerMs),
        spec.arrival,
        issuer,
        scheduler,
        streams.get(`load/${spec.name}/arrivals`),
      );
    case "ramping-arrival-rate":
      return startArrivals(
        RateProfile.stages(spec.startTimeMs, spec.startRatePerMs, spec.stages),
        spec.arrival,
        issuer,
        scheduler,
        streams.get(`load/${spec.name}/arrivals`),
      );
    case "constant-vus":
      return startVirtualUsers(
        {
          startMs: spec.startTimeMs,
          endMs,
          startVUs: spec.vus,
          stages: [],
          thinkTime: spec.thinkTime,
        },
        issuer,
        scheduler,
        draws,
      );
    case "ramping-vus":
      return startVirtualUsers(
        {
          startMs: spec.startTimeMs,
          endMs,
          startVUs: spec.startVUs,
          stages: spec.stages,
          thinkTime: spec.thinkTime,
        },
        issuer,
        scheduler,
        draws,
      );
  }
}
