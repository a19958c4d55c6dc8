// Small sections → their specs: `compare` (variant names unique, each `set` key a path into this
// file), `tracing` (the epoch as unix ms), and `registry` (its kind's defaults filled in; a
// registry-outage fault needs one).
import { REGISTRY_KINDS } from "../../control/registry/kinds.ts";
import { parseOverridePath } from "../path.ts";
import { quote } from "../schema/leaves.ts";
import { toRegistry } from "../schema/registry/index.ts";
import type { ScenarioFile } from "../schema/scenario.ts";
import { parseEpoch } from "../schema/tracing.ts";
import type { CompareSpec, Scenario, TracingSpec, VariantSpec } from "../types.ts";
import type { Conversion } from "./context.ts";

export function compareOf(file: ScenarioFile, cx: Conversion): CompareSpec | null {
  if (file.compare === undefined) return null;
  const names = new Set<string>();
  const variants = file.compare.variants.map((variant, index): VariantSpec => {
    if (names.has(variant.name)) {
      cx.findings.push({
        path: ["compare", "variants", index, "name"],
        at: "value",
        message: `variant name ${quote(variant.name)} is used twice`,
      });
    }
    names.add(variant.name);
    const set: VariantSpec["set"] = [];
    for (const [key, value] of Object.entries(variant.set)) {
      const path = parseOverridePath(key);
      if (path === null || path[0] === "compare") {
        const message = `expected a path into this file such as mesh.defaults.loadBalancer or load[0].rate, found ${quote(key)}`;
        cx.findings.push({ path: ["compare", "variants", index, "set", key], at: "key", message });
      } else set.push({ path, value });
    }
    return { name: variant.name, set };
  });
  return { seeds: file.compare.seeds, variants };
}

/** The `tracing:` section as a TracingSpec (the epoch as unix ms), or null when it is absent. */
export function tracingOf(raw: ScenarioFile["tracing"]): TracingSpec | null {
  if (raw === undefined) return null;
  return {
    sampler: raw.sampler,
    ratio: raw.ratio,
    keepErrors: raw.keepErrors,
    keepSlowerThanMs: raw.keepSlowerThan ?? null,
    epochMs: parseEpoch(raw.epoch),
    maxTraces: raw.maxTraces,
  };
}

/** "eureka, nacos, consul or kubernetes" */
const KINDS = `${REGISTRY_KINDS.slice(0, -1).join(", ")} or ${REGISTRY_KINDS.at(-1)}`;

/** The `registry` section with its kind's defaults, or null; a registry-outage without one is a finding. */
export function registryOf(file: ScenarioFile, cx: Conversion): Scenario["registry"] {
  if (file.registry === undefined) {
    file.faults.forEach((fault, index) => {
      if (fault.kind !== "registry-outage") return;
      const message = `a registry-outage takes the registry down, but the scenario has no \`registry:\` section (${KINDS})`;
      cx.findings.push({ path: ["faults", index, "kind"], at: "value", message });
    });
    return null;
  }
  return toRegistry(file.registry);
}
