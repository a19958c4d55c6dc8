// Checks the `rollout` entries of `changes[]` against the services they name and makes them
// RolloutChangeSpecs: the service and version must exist, the version must differ from the only one
// running, the time must fall inside the run, and names are unique. An autoscaled service may be
// rolled out: the HPA's changes mid-rollout go through proportional scaling
// (control/rollout/rolloutController.ts).
import type { Finding, PathSegment } from "../path.ts";
import type { RawChange } from "../schema/changes.ts";
import type { RolloutChangeSpec, ServiceSpec } from "../types.ts";

export function resolveRollouts(
  raw: readonly RawChange[],
  services: readonly ServiceSpec[],
  durationMs: number,
): { rollouts: RolloutChangeSpec[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const rollouts: RolloutChangeSpec[] = [];
  const seen = new Set<string>();
  raw.forEach((change, index) => {
    if (change.kind !== "rollout") return;
    const at = (...rest: PathSegment[]): PathSegment[] => ["changes", index, ...rest];
    const name = change.name ?? `rollout-${index}`;
    if (seen.has(name))
      findings.push({
        path: at("name"),
        at: "value",
        message: `rollout name ${JSON.stringify(name)} is used twice`,
      });
    seen.add(name);
    if (change.at >= durationMs)
      findings.push({
        path: at("at"),
        at: "value",
        message: `must be before the end of the run (${durationMs} ms)`,
      });
    const service = services.find((s) => s.name === change.service);
    if (service === undefined) {
      findings.push({
        path: at("service"),
        at: "value",
        message: `names no service; expected one of ${services.map((s) => s.name).join(", ")}`,
      });
      return;
    }
    const version = service.versions.find((v) => v.name === change.toVersion);
    if (version === undefined) {
      const known = service.versions.map((v) => v.name).join(", ");
      findings.push({
        path: at("toVersion"),
        at: "value",
        message: `is not a version of ${service.name}; it has ${known} (declare the new one under versions with instances: 0)`,
      });
      return;
    }
    if (service.versions.every((v) => v === version || v.instances === 0)) {
      findings.push({
        path: at("toVersion"),
        at: "value",
        message: `is the only version ${service.name} runs: nothing to roll out`,
      });
    }
    rollouts.push({
      kind: "rollout",
      name,
      atMs: change.at,
      service: service.name,
      toVersion: version.name,
      strategy: { maxSurge: change.maxSurge, maxUnavailable: change.maxUnavailable },
    });
  });
  return { rollouts, findings };
}
