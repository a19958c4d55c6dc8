// A fault's target in the file → its typed target, every cross-reference checked: the service,
// load or zones exist, and a selector's value fits the service (Chaos Mesh's modes; unlike Chaos
// Mesh, a fixed count above the instance count is an error, not clamped). Each fault kind's
// conversion (schema/faults/<kind>.ts) calls the one its target takes.
import type {
  InstanceTarget,
  PartitionSideTarget,
  PartitionTarget,
  Selection,
  TrafficTarget,
} from "../../faults/spec.ts";
import type { Finding, PathSegment } from "../path.ts";
import type {
  RawPartitionSide,
  RawPartitionTarget,
  RawSelectorTarget,
  RawTrafficTarget,
} from "../schema/faults/targets.ts";

/** What resolve needs of a service; the loader's ServiceSpec fits. Instance i is in zones[i mod zones.length]. */
export interface FaultServiceInfo {
  name: string;
  instances: number;
  zones: readonly string[];
}

/** The scenario's names a fault may refer to, and the findings so far. */
export interface FaultContext {
  services: ReadonlyMap<string, FaultServiceInfo>;
  loads: ReadonlySet<string>;
  zones: ReadonlySet<string>;
  findings: Finding[];
}

/** The schema's refinements guarantee the field; a missing one is a bug of ours, not of the file. */
function given<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`internal: the fault schema let a target through without ${what}`);
  return value;
}

export function toInstanceTarget(
  raw: RawSelectorTarget,
  path: PathSegment[],
  ctx: FaultContext,
): InstanceTarget {
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
  ctx: FaultContext,
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

export function toTrafficTarget(
  raw: RawTrafficTarget,
  path: PathSegment[],
  ctx: FaultContext,
): TrafficTarget {
  if (raw.edge === undefined) return toInstanceTarget(raw, path, ctx);
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

export function toPartitionTarget(
  raw: RawPartitionTarget,
  path: PathSegment[],
  ctx: FaultContext,
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
  ctx: FaultContext,
): PartitionSideTarget {
  if (raw.zones === undefined) return toInstanceTarget(raw, path, ctx);
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

function checkService(service: string, path: PathSegment[], ctx: FaultContext): void {
  if (!ctx.services.has(service)) {
    ctx.findings.push({
      path,
      at: "value",
      message: `there is no service \`${service}\`; services are: ${list(ctx.services.keys())}`,
    });
  }
}

/** Names for a message, sorted so the text does not depend on how the map was built. */
function list(names: Iterable<string>): string {
  const all = [...names].sort();
  return all.length === 0 ? "(none)" : all.join(", ");
}

function count(instances: number): string {
  return instances === 1 ? "1 instance" : `${instances} instances`;
}
