// "Sometimes" assertions (Antithesis): states a run should reach now and then, so a swarm can say
// how many seeds exercised what a user cares about. A probe watches the run's events and says
// whether the state was reached; it never fails a run. Built-in probes name governance states;
// users add their own with `sometimes(name, predicate)`.
import { faultEndMs } from "../faults/spec.ts";
import type { Scenario } from "../scenario/types.ts";
import { edgeOf, serviceOfInstance } from "./checkers/components.ts";
import { ejectionCap } from "./checkers/outlierEjectionCap.ts";
import type { RunEvent } from "./events.ts";

export interface Probe {
  readonly name: string;
  /** One run's watch: true once the state is reached (later events are not shown to it). */
  watch(scenario: Scenario): (event: RunEvent) => boolean;
}

/** A probe from a predicate on single events. */
export function sometimes(name: string, reached: (event: RunEvent) => boolean): Probe {
  return { name, watch: () => reached };
}

const stateTo = (prefix: string, to: string) => (e: RunEvent) =>
  e.type === "state" && e.component.startsWith(prefix) && e.to === to;
const proxyCounted = (event: string) => (e: RunEvent) => e.type === "proxy" && e.event === event;

/** A breaker that went HALF_OPEN → CLOSED: the upstream recovered and the breaker saw it. */
const breakerRecovered = (e: RunEvent) =>
  e.type === "state" &&
  e.component.startsWith("breaker ") &&
  e.from === "HALF_OPEN" &&
  e.to === "CLOSED";

/** Some proxy had as many hosts of a service ejected as maxEjectionPercent allows. */
const ejectionAtCap: Probe = {
  name: "ejection-at-cap",
  watch(scenario) {
    const ejected = new Map<string, Set<string>>();
    return (e) => {
      if (e.type !== "state") return false;
      const edge = edgeOf(e.component, "outlier");
      if (edge === null) return false;
      const service = serviceOfInstance(edge[1]);
      const key = `${edge[0]}->${service}`;
      const set = ejected.get(key) ?? new Set<string>();
      ejected.set(key, set);
      if (e.to === "ejected") set.add(edge[1]);
      else set.delete(edge[1]);
      const cap = ejectionCap(scenario, service);
      return cap !== null && cap > 0 && set.size >= cap;
    };
  },
};

/** A pod changed phase (a rollout, the autoscaler or a restart) while a fault was in force. */
const rolloutUnderFault: Probe = {
  name: "pod-change-under-fault",
  watch(scenario) {
    const windows = scenario.faults.map((f) => [f.atMs, faultEndMs(f) ?? Infinity] as const);
    return (e) =>
      e.type === "state" &&
      e.component.startsWith("pod ") &&
      windows.some(([from, to]) => e.atMs >= from && e.atMs < to);
  },
};

/** The built-in probes, in the order reports list them. */
export const BUILT_IN_PROBES: readonly Probe[] = [
  sometimes("breaker-open", stateTo("breaker ", "OPEN")),
  sometimes("breaker-half-open-closed", breakerRecovered),
  sometimes("breaker-rejected", proxyCounted("breakerRejections")),
  sometimes("outlier-ejection", stateTo("outlier ", "ejected")),
  ejectionAtCap,
  sometimes("retry", proxyCounted("retries")),
  sometimes("retry-budget-exhausted", proxyCounted("retryOverflows")),
  sometimes("timeout", proxyCounted("timeouts")),
  sometimes("hedge", proxyCounted("hedges")),
  sometimes("rate-limited", proxyCounted("rateLimited")),
  sometimes("pool-overflow", proxyCounted("overflows")),
  sometimes("no-healthy-upstream", proxyCounted("noHealthyUpstream")),
  sometimes("panic", (e) => e.type === "hosts" && e.panic),
  sometimes("instance-dead", stateTo("instance ", "dead")),
  sometimes("instance-failed", stateTo("instance ", "failed")),
  sometimes("registry-self-preservation", stateTo("registry", "self-preservation")),
  rolloutUnderFault,
];
