// fast-check arbitrary of fault timelines aimed at one scenario's own services, instances, zones
// and edges, using meshsim's fault verbs (Chaos Mesh pod-kill, pod-failure, cpu-stress, partition;
// Istio delay and abort; registry-outage) as a scenario file writes them, so a timeline inlines
// into the file's `faults:`. Shrinking goes towards fewer faults, shorter ones and later ones
// (`at` is drawn back from the window's end), and simpler targets (one instance before all).
import fc from "fast-check";
import type { FaultKind } from "../../faults/spec.ts";
import { FAULT_KINDS } from "../../faults/verbs/index.ts";
import { parseDuration } from "../../kernel/duration.ts";
import type { CallStep, Scenario } from "../../scenario/types.ts";

/** A fault as written in a scenario file (`kind`, `at`, `target`, ...). */
export type FaultDocument = Record<string, unknown>;

export interface TimelineOptions {
  /** Fault kinds to draw from (default: every kind the scenario can take). */
  kinds?: readonly string[];
  /** Faults per timeline, at most (default 3). */
  maxFaults?: number;
  /** Faults start in this window of simulated time (default: warm-up to the end). */
  within?: { from?: string | number; to?: string | number };
  /** A fault lasts at most this long (default: half the window). */
  maxDuration?: string | number;
  /** A fault hits at most this many instances of a service, and no zone as a whole (default: no limit). */
  maxInstances?: number;
}

/** What a scenario offers faults to aim at. */
interface Targets {
  services: { name: string; instances: number }[];
  zones: string[];
  edges: { from: string; to: string }[];
  registry: boolean;
  maxInstances: number;
}

function targetsOf(scenario: Scenario, maxInstances: number): Targets {
  const edges = new Map<string, { from: string; to: string }>();
  const add = (from: string, to: string) => edges.set(`${from}->${to}`, { from, to });
  const walk = (from: string, steps: readonly CallStep[]) => {
    for (const step of steps) {
      if (step.kind === "call") add(from, step.target.service);
      else walk(from, step.steps);
    }
  };
  for (const s of scenario.services) for (const op of s.operations) walk(s.name, op.calls);
  for (const l of scenario.load) add(`load:${l.name}`, l.target.service);
  return {
    services: scenario.services.map((s) => ({ name: s.name, instances: s.instances })),
    zones: [...new Set(scenario.services.flatMap((s) => s.zones))].sort(),
    edges: [...edges.values()],
    registry: scenario.registry !== null,
    maxInstances,
  };
}

const toMs = (v: string | number, what: string): number => {
  const ms = typeof v === "number" ? v : parseDuration(v);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${what} must be a duration >= 0`);
  return ms;
};

/** The kinds `scenario` can take, of those asked for; an unknown kind is an error naming it. */
export function usableKinds(
  scenario: Scenario,
  kinds: readonly string[] = FAULT_KINDS,
): FaultKind[] {
  for (const kind of kinds) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind))
      throw new RangeError(
        `unknown fault kind "${kind}"; expected one of ${FAULT_KINDS.join(", ")}`,
      );
  }
  return FAULT_KINDS.filter(
    (k) => kinds.includes(k) && (k !== "registry-outage" || scenario.registry !== null),
  );
}

/** Chaos Mesh selectors over one service: one instance first (what shrinking reaches), then more. */
function instanceTarget(t: Targets): fc.Arbitrary<Record<string, unknown>> {
  return fc.constantFrom(...t.services).chain((s) => {
    const most = Math.min(s.instances, t.maxInstances);
    const modes: fc.Arbitrary<Record<string, unknown>>[] = [
      fc.constant({ service: s.name, mode: "one" }),
      fc.integer({ min: 1, max: most }).map((value) => ({
        service: s.name,
        mode: "fixed",
        value,
      })),
    ];
    if (s.instances <= t.maxInstances) modes.push(fc.constant({ service: s.name, mode: "all" }));
    return fc.oneof({ withCrossShrink: true }, ...modes);
  });
}

function trafficTarget(t: Targets): fc.Arbitrary<Record<string, unknown>> {
  if (t.edges.length === 0) return instanceTarget(t);
  return fc.oneof(
    { withCrossShrink: true },
    instanceTarget(t),
    fc.constantFrom(...t.edges).map((edge) => ({ edge })),
  );
}

function partitionTarget(t: Targets): fc.Arbitrary<Record<string, unknown>> {
  const options: fc.Arbitrary<Record<string, unknown>>[] = [instanceTarget(t)];
  if (t.zones.length >= 2 && t.maxInstances === Infinity) {
    options.push(
      fc.subarray(t.zones, { minLength: 1, maxLength: t.zones.length - 1 }).map((zones) => ({
        zones,
      })),
    );
  }
  return fc.oneof({ withCrossShrink: true }, ...options);
}

/** One fault of `kind`, starting in [from, to], lasting up to `longest` ms. */
function fault(
  kind: FaultKind,
  t: Targets,
  from: number,
  to: number,
  longest: number,
): fc.Arbitrary<FaultDocument> {
  const at = fc.integer({ min: 0, max: to - from }).map((back) => `${to - back}ms`);
  const lasting = fc.integer({ min: 1, max: Math.max(1, longest) }).map((v) => `${v}ms`);
  const percentage = fc.integer({ min: 1, max: 100 });
  switch (kind) {
    case "pod-kill":
      return fc.record({
        kind: fc.constant(kind),
        at,
        restartAfter: lasting,
        target: instanceTarget(t),
      });
    case "pod-failure":
      return fc.record({
        kind: fc.constant(kind),
        at,
        duration: lasting,
        target: instanceTarget(t),
      });
    case "cpu-stress":
      return fc.record({
        kind: fc.constant(kind),
        at,
        duration: lasting,
        factor: fc.integer({ min: 2, max: 10 }),
        target: instanceTarget(t),
      });
    case "delay":
      return fc.record({
        kind: fc.constant(kind),
        at,
        duration: lasting,
        delay: fc.integer({ min: 1, max: 1000 }).map((v) => `${v}ms`),
        percentage,
        target: trafficTarget(t),
      });
    case "abort":
      return fc.record({
        kind: fc.constant(kind),
        at,
        duration: lasting,
        httpStatus: fc.constantFrom(503, 500),
        percentage,
        target: trafficTarget(t),
      });
    case "partition":
      return fc.record({
        kind: fc.constant(kind),
        at,
        duration: lasting,
        target: partitionTarget(t),
      });
    case "registry-outage":
      return fc.record({ kind: fc.constant(kind), at, duration: lasting });
  }
}

/**
 * Timelines of up to `maxFaults` faults of the given kinds aimed at `scenario`'s own services,
 * instances, zones and edges, starting within the window, in start order.
 */
export function faultTimeline(
  scenario: Scenario,
  options: TimelineOptions = {},
): fc.Arbitrary<FaultDocument[]> {
  const kinds = usableKinds(scenario, options.kinds);
  if (kinds.length === 0)
    throw new RangeError(
      `none of the fault kinds ${JSON.stringify(options.kinds)} applies to scenario ${scenario.name}`,
    );
  const maxFaults = options.maxFaults ?? 3;
  if (!Number.isInteger(maxFaults) || maxFaults < 1)
    throw new RangeError(`maxFaults must be a whole number >= 1, found ${maxFaults}`);
  const from = Math.ceil(toMs(options.within?.from ?? scenario.warmupMs, "within.from"));
  const to = Math.floor(toMs(options.within?.to ?? scenario.durationMs - 1, "within.to"));
  if (to < from) throw new RangeError(`within: from (${from} ms) is after to (${to} ms)`);
  const longest = Math.floor(
    toMs(options.maxDuration ?? Math.max(1, (to - from) / 2), "maxDuration"),
  );
  const maxInstances = options.maxInstances ?? Infinity;
  if (maxInstances !== Infinity && (!Number.isInteger(maxInstances) || maxInstances < 1))
    throw new RangeError(`maxInstances must be a whole number >= 1, found ${maxInstances}`);
  const t = targetsOf(scenario, maxInstances);
  // Kinds in their registry order, so a timeline that breaks under several shrinks to the first.
  const one = fc.constantFrom(...kinds).chain((kind) => fault(kind, t, from, to, longest));
  return fc
    .array(one, { maxLength: maxFaults })
    .map((faults) =>
      [...faults].sort((a, b) => parseDuration(a.at as string) - parseDuration(b.at as string)),
    );
}
