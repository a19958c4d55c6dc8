// Pass 2b of the loader: the schema's output (shapes valid, defaults filled) → the typed Scenario,
// section by section, with relations between fields checked as each section is converted and the
// sections that have their own resolvers (faults, alerts, security, changes) handed to them.

import { formatDuration } from "../../kernel/duration.ts";
import { PROMETHEUS_SCRAPE_INTERVAL_MS } from "../defaults.ts";
import { LIMITS } from "../limits.ts";
import { type AlertsInput, resolveAlerts } from "../resolve/alerts.ts";
import type { VersionParser } from "../resolve/configPushes.ts";
import { resolveFaults } from "../resolve/faults.ts";
import { resolveSecurity } from "../resolve/security.ts";
import type { ScenarioFile } from "../schema/scenario.ts";
import type { Scenario, ServiceSpec, ThresholdSpec } from "../types.ts";
import { changesOf } from "./changes.ts";
import type { Conversion } from "./context.ts";
import { toLoad } from "./loads.ts";
import { compareOf, registryOf, tracingOf } from "./sections.ts";
import { servicesOf } from "./services.ts";
import { sweepOf } from "./sweep.ts";
import { transactionsOf } from "./transactions.ts";

export function toScenario(
  file: ScenarioFile,
  thresholds: ThresholdSpec[],
  reparse: VersionParser | null,
  cx: Conversion,
): Scenario {
  const findings = cx.findings;
  if (file.warmup >= file.duration) {
    findings.push({
      path: ["warmup"],
      at: "value",
      message: `must be shorter than duration (${formatDuration(file.duration)}), found ${formatDuration(file.warmup)}`,
    });
  }
  const scrapes = Math.floor(file.duration / file.monitoring.scrapeInterval);
  if (scrapes > LIMITS.scrapes.max) {
    const interval = file.monitoring.scrapeInterval;
    findings.push({
      // The default interval is not in the file: then the duration is what to change.
      path:
        interval === PROMETHEUS_SCRAPE_INTERVAL_MS
          ? ["duration"]
          : ["monitoring", "scrapeInterval"],
      at: "value",
      message:
        `gives ${scrapes} scrapes of every ${formatDuration(interval)} over ${formatDuration(file.duration)}; ` +
        `there may be at most ${LIMITS.scrapes.max} (${LIMITS.scrapes.why})`,
    });
  }
  const services = servicesOf(file, cx);
  const compare = compareOf(file, cx);
  const sweep = sweepOf(file, cx);
  const { faults, alerts, security } = resolveSections(file, services, cx);
  const load = file.load.map((entry, index) => toLoad(entry, index, file.duration, findings));
  const tracing = tracingOf(file.tracing);
  const registry = registryOf(file, cx);
  const transactions = transactionsOf(file, cx);
  // Last: versions are parsed only when nothing above found a problem.
  const changes = changesOf(file, services, reparse, cx);
  return {
    version: file.version,
    name: file.name,
    seed: file.seed,
    durationMs: file.duration,
    warmupMs: file.warmup,
    maxEvents: file.maxEvents,
    network: {
      latency: file.network.latency,
      crossZoneLatency: file.network.crossZoneLatency,
      crossRegionLatency: file.network.crossRegionLatency,
      regions: regionOfZone(file.regions),
    },
    services,
    load,
    faults,
    thresholds,
    monitoring: {
      scrapeIntervalMs: file.monitoring.scrapeInterval,
      maxPoints: file.monitoring.maxPoints,
      bucketsMs: file.monitoring.buckets,
    },
    alerts,
    compare,
    sweep,
    tracing,
    security,
    changes,
    registry,
    invariants: file.invariants,
    transactions,
  };
}

/** The sections with their own resolvers that need the services: faults, alerts, security. */
function resolveSections(
  file: ScenarioFile,
  services: ServiceSpec[],
  cx: Conversion,
): Pick<Scenario, "faults" | "alerts" | "security"> {
  const loadNames = file.load.map((entry) => entry.name);
  const faults = resolveFaults(file.faults, services, loadNames, file.duration);
  cx.findings.push(...faults.findings);
  const alerts = resolveAlerts(alertsInput(file.alerts), {
    loads: loadNames,
    services,
    bucketsMs: file.monitoring.buckets,
    scrapeIntervalMs: file.monitoring.scrapeInterval,
  });
  cx.findings.push(...alerts.findings);
  const loadIdentities = file.load.map((entry) => entry.identity);
  const security = resolveSecurity(
    file.security,
    file.authorizationPolicies,
    services,
    loadIdentities,
  );
  cx.findings.push(...security.findings);
  return { faults: faults.faults, alerts: alerts.rules, security: security.spec };
}

/** The alerts' rules as resolveAlerts takes them (a rule file's groups are in place by now). */
function alertsInput(alerts: ScenarioFile["alerts"]): AlertsInput {
  if (Array.isArray(alerts)) return { kind: "list", rules: alerts };
  return { kind: "groups", groups: alerts.groups ?? [], inRuleFile: alerts.file !== undefined };
}

/** Zone → region from the file's `regions` (references/regions.ts has checked a zone is in one). */
function regionOfZone(regions: ScenarioFile["regions"]): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const [region, zones] of Object.entries(regions ?? {}))
    for (const zone of zones) out.set(zone, region);
  return out;
}
