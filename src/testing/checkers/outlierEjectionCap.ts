// Outlier ejection within Envoy's cap (outlier_detection.cc after PR #27909): a proxy ejects a host
// of a service only if 100 × (ejected + 1) / hosts <= maxEjectionPercent, or the first one when
// alwaysEjectOneHost is set; so at no moment are more than that many of its hosts ejected. Left
// out: services whose host count changes (autoscaling, rollouts) and services a push changes.
import type { Scenario } from "../../scenario/types.ts";
import type { Invariant } from "../invariant.ts";
import { edgeOf, pushesChange, resilienceOf, serviceOfInstance } from "./components.ts";

/** The most hosts of `service` one proxy may have ejected at once, or null when not checked. */
export function ejectionCap(scenario: Scenario, service: string): number | null {
  const spec = scenario.services.find((s) => s.name === service);
  const od = resilienceOf(scenario, service)?.outlierDetection ?? null;
  if (spec === undefined || od === null || spec.autoscaling !== null) return null;
  if (scenario.changes.some((c) => c.kind === "rollout" && c.service === service)) return null;
  const hosts = spec.instances;
  const byPercent = Math.floor((od.maxEjectionPercent * hosts) / 100 + 1e-9);
  return Math.max(byPercent, od.alwaysEjectOneHost ? 1 : 0);
}

export const outlierEjectionCap: Invariant = {
  name: "outlier-ejection-cap",
  watch(scenario) {
    const pushes = pushesChange(scenario);
    const ejected = new Map<string, Set<string>>();
    return {
      event(e) {
        if (e.type !== "state" || pushes) return null;
        const edge = edgeOf(e.component, "outlier");
        if (edge === null) return null;
        const [proxy, instance] = edge;
        const service = serviceOfInstance(instance);
        const key = `${proxy}->${service}`;
        const set = ejected.get(key) ?? new Set<string>();
        ejected.set(key, set);
        if (e.to !== "ejected") {
          set.delete(instance);
          return null;
        }
        set.add(instance);
        const cap = ejectionCap(scenario, service);
        if (cap !== null && set.size > cap)
          return {
            message: `${proxy} has ${set.size} hosts of ${service} ejected (${[...set].sort().join(", ")}); maxEjectionPercent allows ${cap}`,
          };
        return null;
      },
    };
  },
};
