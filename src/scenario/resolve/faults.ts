// The `faults` list after its schema (schema/faults/) → typed, defaulted FaultSpecs: `at` falls
// inside the run and names are unique here; each kind converts its own fields and target
// (schema/faults/<kind>.ts, with resolve/faultTargets.ts checking the services, loads and zones a
// target names). Whether `from` calls `to` is not checked.
import type { FaultSpec } from "../../faults/spec.ts";
import { formatDuration } from "../../kernel/duration.ts";
import type { Finding, PathSegment } from "../path.ts";
import { convertFault, type RawFault } from "../schema/faults/index.ts";
import type { FaultContext, FaultServiceInfo } from "./faultTargets.ts";

export type { FaultServiceInfo } from "./faultTargets.ts";

export interface ResolvedFaults {
  faults: FaultSpec[];
  findings: Finding[];
}

/**
 * Converts the schema's output; `services` and `loadNames` are the scenario's, `durationMs` its
 * run length. Findings carry paths from the file's root (`faults[2].target.value`).
 */
export function resolveFaults(
  raw: readonly RawFault[],
  services: readonly FaultServiceInfo[],
  loadNames: readonly string[],
  durationMs: number,
): ResolvedFaults {
  const ctx: FaultContext = {
    services: new Map(services.map((service) => [service.name, service])),
    loads: new Set(loadNames),
    zones: new Set(services.flatMap((service) => service.zones)),
    findings: [],
  };
  const faults = raw.map((fault, index) => resolveFault(fault, index, durationMs, ctx));
  checkNames(raw, faults, ctx.findings);
  return { faults, findings: ctx.findings };
}

function resolveFault(
  fault: RawFault,
  index: number,
  durationMs: number,
  ctx: FaultContext,
): FaultSpec {
  const path: PathSegment[] = ["faults", index];
  if (fault.at >= durationMs) {
    const message = `must be before the end of the run (duration ${formatDuration(durationMs)}), found ${formatDuration(fault.at)}`;
    ctx.findings.push({ path: [...path, "at"], at: "value", message });
  }
  const base = { name: fault.name ?? `${fault.kind}-${index}`, atMs: fault.at };
  return convertFault(fault, base, [...path, "target"], ctx);
}

/** Names are unique, default names included (`delay-0` written by hand clashes with an unnamed faults[0]). */
function checkNames(
  raw: readonly RawFault[],
  faults: readonly FaultSpec[],
  findings: Finding[],
): void {
  const first = new Map<string, number>();
  faults.forEach((fault, index) => {
    const earlier = first.get(fault.name);
    if (earlier === undefined) {
      first.set(fault.name, index);
      return;
    }
    const whose = raw[earlier].name === undefined ? ` (its default name, as it has none)` : "";
    const own =
      raw[index].name === undefined
        ? `the default name ${JSON.stringify(fault.name)}`
        : `fault name ${JSON.stringify(fault.name)}`;
    findings.push({
      path: ["faults", index, "name"],
      at: "value",
      message: `${own} is already used by faults[${earlier}]${whose}; give one of them another name`,
    });
  });
}
