// The `changes` list after its schema (schema/changes.ts) → config pushes in time order (stable:
// ties keep file order), numbered as the versions they create (2, 3, ...), with their own checks:
// only mesh settings may be pushed, `at` inside the run, unique names, stages that grow to 100%.
// Each version is then the file with every push up to it applied and validated like the file (the
// loader parses it); a problem it has is reported at the push that introduced it.
import type { ConfigPushSpec, RolloutStage } from "../../control/spec.ts";
import { formatDuration } from "../../kernel/duration.ts";
import type { ScenarioProblem } from "../errors.ts";
import type { Finding, PathSegment } from "../path.ts";
import type { RawChange, RawConfigPush } from "../schema/changes.ts";
import type { Scenario } from "../types.ts";

/** The loader's path syntax (compare --variant's): `mesh.services.payment.routes[0]` ↔ segments. */
export interface PathSyntax {
  parse(text: string): PathSegment[] | null;
  render(path: readonly PathSegment[]): string;
}

export interface ResolvedChanges {
  /** In time order; `trafficPolicies` is empty until resolveVersions fills it in. */
  pushes: ConfigPushSpec[];
  /** The index in the file's `changes` list of each push, for messages. */
  entries: number[];
  findings: Finding[];
}

const MESH_ROOTS: ReadonlySet<PathSegment> = new Set(["defaults", "services"]);
const MESH_WHAT =
  "a path under mesh.defaults or mesh.services.<service> (e.g. mesh.services.payment.circuitBreaker.failureRateThreshold)";

export function resolveChanges(
  raw: readonly RawChange[],
  durationMs: number,
  paths: PathSyntax,
): ResolvedChanges {
  const findings: Finding[] = [];
  const names = new Map<string, number>();
  const unsorted = raw.flatMap((change, index) => {
    // Other kinds of change (rollouts) are resolved by their own modules; names are unique across kinds.
    if (change.kind !== "config-push") {
      names.set(change.name ?? `${change.kind}-${index}`, index);
      return [];
    }
    const at = (...rest: PathSegment[]): PathSegment[] => ["changes", index, ...rest];
    if (change.at >= durationMs) {
      const message = `must be before the end of the run (duration ${formatDuration(durationMs)}), found ${formatDuration(change.at)}`;
      findings.push({ path: at("at"), at: "value", message });
    }
    const name = change.name ?? `${change.kind}-${index}`;
    const first = names.get(name);
    if (first === undefined) names.set(name, index);
    else
      findings.push({
        path: at("name"),
        at: "value",
        message: `change name ${JSON.stringify(name)} is already used by changes[${first}]`,
      });
    const set: ConfigPushSpec["set"] = [];
    for (const [key, value] of Object.entries(change.set)) {
      const path = paths.parse(key);
      if (path === null || path[0] !== "mesh" || path.length < 2 || !MESH_ROOTS.has(path[1])) {
        findings.push({
          path: at("set", key),
          at: "key",
          message: `only mesh settings can be pushed: expected ${MESH_WHAT}, found ${JSON.stringify(key)}`,
        });
        continue;
      }
      set.push({ key, path, value });
    }
    const rollout = stagesOf(change.rollout, at("rollout"), findings);
    const push: ConfigPushSpec = {
      kind: change.kind,
      name,
      atMs: change.at,
      version: 0,
      set,
      debounceMs: change.propagation.debounce,
      delay: change.propagation.delay,
      rollout,
      trafficPolicies: [],
    };
    return [{ push, index }];
  });
  const sorted = unsorted.sort((a, b) => a.push.atMs - b.push.atMs || a.index - b.index);
  sorted.forEach((entry, i) => {
    entry.push.version = i + 2;
  });
  return { pushes: sorted.map((e) => e.push), entries: sorted.map((e) => e.index), findings };
}

function stagesOf(
  raw: RawConfigPush["rollout"],
  path: PathSegment[],
  findings: Finding[],
): RolloutStage[] {
  if (raw === undefined) return [{ percent: 100, afterMs: 0 }];
  raw.forEach((stage, k) => {
    if (k > 0 && stage.percent <= raw[k - 1].percent) {
      const message = `stages cover more proxies each time: expected more than the previous stage's ${raw[k - 1].percent}%, found ${stage.percent}%`;
      findings.push({ path: [...path, k, "percent"], at: "value", message });
    }
  });
  const last = raw[raw.length - 1];
  if (last.percent !== 100) {
    findings.push({
      path: [...path, raw.length - 1, "percent"],
      at: "value",
      message: `the last stage must reach every proxy: expected 100, found ${last.percent}`,
    });
  }
  return raw.map((stage) => ({ percent: stage.percent, afterMs: stage.after }));
}

/** A version parsed by the loader with these values put at paths of the file (after any of its own overrides). */
export type VersionParser = (
  set: { path: PathSegment[]; value: unknown; origin: string }[],
) => Scenario | ScenarioProblem[];

/**
 * Parses version 2, 3, ... (each cumulative) and gives each push its version's traffic policies.
 * A version's problems that the version before it did not have are the push's: reported at the
 * `set` entry whose path the problem lies under (or lies on the way to), else at the push's only
 * entry or its whole `set`: the push made a valid value elsewhere invalid (a route naming a
 * subset the push removed).
 */
export function resolveVersions(
  resolved: ResolvedChanges,
  parse: VersionParser,
  paths: PathSyntax,
): Finding[] {
  const findings: Finding[] = [];
  const set: { path: PathSegment[]; value: unknown; origin: string }[] = [];
  let known = new Set<string>();
  resolved.pushes.forEach((push, k) => {
    for (const s of push.set)
      set.push({ path: s.path, value: s.value, origin: `config-push ${push.name}` });
    const outcome = parse([...set]);
    if (!Array.isArray(outcome)) {
      push.trafficPolicies = outcome.services.map((service) => service.trafficPolicy);
      known = new Set();
      return;
    }
    const rendered = push.set.map((s) => paths.render(s.path));
    const seen = new Set<string>();
    for (const problem of outcome) {
      const id = `${problem.path}\u0000${problem.message}`;
      seen.add(id);
      if (known.has(id)) continue;
      const where = problem.path === "" ? "" : `${problem.path}: `;
      const message = `in config-push ${push.name} (version ${push.version}): ${where}${problem.message}`;
      const base: PathSegment[] = ["changes", resolved.entries[k], "set"];
      // At the value it set when the problem lies in it; at its key when the problem is above it (an unknown field on the way).
      const below = rendered.findIndex((p) => within(problem.path, p));
      const above = rendered.findIndex((p) => problem.path !== "" && within(p, problem.path));
      if (below >= 0) findings.push({ path: [...base, push.set[below].key], at: "value", message });
      else if (above >= 0)
        findings.push({ path: [...base, push.set[above].key], at: "key", message });
      else if (push.set.length === 1)
        findings.push({ path: [...base, push.set[0].key], at: "key", message });
      else findings.push({ path: base, at: "key", message });
    }
    known = seen;
  });
  return findings;
}

/** Whether rendered path `path` is `outer` or lies inside it. */
function within(path: string, outer: string): boolean {
  return path === outer || path.startsWith(`${outer}.`) || path.startsWith(`${outer}[`);
}
