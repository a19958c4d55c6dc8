// Starts a scenario's loads in a built world: each load's client proxies and request issuer, its
// k6 executor (arrival-rate executors on their own arrival stream, VU executors on the keyed
// draws), and the key space a load's requests carry, shared by every load that names the same key.
import type { KeyedDraws } from "../kernel/keyedDraws.ts";
import type { RandomStreams } from "../kernel/random.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import { startArrivals } from "../load/arrivalRate.ts";
import { AttributeDraws } from "../load/attributes.ts";
import { RequestIssuer } from "../load/issuer.ts";
import { KeySpace } from "../load/keys.ts";
import { RateProfile } from "../load/rateProfile.ts";
import { startVirtualUsers } from "../load/virtualUsers.ts";
import type { ProxyPlace } from "../mesh/upstream.ts";
import type { SimContext } from "../model/context.ts";
import type { EdgeSource } from "../model/edge.ts";
import type { LoadObserver } from "../model/observer.ts";
import type { Service } from "../model/service.ts";
import type { Mesh } from "./buildProxies.ts";
import { findService } from "./buildServices.ts";
import type { KeySpec, LoadSpec, Scenario } from "./types.ts";

/** Every load: `clients` proxies each (edge source index after the services), an issuer, its executor. */
export function startLoads(
  scenario: Scenario,
  services: readonly Service[],
  proxyFor: Mesh["proxyFor"],
  attributeNames: readonly string[],
  ctx: SimContext,
  streams: RandomStreams,
  loadObserver: LoadObserver,
): void {
  const ids = { next: 0 };
  const regions = scenario.network.regions;
  const keyNames: string[] = [];
  scenario.load.forEach((spec, loadIndex) => {
    const source: EdgeSource = { name: `load:${spec.name}`, index: services.length + loadIndex };
    const clients = Array.from({ length: spec.clients }, (_, i) =>
      proxyFor(`load/${spec.name}/client-${i}`, source, loadPlace(spec.zone, regions), null),
    );
    const target = findService(services, spec.target.service).operation(spec.target.operation);
    const keys = spec.keys === null ? null : keyedBy(spec.keys, keyNames);
    const attributes =
      spec.attributes.length === 0 ? null : new AttributeDraws(spec.attributes, attributeNames);
    const issuer = new RequestIssuer(
      loadIndex,
      target,
      clients,
      streams.get(`load/${spec.name}/requests`),
      ctx,
      loadObserver,
      ids,
      keys,
      attributes,
    );
    startLoad(spec, issuer, ctx.scheduler, streams, ctx.draws);
  });
}

/** A load client's place: its zone's region, no subzone, no pod labels; null outside every zone. */
function loadPlace(zone: string | null, regions: ReadonlyMap<string, string>): ProxyPlace | null {
  if (zone === null) return null;
  return { locality: { region: regions.get(zone) ?? "", zone, subzone: "" }, labels: {} };
}

/** Keys of the same name are the same keys whichever load sends them: one id range per name. */
function keyedBy(spec: KeySpec, keyNames: string[]): { space: KeySpace; idBase: number } {
  let slot = keyNames.indexOf(spec.name);
  if (slot < 0) slot = keyNames.push(spec.name) - 1;
  return { space: new KeySpace(spec), idBase: slot * 2 ** 32 };
}

function startLoad(
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
