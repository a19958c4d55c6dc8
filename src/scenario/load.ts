// The scenario loader: YAML or JSON text → typed, defaulted Scenario, or a ScenarioError listing
// every problem with file:line:column and path (the yaml package's document nodes give positions).
// Pass 1 is the zod schema (shapes and values); pass 2 checks cross-references and relations and
// converts to the Scenario types (the fault timeline's cross-references are src/faults/resolve.ts's).
import { readFileSync } from "node:fs";
import type { Document } from "yaml";
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import {
  type PathSyntax,
  resolveChanges,
  resolveVersions,
  type VersionParser,
} from "../control/config/resolve.ts";
import { resolveRollouts } from "../control/rollout/resolve.ts";
import { resolveFaults } from "../faults/resolve.ts";
import { formatDuration } from "../kernel/duration.ts";
import { ISTIO_DEFAULT_MAX_RETRIES } from "../mesh/resilience/retryBudget.ts";
import { ISTIO_DEFAULT_RETRY_ON } from "../mesh/resilience/retryOn.ts";
import { resolveSecurity } from "../mesh/security/resolve.ts";
import { resolveAlerts } from "../observe/alerts/resolve.ts";
import type { ScenarioProblem } from "./errors.ts";
import { compareProblems, formatProblem, ScenarioError } from "./errors.ts";
import { type Finding, type PathSegment, parseOverridePath, renderPath } from "./path.ts";
import { toHealthCheck, toRegistry } from "./schema/registry.ts";
import type { RawCallStep, RawLoadEntry, ScenarioFile } from "./schema/scenario.ts";
import {
  OPERATION_REF_PATTERN,
  parseThresholdExpression,
  quote,
  scenarioFileSchema,
  THRESHOLD_KEY_PATTERN,
} from "./schema/scenario.ts";
import { parseEpoch } from "./schema/tracing.ts";
import type {
  AutoscalingSpec,
  CallStep,
  ChangeSpec,
  CompareSpec,
  LifecycleSpec,
  LoadBalancerSpec,
  LoadSpec,
  LocalitySpec,
  OperationRef,
  OperationSpec,
  ResilienceSpec,
  RetrySpec,
  RouteSpec,
  Scenario,
  ServiceSpec,
  SlowStartSpec,
  Stage,
  SubsetSpec,
  ThresholdMetric,
  ThresholdSpec,
  TracingSpec,
  TrafficPolicy,
  VariantSpec,
  VersionSpec,
} from "./types.ts";

export { type PathSegment, parseOverridePath, renderPath } from "./path.ts";

/** Reads and parses a scenario file. `path` is used as given in every problem. */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScenarioError([
      {
        file: path,
        line: null,
        column: null,
        path: "",
        message: `cannot read the file: ${reason}`,
      },
    ]);
  }
  return parseScenario(text, path);
}

/** A value to put at a path of the document before validation (a compare variant's `set`). */
export interface Override {
  path: PathSegment[];
  value: unknown;
  /** Where the override came from, for messages: `variant random`. */
  origin: string;
}

/**
 * Parses scenario text (YAML, or JSON, which is YAML too), after applying `overrides` to the
 * document, so a variant's own values are validated like the file's. Throws ScenarioError only.
 */
export function parseScenario(
  text: string,
  file: string,
  overrides: readonly Override[] = [],
): Scenario {
  let outcome: Scenario | ScenarioProblem[];
  try {
    outcome = parseOrCollect(String(text), file, overrides);
  } catch (error) {
    // A bug of ours, not of the file; still reported through the one error type callers expect.
    const reason = error instanceof Error ? error.message : String(error);
    outcome = [
      {
        file,
        line: null,
        column: null,
        path: "",
        message: `internal error while loading the scenario: ${reason}`,
      },
    ];
  }
  if (Array.isArray(outcome)) throw new ScenarioError(outcome);
  return outcome;
}

/**
 * `serviceTime: mix(0.9: exp(2ms), 0.1: const(40ms))` is not valid YAML unquoted: ": " inside a
 * plain value starts a nested mapping. Say so, since the distribution syntax invites it.
 */
function colonHint(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = text.indexOf("\n", offset);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  return /\w+\([^)]*: /.test(line)
    ? "; a value such as mix(0.9: exp(2ms), ...) contains \": \", so quote it: 'mix(...)'"
    : "";
}

/** `withVersions`: also parse each config push's version (off while parsing one, so it does not recurse). */
function parseOrCollect(
  text: string,
  file: string,
  overrides: readonly Override[],
  withVersions = true,
): Scenario | ScenarioProblem[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    logLevel: "error",
    uniqueKeys: true,
  });
  const place = (offset: number): Pick<ScenarioProblem, "line" | "column"> => {
    const { line, col } = counter.linePos(offset);
    return { line, column: col };
  };
  const yamlProblems = [...doc.errors, ...doc.warnings].map(
    (error): ScenarioProblem => ({
      file,
      ...place(error.pos[0]),
      path: "",
      message: `YAML: ${error.message}${colonHint(text, error.pos[0])}`,
    }),
  );
  if (yamlProblems.length > 0) return yamlProblems;
  for (const override of overrides) {
    try {
      doc.setIn(override.path, doc.createNode(override.value));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return [
        {
          file,
          line: null,
          column: null,
          path: renderPath(override.path),
          message: `${override.origin}: cannot set this path: ${reason}`,
        },
      ];
    }
  }

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return [
      {
        file,
        line: 1,
        column: 1,
        path: "",
        message: `YAML: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }

  const parsed = scenarioFileSchema.safeParse(raw);
  const findings = parsed.success ? [] : findingsFromIssues(parsed.error.issues);
  findings.push(...checkReferences(raw));
  const thresholds = parseThresholds(raw);
  findings.push(...thresholds.findings);
  const scenario = parsed.success
    ? buildScenario(parsed.data, thresholds.specs, doc, findings)
    : null;
  if (parsed.success && scenario !== null) {
    const rollouts = resolveRollouts(parsed.data.changes, scenario.services, parsed.data.duration);
    findings.push(...rollouts.findings);
    scenario.changes = [
      ...changesOf(parsed.data, { text, file, overrides, withVersions }, findings),
      ...rollouts.rollouts,
    ];
  }
  if (findings.length === 0 && scenario !== null) return scenario;

  const seen = new Set<string>();
  const problems: ScenarioProblem[] = [];
  for (const finding of findings) {
    const position = locate(doc, finding.path, finding.at);
    const problem = {
      file,
      ...place(position),
      path: renderPath(finding.path),
      message: finding.message,
    };
    const key = formatProblem(problem);
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  return problems.sort(compareProblems);
}

// ---------------------------------------------------------------------------------------------
// Paths and positions.

/** A map key as the yaml package names it in a plain JS object (null → "", numbers → String). */
function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  return key.value === null ? "" : typeof key.value === "object" ? undefined : String(key.value);
}

function startOf(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

interface Walk {
  /** The node at the whole path, or undefined when the path leaves the document. */
  node: unknown;
  /** The key node of the last map step taken on a whole path. */
  key: unknown;
  /** Offset of the deepest key or list item reached: where to point when the path runs out. */
  anchor: number | undefined;
}

function walk(doc: Document, path: readonly PathSegment[]): Walk {
  let node: unknown = doc.contents;
  let key: unknown;
  let anchor = startOf(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (pair === undefined) return { node: undefined, key: undefined, anchor };
      key = pair.key;
      node = pair.value;
      anchor = startOf(pair.key) ?? anchor;
    } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
      key = undefined;
      node = node.items[segment];
      anchor = startOf(node) ?? anchor;
    } else {
      return { node: undefined, key: undefined, anchor };
    }
  }
  return { node: isAlias(node) ? (node.resolve(doc) ?? node) : node, key, anchor };
}

/** Offset of the key or value at `path`, else of the nearest enclosing node that exists. */
function locate(doc: Document, path: readonly PathSegment[], at: "key" | "value"): number {
  const found = walk(doc, path);
  const keyStart = startOf(found.key);
  if (at === "key" && keyStart !== undefined) return keyStart;
  // An empty value (`serviceTime:`) has a zero-width range just after the colon; the key reads better.
  const range = isScalar(found.node) ? found.node.range : undefined;
  const empty = range !== undefined && range !== null && range[0] === range[1];
  const valueStart = empty ? undefined : startOf(found.node);
  return valueStart ?? keyStart ?? found.anchor ?? 0;
}

/** The entries of `map` in the order their keys appear in the file (a JS object puts "1" before "a"). */
function inFileOrder<T>(
  map: Record<string, T>,
  doc: Document,
  path: readonly PathSegment[],
): [string, T][] {
  const node = walk(doc, path).node;
  const rank = new Map<string, number>();
  if (isMap(node)) {
    node.items.forEach((pair, index) => {
      const key = keyText(pair.key);
      if (key !== undefined && !rank.has(key)) rank.set(key, index);
    });
  }
  return Object.entries(map)
    .map((entry, index) => ({ entry, rank: rank.get(entry[0]) ?? Infinity, index }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ entry }) => entry);
}

// ---------------------------------------------------------------------------------------------
// Pass 1 results as findings.

function findingsFromIssues(issues: readonly z.core.$ZodIssue[]): Finding[] {
  const findings: Finding[] = [];
  for (const issue of issues) {
    const path = issue.path.map((segment) =>
      typeof segment === "symbol" ? String(segment) : segment,
    );
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        findings.push({ path: [...path, key], at: "key", message: `\`${key}\` ${issue.message}` });
    } else {
      findings.push({
        path,
        at: issue.code === "invalid_key" ? "key" : "value",
        message: issue.message,
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Pass 2a: cross-references. Runs on the raw value, so it reports even when pass 1 failed; it
// skips whatever pass 1 already reports (a malformed target, a service that is not a map).

function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return !(value instanceof Uint8Array || value instanceof Set || value instanceof Map);
}

function entriesOf(value: unknown): [string, unknown][] {
  return isPlainMap(value) ? Object.entries(value) : [];
}

function itemsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function fieldOf(value: unknown, key: string): unknown {
  return isPlainMap(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Service name → its operation names, or null when the service is too broken to tell. */
type Catalog = Map<string, Set<string> | null>;

function catalogOf(raw: unknown): Catalog {
  const catalog: Catalog = new Map();
  for (const [service, spec] of entriesOf(fieldOf(raw, "services"))) {
    const operations = fieldOf(spec, "operations");
    catalog.set(service, isPlainMap(operations) ? new Set(Object.keys(operations)) : null);
  }
  return catalog;
}

/** Names for a message, sorted so the text does not depend on how the map was built. */
function list(names: Iterable<string>): string {
  const all = [...names].sort();
  return all.length === 0 ? "(none)" : all.join(", ");
}

/** Why `text` names no operation, or null when it does (or pass 1 reports it already). */
function missingOperation(text: unknown, catalog: Catalog): string | null {
  const match = typeof text === "string" ? OPERATION_REF_PATTERN.exec(text) : null;
  if (match === null) return null;
  const [, service, operation] = match;
  if (!catalog.has(service))
    return `there is no service \`${service}\`; services are: ${list(catalog.keys())}`;
  const operations = catalog.get(service);
  if (operations === null || operations === undefined || operations.has(operation)) return null;
  return `service \`${service}\` has no operation \`${operation}\`; its operations are: ${list(operations)}`;
}

interface CallEdge {
  to: string;
  path: PathSegment[];
}

function checkReferences(raw: unknown): Finding[] {
  const findings: Finding[] = [];
  const catalog = catalogOf(raw);
  const edges = new Map<string, CallEdge[]>();

  const visitSteps = (from: string, steps: unknown, path: PathSegment[]): void => {
    itemsOf(steps).forEach((step, index) => {
      const call = fieldOf(step, "call");
      const callPath = [...path, index, "call"];
      const missing = missingOperation(call, catalog);
      if (missing !== null) findings.push({ path: callPath, at: "value", message: missing });
      else if (typeof call === "string" && OPERATION_REF_PATTERN.test(call))
        edges.get(from)?.push({ to: call, path: callPath });
      visitSteps(from, fieldOf(step, "parallel"), [...path, index, "parallel"]);
    });
  };
  // zod's records skip a `__proto__` key without a word (it guards the objects it builds).
  const noProto = (map: unknown, path: PathSegment[], what: string): void => {
    if (isPlainMap(map) && Object.hasOwn(map, "__proto__")) {
      findings.push({
        path: [...path, "__proto__"],
        at: "key",
        message: `\`__proto__\` cannot be ${what}`,
      });
    }
  };
  noProto(fieldOf(raw, "services"), ["services"], "a service name");
  noProto(fieldOf(raw, "thresholds"), ["thresholds"], "a threshold metric");
  for (const [service, spec] of entriesOf(fieldOf(raw, "services"))) {
    noProto(fieldOf(spec, "operations"), ["services", service, "operations"], "an operation name");
    for (const [operation] of entriesOf(fieldOf(spec, "operations")))
      edges.set(`${service}.${operation}`, []);
  }
  for (const [service, spec] of entriesOf(fieldOf(raw, "services"))) {
    for (const [operation, op] of entriesOf(fieldOf(spec, "operations"))) {
      visitSteps(`${service}.${operation}`, fieldOf(op, "calls"), [
        "services",
        service,
        "operations",
        operation,
        "calls",
      ]);
    }
  }
  findings.push(...findCycles(edges));

  noProto(fieldOf(fieldOf(raw, "mesh"), "services"), ["mesh", "services"], "a service name");
  for (const [service] of entriesOf(fieldOf(fieldOf(raw, "mesh"), "services"))) {
    if (catalog.size > 0 && !catalog.has(service)) {
      const message = `there is no service \`${service}\` to apply a traffic policy to; services are: ${list(catalog.keys())}`;
      findings.push({ path: ["mesh", "services", service], at: "key", message });
    }
  }

  const keyNames = new Set<string>();
  for (const entry of itemsOf(fieldOf(raw, "load"))) {
    const keyName = fieldOf(fieldOf(entry, "keys"), "name");
    if (typeof keyName === "string") keyNames.add(keyName);
  }
  const checkHashKey = (policy: unknown, path: PathSegment[]): void => {
    const hashKey = fieldOf(fieldOf(policy, "loadBalancer"), "hashKey");
    if (typeof hashKey === "string" && !keyNames.has(hashKey)) {
      const known =
        keyNames.size > 0
          ? `loads carry: ${list(keyNames)}`
          : "no load has keys (add keys: { name, count } to a load)";
      findings.push({
        path: [...path, "loadBalancer", "hashKey"],
        at: "value",
        message: `no load carries a key named \`${hashKey}\`; ${known}`,
      });
    }
  };
  checkHashKey(fieldOf(fieldOf(raw, "mesh"), "defaults"), ["mesh", "defaults"]);
  for (const [service, policy] of entriesOf(fieldOf(fieldOf(raw, "mesh"), "services")))
    checkHashKey(policy, ["mesh", "services", service]);

  // Routes may only match attributes (and values) that some load sets: a typo would never match.
  const attributes = new Map<string, Set<string>>();
  for (const entry of itemsOf(fieldOf(raw, "load"))) {
    for (const [attribute, values] of entriesOf(fieldOf(entry, "attributes"))) {
      const known = attributes.get(attribute) ?? new Set<string>();
      for (const [value] of entriesOf(values)) known.add(value);
      attributes.set(attribute, known);
    }
  }
  for (const [service, policy] of entriesOf(fieldOf(fieldOf(raw, "mesh"), "services"))) {
    itemsOf(fieldOf(policy, "routes")).forEach((route, r) => {
      itemsOf(fieldOf(route, "match")).forEach((match, m) => {
        for (const [attribute, value] of entriesOf(match)) {
          const path = ["mesh", "services", service, "routes", r, "match", m, attribute];
          const values = attributes.get(attribute);
          if (values === undefined) {
            const known =
              attributes.size > 0
                ? `loads set: ${list(attributes.keys())}`
                : "no load sets attributes";
            findings.push({
              path,
              at: "key",
              message: `no load sets attribute \`${attribute}\`, so this never matches; ${known}`,
            });
          } else if (typeof value === "string" && !values.has(value)) {
            findings.push({
              path,
              at: "value",
              message: `no load gives ${attribute} the value ${quote(value)}; values are: ${list(values)}`,
            });
          }
        }
      });
    });
  }
  for (const key of ["subsets", "routes"]) {
    if (fieldOf(fieldOf(fieldOf(raw, "mesh"), "defaults"), key) !== undefined) {
      findings.push({
        path: ["mesh", "defaults", key],
        at: "key",
        message: `${key} belong to one service: put them under mesh.services.<name>`,
      });
    }
  }

  const zones = new Set<string>(["default"]);
  for (const [, spec] of entriesOf(fieldOf(raw, "services"))) {
    for (const zone of itemsOf(fieldOf(spec, "zones")))
      if (typeof zone === "string") zones.add(zone);
  }
  const loadNames = new Map<string, number>();
  itemsOf(fieldOf(raw, "load")).forEach((entry, index) => {
    const zone = fieldOf(entry, "zone");
    if (typeof zone === "string" && !zones.has(zone)) {
      const message = `no service has instances in zone \`${zone}\`; zones are: ${list(zones)}`;
      findings.push({ path: ["load", index, "zone"], at: "value", message });
    }
    const missing = missingOperation(fieldOf(entry, "target"), catalog);
    if (missing !== null)
      findings.push({ path: ["load", index, "target"], at: "value", message: missing });
    const name = fieldOf(entry, "name");
    if (typeof name !== "string") return;
    const first = loadNames.get(name);
    if (first === undefined) loadNames.set(name, index);
    else {
      const message = `load name ${quote(name)} is already used by load[${first}]`;
      findings.push({ path: ["load", index, "name"], at: "value", message });
    }
  });
  return findings;
}

/**
 * The k6 threshold expressions, parsed (pass 1 checked only the shape), with their load tags
 * checked against the load names. Malformed keys and non-string items are pass 1's to report.
 */
function parseThresholds(raw: unknown): { specs: ThresholdSpec[]; findings: Finding[] } {
  const specs: ThresholdSpec[] = [];
  const findings: Finding[] = [];
  const loadNames = new Set(itemsOf(fieldOf(raw, "load")).map((entry) => fieldOf(entry, "name")));
  for (const [key, expressions] of entriesOf(fieldOf(raw, "thresholds"))) {
    const match = THRESHOLD_KEY_PATTERN.exec(key);
    if (match === null) continue;
    const metric = match[1] as ThresholdMetric;
    const load = match[2] ?? null;
    if (load !== null && !loadNames.has(load)) {
      const names = [...loadNames].filter((name): name is string => typeof name === "string");
      const message = `there is no load \`${load}\`; loads are: ${list(names)}`;
      findings.push({ path: ["thresholds", key], at: "key", message });
    }
    itemsOf(expressions).forEach((expression, index) => {
      if (typeof expression !== "string") return;
      try {
        specs.push({ metric, load, expression, ...parseThresholdExpression(metric, expression) });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        findings.push({ path: ["thresholds", key, index], at: "value", message });
      }
    });
  }
  return { specs, findings };
}

/** One finding per distinct cycle, at the call that closes it: "a.x → b.y → a.x". */
function findCycles(edges: Map<string, CallEdge[]>): Finding[] {
  const findings: Finding[] = [];
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (node: string): void => {
    state.set(node, "active");
    stack.push(node);
    for (const edge of edges.get(node) ?? []) {
      const seen = state.get(edge.to);
      if (seen === undefined) {
        visit(edge.to);
      } else if (seen === "active") {
        const cycle = stack.slice(stack.indexOf(edge.to));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)].join(" ");
        if (!reported.has(canonical)) {
          reported.add(canonical);
          const shown = [...cycle, edge.to].join(" → ");
          findings.push({
            path: edge.path,
            at: "value",
            message: `calls form a cycle: ${shown}; a request would never finish`,
          });
        }
      }
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Pass 2b: relations between fields, and conversion to the Scenario types.

function toRef(text: string): OperationRef {
  const dot = text.indexOf(".");
  return { service: text.slice(0, dot), operation: text.slice(dot + 1) };
}

function toStep(step: RawCallStep): CallStep {
  if (step.parallel !== undefined)
    return { kind: "parallel", steps: step.parallel.map(toStep), probability: step.probability };
  return { kind: "call", target: toRef(step.call ?? ""), probability: step.probability };
}

function lifecycleOf(raw: ScenarioFile["services"][string]["lifecycle"]): LifecycleSpec | null {
  if (raw === undefined) return null;
  return {
    startupTimeMs: raw.startupTime,
    preStopDelayMs: raw.preStopDelay,
    terminationGracePeriodMs: raw.terminationGracePeriod,
    restartPolicy: raw.restartPolicy,
  };
}

/** The service's HPA; it scales the one version the service runs (a Deployment), between min and max. */
function autoscalingOf(
  service: ScenarioFile["services"][string],
  name: string,
  versions: VersionSpec[],
  findings: Finding[],
): AutoscalingSpec | null {
  const raw = service.autoscaling;
  if (raw === undefined) return null;
  const path = ["services", name, "autoscaling"];
  if (versions.filter((v) => v.instances > 0).length > 1) {
    findings.push({
      path,
      at: "key",
      message:
        "scales one Deployment: give the service one running version (others may have 0 instances)",
    });
  }
  const running = versions.reduce((n, v) => n + v.instances, 0);
  if (raw.maxReplicas < raw.minReplicas) {
    findings.push({
      path: [...path, "maxReplicas"],
      at: "value",
      message: `must be ≥ minReplicas (${raw.minReplicas}), found ${raw.maxReplicas}`,
    });
  } else if (running < raw.minReplicas || running > raw.maxReplicas) {
    findings.push({
      path: [...path, "maxReplicas"],
      at: "value",
      message: `the service starts with ${running} instances, outside [minReplicas ${raw.minReplicas}, maxReplicas ${raw.maxReplicas}]`,
    });
  }
  const rules = (r: { stabilizationWindow?: number; tolerance?: number } | undefined) => ({
    ...(r?.stabilizationWindow !== undefined
      ? { stabilizationWindowMs: r.stabilizationWindow }
      : {}),
    ...(r?.tolerance !== undefined ? { tolerance: r.tolerance } : {}),
  });
  return {
    minReplicas: raw.minReplicas,
    maxReplicas: raw.maxReplicas,
    targetCPUUtilizationPercentage: raw.targetCPUUtilizationPercentage,
    syncPeriodMs: raw.syncPeriod,
    scaleUp: rules(raw.scaleUp),
    scaleDown: rules(raw.scaleDown),
  };
}

/** The versions of a service (one `default` version when none are given) and their total. */
function versionsOf(
  service: ScenarioFile["services"][string],
  name: string,
  doc: Document,
  findings: Finding[],
): { instances: number; versions: VersionSpec[] } {
  if (service.versions === undefined) {
    const instances = service.instances ?? 1;
    return {
      instances,
      versions: [
        {
          name: "default",
          instances,
          labels: { version: "default" },
          weight: 1,
          serviceTimeFactor: 1,
        },
      ],
    };
  }
  const versions = inFileOrder(service.versions, doc, ["services", name, "versions"]).map(
    ([versionName, v]): VersionSpec => ({
      name: versionName,
      instances: v.instances,
      labels: { ...v.labels, version: versionName },
      weight: v.weight,
      serviceTimeFactor: v.serviceTimeFactor,
    }),
  );
  const total = versions.reduce((sum, v) => sum + v.instances, 0);
  if (versions.length === 0) {
    findings.push({
      path: ["services", name, "versions"],
      at: "value",
      message: "needs at least one version",
    });
  } else if (total === 0) {
    findings.push({
      path: ["services", name, "versions"],
      at: "value",
      message:
        "needs at least one instance at the start; only a rollout's target version may have 0",
    });
  } else if (service.instances !== undefined && service.instances !== total) {
    const message = `is ${service.instances} but the versions add up to ${total}; give one or make them agree`;
    findings.push({ path: ["services", name, "instances"], at: "value", message });
  }
  return { instances: total, versions };
}

function compareOf(file: ScenarioFile, findings: Finding[]): CompareSpec | null {
  if (file.compare === undefined) return null;
  const names = new Set<string>();
  const variants = file.compare.variants.map((variant, index): VariantSpec => {
    if (names.has(variant.name)) {
      findings.push({
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
        findings.push({ path: ["compare", "variants", index, "set", key], at: "key", message });
      } else set.push({ path, value });
    }
    return { name: variant.name, set };
  });
  return { seeds: file.compare.seeds, variants };
}

/** Istio's default policy when neither mesh.services.<name> nor mesh.defaults names one. */
const DEFAULT_LOAD_BALANCER: LoadBalancerSpec = {
  policy: "least-request",
  choiceCount: 2,
  activeRequestBias: 1,
  slowStart: null,
};

/**
 * mesh.services.<name> over mesh.defaults over the built-in default, field by field. Subsets and
 * routes belong to one service, as a DestinationRule's and VirtualService's do.
 */
function trafficPolicyFor(
  file: ScenarioFile,
  service: string,
  versions: VersionSpec[],
  findings: Finding[],
): TrafficPolicy {
  const own = file.mesh.services[service];
  const raw = own?.loadBalancer ?? file.mesh.defaults.loadBalancer;
  const path = ["mesh", "services", service];
  const subsets = (own?.subsets ?? []).map((subset, i): SubsetSpec => {
    const selects = versions.some((v) =>
      Object.entries(subset.labels).every(([k, value]) => v.labels[k] === value),
    );
    if (!selects) {
      const message = `selects no instance of ${service}; its versions have labels ${versions.map((v) => JSON.stringify(v.labels)).join(", ")}`;
      findings.push({ path: [...path, "subsets", i, "labels"], at: "value", message });
    }
    if ((own?.subsets ?? []).findIndex((other) => other.name === subset.name) !== i) {
      findings.push({
        path: [...path, "subsets", i, "name"],
        at: "value",
        message: `subset ${quote(subset.name)} is defined twice`,
      });
    }
    return { name: subset.name, labels: subset.labels };
  });
  const routes = (own?.routes ?? []).map((route, r): RouteSpec => {
    const routePath = [...path, "routes", r, "route"];
    const destinations = route.route.map((d, i) => {
      if (d.subset !== undefined && !subsets.some((s) => s.name === d.subset)) {
        const known =
          subsets.length > 0
            ? `subsets are: ${list(subsets.map((s) => s.name))}`
            : `${service} has no subsets`;
        findings.push({
          path: [...routePath, i, "subset"],
          at: "value",
          message: `no subset ${quote(d.subset)}; ${known}`,
        });
      }
      return {
        subset: d.subset ?? null,
        weight: d.weight ?? (route.route.length === 1 ? 100 : -1),
      };
    });
    if (
      destinations.some((d) => d.weight < 0) ||
      destinations.reduce((sum, d) => sum + d.weight, 0) !== 100
    ) {
      const message =
        "the destinations' weights must add up to 100 (a single destination may leave its weight out)";
      findings.push({ path: routePath, at: "key", message });
    }
    return { match: route.match, destinations };
  });
  return {
    loadBalancer: raw === undefined ? DEFAULT_LOAD_BALANCER : toLoadBalancer(raw),
    subsets,
    routes,
    resilience: resilienceFor(own, file.mesh.defaults, path, findings),
    locality: localityOf(own?.localityLbSetting ?? file.mesh.defaults.localityLbSetting),
  };
}

/** Istio's mesh-wide default: locality failover on (it takes effect where outlier detection is set). */
function localityOf(raw: RawPolicy["localityLbSetting"]): LocalitySpec {
  return raw === undefined
    ? { enabled: true, overprovisioningFactor: 140 }
    : { enabled: raw.enabled, overprovisioningFactor: raw.overprovisioningFactor };
}

type RawPolicy = ScenarioFile["mesh"]["defaults"];

/** Istio's default retry policy (no VirtualService retries): 2 attempts on connection-level failures. */
const ISTIO_DEFAULT_RETRIES: RetrySpec = {
  attempts: 2,
  perTryTimeoutMs: null,
  retryOn: [...ISTIO_DEFAULT_RETRY_ON],
  backoff: { baseMs: 25, maxMs: 250, jitter: "full" },
};

/** Field by field: the service's own setting, else mesh.defaults', else Istio's/Envoy's default. */
function resilienceFor(
  own: RawPolicy | undefined,
  defaults: RawPolicy,
  path: (string | number)[],
  findings: Finding[],
): ResilienceSpec {
  const pick = <K extends keyof RawPolicy>(key: K): RawPolicy[K] =>
    own?.[key] !== undefined ? own[key] : defaults[key];
  const whereSet = (key: string) =>
    own?.[key as keyof RawPolicy] !== undefined ? path : ["mesh", "defaults"];
  const rawRetries = pick("retries");
  const retries: RetrySpec =
    rawRetries === undefined
      ? ISTIO_DEFAULT_RETRIES
      : {
          attempts: rawRetries.attempts,
          perTryTimeoutMs: rawRetries.perTryTimeout ?? null,
          retryOn: rawRetries.retryOn ?? [...ISTIO_DEFAULT_RETRY_ON],
          backoff: {
            baseMs: rawRetries.backoff.base,
            maxMs: rawRetries.backoff.max ?? 10 * rawRetries.backoff.base,
            jitter: rawRetries.backoff.jitter,
          },
        };
  if (retries.backoff.maxMs < retries.backoff.baseMs) {
    findings.push({
      path: [...whereSet("retries"), "retries", "backoff", "max"],
      at: "value",
      message: "must not be shorter than backoff.base",
    });
  }
  const rawHedging = pick("hedging");
  if (rawHedging != null && rawRetries !== undefined && rawRetries.attempts > 0) {
    const message =
      "hedging and retries exclude each other (as in gRPC): set retries.attempts to 0 or drop hedging";
    findings.push({ path: [...whereSet("hedging"), "hedging"], at: "key", message });
  }
  const breaker = pick("circuitBreaker");
  const outlier = pick("outlierDetection");
  const pool = pick("connectionPool");
  const limit = pick("rateLimit");
  const budget = pick("retryBudget");
  return {
    timeoutMs: pick("timeout") ?? null,
    retries: rawHedging != null && rawRetries === undefined ? { ...retries, attempts: 0 } : retries,
    retryBudget:
      budget == null
        ? null
        : { budgetPercent: budget.budgetPercent, minRetryConcurrency: budget.minRetryConcurrency },
    maxRetries: pick("maxRetries") ?? ISTIO_DEFAULT_MAX_RETRIES,
    hedging:
      rawHedging == null
        ? null
        : {
            delayMs: rawHedging.delay,
            maxAttempts: rawHedging.maxAttempts,
            cancelLosers: rawHedging.cancelLosers,
          },
    cancelOnTimeout: pick("cancelOnTimeout") ?? false,
    circuitBreaker:
      breaker == null
        ? null
        : {
            slidingWindowType: breaker.slidingWindowType,
            slidingWindowSize: breaker.slidingWindowSize,
            minimumNumberOfCalls: breaker.minimumNumberOfCalls,
            failureRateThreshold: breaker.failureRateThreshold,
            slowCallRateThreshold: breaker.slowCallRateThreshold,
            slowCallDurationThresholdMs: breaker.slowCallDurationThreshold,
            waitDurationInOpenStateMs: breaker.waitDurationInOpenState,
            permittedNumberOfCallsInHalfOpenState: breaker.permittedNumberOfCallsInHalfOpenState,
            automaticTransitionFromOpenToHalfOpenEnabled:
              breaker.automaticTransitionFromOpenToHalfOpenEnabled,
            maxWaitDurationInHalfOpenStateMs: breaker.maxWaitDurationInHalfOpenState,
          },
    outlierDetection:
      outlier == null
        ? null
        : {
            consecutive5xxErrors: outlier.consecutive5xxErrors,
            consecutiveGatewayErrors: outlier.consecutiveGatewayErrors,
            intervalMs: outlier.interval,
            baseEjectionTimeMs: outlier.baseEjectionTime,
            maxEjectionTimeMs: outlier.maxEjectionTime,
            maxEjectionPercent: outlier.maxEjectionPercent,
            alwaysEjectOneHost: outlier.alwaysEjectOneHost,
            successRateMinimumHosts: outlier.successRateMinimumHosts,
            successRateRequestVolume: outlier.successRateRequestVolume,
            successRateStdevFactor: outlier.successRateStdevFactor,
            enforcingSuccessRate: outlier.enforcingSuccessRate,
            failurePercentageThreshold: outlier.failurePercentageThreshold,
            enforcingFailurePercentage: outlier.enforcingFailurePercentage,
            failurePercentageMinimumHosts: outlier.failurePercentageMinimumHosts,
            failurePercentageRequestVolume: outlier.failurePercentageRequestVolume,
          },
    healthyPanicThreshold: pick("healthyPanicThreshold") ?? 50,
    connectionPool:
      pool === undefined
        ? {
            maxRequests: MAX_THRESHOLD,
            maxPendingRequests: MAX_THRESHOLD,
            maxConnections: MAX_THRESHOLD,
          }
        : pool,
    rateLimit:
      limit == null
        ? null
        : {
            maxTokens: limit.maxTokens,
            tokensPerFill: limit.tokensPerFill,
            fillIntervalMs: limit.fillInterval,
            per: limit.per,
          },
    connectTimeoutMs: pick("connectTimeout") ?? 10_000,
    healthCheck: healthCheckOf(pick("healthCheck")),
  };
}

const MAX_THRESHOLD = 2 ** 32 - 1;

/** The recovery settings of a traffic policy that sets none (Istio's and Envoy's defaults). */
export function defaultResilience(): ResilienceSpec {
  return resilienceFor(undefined, { subsets: [], routes: [] }, [], []);
}

type RawLoadBalancer = NonNullable<ScenarioFile["mesh"]["defaults"]["loadBalancer"]>;

type RawSlowStart = Extract<RawLoadBalancer, { policy: "least-request" }>["slowStartConfig"];

function slowStartOf(raw: RawSlowStart): SlowStartSpec | null {
  return raw === undefined
    ? null
    : {
        windowMs: raw.slowStartWindow,
        aggression: raw.aggression,
        minWeightPercent: raw.minWeightPercent,
      };
}

function toLoadBalancer(raw: RawLoadBalancer): LoadBalancerSpec {
  switch (raw.policy) {
    case "random":
      return { policy: raw.policy };
    case "round-robin":
    case "weighted-round-robin":
      return { policy: raw.policy, slowStart: slowStartOf(raw.slowStartConfig) };
    case "least-request":
      return {
        policy: raw.policy,
        choiceCount: raw.choiceCount,
        activeRequestBias: raw.activeRequestBias,
        slowStart: slowStartOf(raw.slowStartConfig),
      };
    case "peak-ewma":
      return { policy: raw.policy, decayTimeMs: raw.decayTime, defaultRttMs: raw.defaultRtt };
    case "ring-hash":
      return {
        policy: raw.policy,
        hashKey: raw.hashKey,
        minimumRingSize: raw.minimumRingSize,
        maximumRingSize: raw.maximumRingSize,
        hashBalanceFactor: raw.hashBalanceFactor ?? null,
      };
    case "maglev":
      return {
        policy: raw.policy,
        hashKey: raw.hashKey,
        tableSize: raw.tableSize,
        hashBalanceFactor: raw.hashBalanceFactor ?? null,
      };
  }
}

function buildScenario(
  file: ScenarioFile,
  thresholds: ThresholdSpec[],
  doc: Document,
  findings: Finding[],
): Scenario {
  if (file.warmup >= file.duration) {
    findings.push({
      path: ["warmup"],
      at: "value",
      message: `must be shorter than duration (${formatDuration(file.duration)}), found ${formatDuration(file.warmup)}`,
    });
  }
  const services = inFileOrder(file.services, doc, ["services"]).map(
    ([name, service]): ServiceSpec => {
      const { instances, versions } = versionsOf(service, name, doc, findings);
      return {
        name,
        instances,
        versions,
        concurrency: service.concurrency,
        queueCapacity: service.queue?.capacity ?? Infinity,
        threading: service.threading,
        zones: service.zones,
        cache: service.cache ?? null,
        trafficPolicy: trafficPolicyFor(file, name, versions, findings),
        lifecycle: lifecycleOf(service.lifecycle),
        autoscaling: autoscalingOf(service, name, versions, findings),
        operations: inFileOrder(service.operations, doc, ["services", name, "operations"]).map(
          ([opName, op]): OperationSpec => ({
            name: opName,
            serviceTime: op.serviceTime,
            errorRate: op.errorRate,
            calls: op.calls.map(toStep),
          }),
        ),
      };
    },
  );
  const compare = compareOf(file, findings);
  const faults = resolveFaults(
    file.faults,
    services,
    file.load.map((entry) => entry.name),
    file.duration,
  );
  findings.push(...faults.findings);
  const alerts = resolveAlerts(file.alerts, {
    loads: file.load.map((entry) => entry.name),
    services,
    bucketsMs: file.monitoring.buckets,
    scrapeIntervalMs: file.monitoring.scrapeInterval,
  });
  findings.push(...alerts.findings);
  const security = resolveSecurity(
    file.security,
    file.authorizationPolicies,
    services,
    file.load.map((entry) => entry.identity),
  );
  findings.push(...security.findings);
  return {
    version: file.version,
    name: file.name,
    seed: file.seed,
    durationMs: file.duration,
    warmupMs: file.warmup,
    maxEvents: file.maxEvents,
    network: { latency: file.network.latency, crossZoneLatency: file.network.crossZoneLatency },
    services,
    load: file.load.map((entry, index) => toLoad(entry, index, file.duration, findings)),
    faults: faults.faults,
    thresholds,
    monitoring: {
      scrapeIntervalMs: file.monitoring.scrapeInterval,
      maxPoints: file.monitoring.maxPoints,
      bucketsMs: file.monitoring.buckets,
    },
    alerts: alerts.rules,
    compare,
    tracing: tracingOf(file.tracing),
    security: security.spec,
    changes: [],
    registry: registryOf(file, findings),
  };
}

/** The `registry` section with its kind's defaults, or null; a registry-outage without one is a finding. */
function registryOf(file: ScenarioFile, findings: Finding[]): Scenario["registry"] {
  if (file.registry === undefined) {
    file.faults.forEach((fault, index) => {
      if (fault.kind !== "registry-outage") return;
      const message =
        "a registry-outage takes the registry down, but the scenario has no `registry:` section (eureka, nacos, consul or kubernetes)";
      findings.push({ path: ["faults", index, "kind"], at: "value", message });
    });
    return null;
  }
  return toRegistry(file.registry);
}

function healthCheckOf(raw: RawPolicy["healthCheck"]): ResilienceSpec["healthCheck"] {
  return raw == null ? null : toHealthCheck(raw);
}

const OVERRIDE_PATHS: PathSyntax = { parse: parseOverridePath, render: renderPath };

/**
 * The config pushes in time order, each with the traffic policies of the version it creates: the
 * file (with `source.overrides`) and every push up to it applied, parsed like the file. Versions
 * are parsed only when everything else is valid, so each of their problems is a push's.
 */
function changesOf(
  file: ScenarioFile,
  source: { text: string; file: string; overrides: readonly Override[]; withVersions: boolean },
  findings: Finding[],
): ChangeSpec[] {
  const resolved = resolveChanges(file.changes, file.duration, OVERRIDE_PATHS);
  findings.push(...resolved.findings);
  if (!source.withVersions || findings.length > 0 || resolved.pushes.length === 0)
    return resolved.pushes;
  const parseVersion: VersionParser = (set) =>
    parseOrCollect(source.text, source.file, [...source.overrides, ...set], false);
  findings.push(...resolveVersions(resolved, parseVersion, OVERRIDE_PATHS));
  return resolved.pushes;
}

/** The `tracing:` section as a TracingSpec (the epoch as unix ms), or null when it is absent. */
function tracingOf(raw: ScenarioFile["tracing"]): TracingSpec | null {
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

/** Stage durations summed in whole microseconds, so "100us" + "200us" equals "300us" exactly. */
function stagesOf(
  stages: readonly { duration: number; target: number }[],
  targetPer: number,
): { stages: Stage[]; totalMs: number } {
  let totalUs = 0;
  for (const stage of stages) totalUs += Math.round(stage.duration * 1000);
  return {
    stages: stages.map((s) => ({ durationMs: s.duration, target: s.target / targetPer })),
    totalMs: totalUs / 1000,
  };
}

function toLoad(entry: RawLoadEntry, index: number, runMs: number, findings: Finding[]): LoadSpec {
  for (const [attribute, values] of Object.entries(entry.attributes)) {
    const total = Object.values(values).reduce((sum, p) => sum + p, 0);
    if (Math.abs(total - 1) > 1e-9) {
      findings.push({
        path: ["load", index, "attributes", attribute],
        at: "value",
        message: `the probabilities add up to ${total}, not 1`,
      });
    }
  }
  const at = (key: string): PathSegment[] => ["load", index, key];
  if (entry.startTime >= runMs) {
    findings.push({
      path: at("startTime"),
      at: "value",
      message: `must be before the end of the run (duration ${formatDuration(runMs)}), found ${formatDuration(entry.startTime)}`,
    });
  }
  /** Ramping executors run exactly as long as their stages; a `duration` must agree. */
  const ramped = (totalMs: number): number => {
    if (totalMs === 0) {
      findings.push({
        path: at("stages"),
        at: "value",
        message: "the stage durations must add up to more than 0",
      });
    }
    if (entry.duration !== undefined && entry.duration !== totalMs) {
      findings.push({
        path: at("duration"),
        at: "value",
        message:
          `is ${formatDuration(entry.duration)} but the stages add up to ${formatDuration(totalMs)}; ` +
          "leave duration out or make them agree",
      });
    }
    return totalMs;
  };
  const common = {
    name: entry.name,
    target: toRef(entry.target),
    startTimeMs: entry.startTime,
    durationMs: entry.duration ?? runMs - entry.startTime,
    clients: entry.clients,
    zone: entry.zone ?? null,
    keys: entry.keys ?? null,
    attributes: Object.entries(entry.attributes).map(([attribute, values]) => ({
      name: attribute,
      values: Object.entries(values).map(([value, probability]) => ({ value, probability })),
    })),
  };
  switch (entry.executor) {
    case "constant-arrival-rate":
      return {
        ...common,
        executor: entry.executor,
        ratePerMs: entry.rate / entry.timeUnit,
        arrival: entry.arrival,
      };
    case "ramping-arrival-rate": {
      const { stages, totalMs } = stagesOf(entry.stages, entry.timeUnit);
      return {
        ...common,
        durationMs: ramped(totalMs),
        executor: entry.executor,
        startRatePerMs: entry.startRate / entry.timeUnit,
        stages,
        arrival: entry.arrival,
      };
    }
    case "constant-vus":
      return { ...common, executor: entry.executor, vus: entry.vus, thinkTime: entry.thinkTime };
    case "ramping-vus": {
      const { stages, totalMs } = stagesOf(entry.stages, 1);
      return {
        ...common,
        durationMs: ramped(totalMs),
        executor: entry.executor,
        startVUs: entry.startVUs,
        stages,
        thinkTime: entry.thinkTime,
      };
    }
  }
}
