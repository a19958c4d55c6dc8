// The `faults` list after its schema (schema/faults/) → typed, defaulted FaultSpecs, with every
// cross-reference checked: services, loads and zones exist, selector values fit the service (Chaos
// Mesh's modes; unlike Chaos Mesh, a fixed count above the instance count is an error, not
// clamped), `at` falls inside the run, names are unique. Whether `from` calls `to` is not checked.

import type {
  FaultSpec,
  InstanceTarget,
  PartitionSideTarget,
  PartitionTarget,
  Selection,
  TrafficTarget,
} from "../../faults/spec.ts";
import { constant, uniform } from "../../kernel/distributions.ts";
import { formatDuration } from "../../kernel/duration.ts";
import type { Finding, PathSegment } from "../path.ts";
import type {
  RawFault,
  RawPartitionSide,
  RawPartitionTarget,
  RawSelectorTarget,
  RawTrafficTarget,
} from "../schema/faults/index.ts";

/** What resolve needs of a service; the loader's ServiceSpec fits. Instance i is in zones[i mod zones.length]. */
export interface FaultServiceInfo {
  name: string;
  instances: number;
  zones: readonly string[];
}

export interface ResolvedFaults {
  faults: FaultSpec[];
  findings: Finding[];
}

interface Context {
  services: ReadonlyMap<string, FaultServiceInfo>;
  loads: ReadonlySet<string>;
  zones: ReadonlySet<string>;
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
  const ctx: Context = {
    services: new Map(services.map((service) => [service.name, service])),
    loads: new Set(loadNames),
    zones: new Set(services.flatMap((service) => service.zones)),
    findings: [],
  };
  const faults = raw.map((fault, index) => resolveFault(fault, index, durationMs, ctx));
  checkNames(raw, faults, ctx.findings);
  return { faults, findings: ctx.findings };
}

function resolveFault(fault: RawFault, index: number, durationMs: number, ctx: Context): FaultSpec {
  const path: PathSegment[] = ["faults", index];
  if (fault.at >= durationMs) {
    const message = `must be before the end of the run (duration ${formatDuration(durationMs)}), found ${formatDuration(fault.at)}`;
    ctx.findings.push({ path: [...path, "at"], at: "value", message });
  }
  const base = { name: fault.name ?? `${fault.kind}-${index}`, atMs: fault.at };
  const targetPath = [...path, "target"];
  switch (fault.kind) {
    case "pod-kill":
      return {
        ...base,
        kind: fault.kind,
        target: instanceTarget(fault.target, targetPath, ctx),
        restartAfterMs: fault.restartAfter ?? null,
      };
    case "pod-failure":
      return {
        ...base,
        kind: fault.kind,
        target: instanceTarget(fault.target, targetPath, ctx),
        durationMs: fault.duration ?? null,
      };
    case "cpu-stress":
      return {
        ...base,
        kind: fault.kind,
        target: instanceTarget(fault.target, targetPath, ctx),
        durationMs: fault.duration ?? null,
        factor: fault.factor,
      };
    case "delay":
      return {
        ...base,
        kind: fault.kind,
        target: trafficTarget(fault.target, targetPath, ctx),
        durationMs: fault.duration ?? null,
        // Toxiproxy's latency toxic: latency ± jitter, uniformly.
        delay:
          fault.jitter === 0
            ? constant(fault.delay)
            : uniform(fault.delay - fault.jitter, fault.delay + fault.jitter),
        percentage: fault.percentage,
      };
    case "abort":
      return {
        ...base,
        kind: fault.kind,
        target: trafficTarget(fault.target, targetPath, ctx),
        durationMs: fault.duration ?? null,
        httpStatus: fault.httpStatus,
        percentage: fault.percentage,
      };
    case "partition":
      return {
        ...base,
        kind: fault.kind,
        target: partitionTarget(fault.target, targetPath, ctx),
        durationMs: fault.duration ?? null,
      };
    case "registry-outage":
      return { ...base, kind: fault.kind, durationMs: fault.duration ?? null };
  }
}

// ---------------------------------------------------------------------------------------------
// Targets.

/** The schema's refinements guarantee the field; a missing one is a bug of ours, not of the file. */
function given<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`internal: the fault schema let a target through without ${what}`);
  return value;
}

function instanceTarget(raw: RawSelectorTarget, path: PathSegment[], ctx: Context): InstanceTarget {
  const service = given(raw.service, "a service");
  const info = ctx.services.get(service);
  if (info === undefined) {
    ctx.findings.push({
      path: [...path, "service"],
      at: "value",
      message: `there is no service \`${service}\`; services are: ${list(ctx.services.keys())}`,
    });
  }
  return { kind: "instances", service, selection: selectionOf(raw, info, path, ctx) };
}

function selectionOf(
  raw: RawSelectorTarget,
  info: FaultServiceInfo | undefined,
  path: PathSegment[],
  ctx: Context,
): Selection {
  const mode = raw.mode ?? "all";
  if (mode === "one" || mode === "all") return { mode };
  const value = given(raw.value, "a value");
  const problem = (message: string): void => {
    ctx.findings.push({ path: [...path, "value"], at: "value", message });
  };
  if (mode === "fixed") {
    if (info === undefined) {
      if (value < 1) problem(`expected an instance count of at least 1, found ${value}`);
    } else if (value < 1 || value > info.instances) {
      problem(
        `expected an instance count from 1 to ${info.instances} (${info.name} has ${count(info.instances)}), found ${value}`,
      );
    }
    return { mode, count: value };
  }
  if (value < 1 || value > 100) {
    problem(
      `expected a percent from 1 to 100 (Chaos Mesh's ${mode} range, (0, 100]), found ${value}`,
    );
  } else if (info !== undefined && Math.floor((info.instances * value) / 100) === 0) {
    // Chaos Mesh rounds down with no minimum: such a fault would silently select nothing.
    const least = Math.ceil(100 / info.instances);
    const of = `${value}% of ${count(info.instances)} is ${(info.instances * value) / 100}`;
    problem(
      `selects no instance: ${mode} rounds down as Chaos Mesh does, and ${of}; give at least ${least}%, or mode fixed`,
    );
  }
  return mode === "fixed-percent" ? { mode, percent: value } : { mode, maxPercent: value };
}

function trafficTarget(raw: RawTrafficTarget, path: PathSegment[], ctx: Context): TrafficTarget {
  if (raw.edge === undefined) return instanceTarget(raw, path, ctx);
  const { from, to } = raw.edge;
  const edgePath = [...path, "edge"];
  if (from.startsWith("load:")) {
    const load = from.slice("load:".length);
    if (!ctx.loads.has(load)) {
      ctx.findings.push({
        path: [...edgePath, "from"],
        at: "value",
        message: `there is no load \`${load}\`; loads are: ${list(ctx.loads)}`,
      });
    }
  } else {
    checkService(from, [...edgePath, "from"], ctx);
  }
  checkService(to, [...edgePath, "to"], ctx);
  return { kind: "edge", from, to };
}

function partitionTarget(
  raw: RawPartitionTarget,
  path: PathSegment[],
  ctx: Context,
): PartitionTarget {
  if (raw.between === undefined) return { sideA: sideOf(raw, path, ctx), sideB: null };
  const [a, b] = raw.between;
  const sideA = sideOf(a, [...path, "between", 0], ctx);
  const sideB = sideOf(b, [...path, "between", 1], ctx);
  const second: PathSegment[] = [...path, "between", 1];
  if (sideA.kind === "zones" && sideB.kind === "zones") {
    sideB.zones.forEach((zone, i) => {
      if (sideA.zones.includes(zone)) {
        ctx.findings.push({
          path: [...second, "zones", i],
          at: "value",
          message: `zone \`${zone}\` is on both sides; a partition's sides must not overlap`,
        });
      }
    });
  } else if (
    sideA.kind === "instances" &&
    sideB.kind === "instances" &&
    sideA.service === sideB.service
  ) {
    const message = `both sides select instances of \`${sideB.service}\`, so they could overlap; partition a service's instances from the rest with target: { service, mode, value }`;
    ctx.findings.push({ path: [...second, "service"], at: "value", message });
  }
  return { sideA, sideB };
}

function sideOf(
  raw: RawPartitionSide | RawPartitionTarget,
  path: PathSegment[],
  ctx: Context,
): PartitionSideTarget {
  if (raw.zones === undefined) return instanceTarget(raw, path, ctx);
  raw.zones.forEach((zone, i) => {
    if (!ctx.zones.has(zone)) {
      ctx.findings.push({
        path: [...path, "zones", i],
        at: "value",
        message: `no service has instances in zone \`${zone}\`; zones are: ${list(ctx.zones)}`,
      });
    }
  });
  return { kind: "zones", zones: [...raw.zones] };
}

function checkService(service: string, path: PathSegment[], ctx: Context): void {
  if (!ctx.services.has(service)) {
    ctx.findings.push({
      path,
      at: "value",
      message: `there is no service \`${service}\`; services are: ${list(ctx.services.keys())}`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Names, and message helpers.

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

/** Names for a message, sorted so the text does not depend on how the map was built. */
function list(names: Iterable<string>): string {
  const all = [...names].sort();
  return all.length === 0 ? "(none)" : all.join(", ");
}

function count(instances: number): string {
  return instances === 1 ? "1 instance" : `${instances} instances`;
}
