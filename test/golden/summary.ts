// Golden summaries of the shipped scenarios (../shared/STYLE.md habit 11): a reduced, stable extract
// of each scenario's `meshsim run` result (and of its `meshsim compare`, when it has a compare:
// section), committed as test/golden/<scenario>.json. golden.test.ts diffs them; `npm run
// golden:update` (UPDATE_GOLDENS=1 vitest run test/golden --update) rewrites them when a change in
// behaviour is meant.
// Only the public library surface is used, so files moving under src/ leave this alone.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Comparison,
  compare,
  loadScenarioFile,
  type RunResult,
  runScenario,
} from "../../src/index.ts";

export const SCENARIOS_DIR = fileURLToPath(new URL("../../scenarios/", import.meta.url));
export const GOLDEN_DIR = fileURLToPath(new URL("./", import.meta.url));

/** Scenarios whose golden test has a file of its own (the slowest), so vitest runs them beside the rest. */
export const IN_FILES_OF_THEIR_OWN: readonly string[] = ["compare-balancers"];

/** Every shipped scenario's name (scenarios/<name>.yaml), sorted. */
export function shippedScenarios(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => basename(f, ".yaml"))
    .sort();
}

export interface Golden {
  run: ReturnType<typeof runSummary>;
  compare: ReturnType<typeof compareSummary> | null;
}

/** failed / (completed + failed), to 6 significant digits, as the result rounds. */
function errorRate(completed: number, failed: number): number {
  const finished = completed + failed;
  return finished === 0 ? 0 : Number((failed / finished).toPrecision(6));
}

/** What a run's behaviour is judged by: counts, percentiles, error rates, verdicts, alert times. */
export function runSummary(r: RunResult) {
  return {
    scenario: r.scenario,
    seed: r.seed,
    simulatedMs: r.simulatedMs,
    events: r.events,
    stopReason: r.stopReason,
    load: Object.fromEntries(
      Object.entries(r.load).map(([name, l]) => [
        name,
        {
          offered: l.offered,
          completed: l.completed,
          failed: l.failed,
          inFlight: l.inFlight,
          errorRate: errorRate(l.completed, l.failed),
          failures: l.failures,
          latencyMs: {
            mean: l.latencyMs.mean,
            p50: l.latencyMs.p50,
            p90: l.latencyMs.p90,
            p99: l.latencyMs.p99,
            max: l.latencyMs.max,
          },
        },
      ]),
    ),
    services: Object.fromEntries(
      Object.entries(r.services).map(([name, s]) => [
        name,
        {
          requests: s.requests,
          errors: s.errors,
          rejected: s.rejected,
          utilization: s.utilization,
          p99Ms: s.latencyMs.p99,
        },
      ]),
    ),
    thresholds: r.thresholds.map(
      (t) => `${t.metric}: ${t.expression} ${t.ok ? "ok" : "FAILED"} (${t.actual})`,
    ),
    faults: r.faults.map(
      (f) => `${f.name} (${f.kind}) ${f.startMs}..${f.endMs ?? "end"} on ${f.targets.join(" ")}`,
    ),
    alerts: r.alerts.timeline.map((e) => {
      const labels = Object.entries(e.labels).map(([k, v]) => `${k}=${v}`);
      return `${e.alert}{${labels.join(",")}} pending ${e.pendingAtMs} firing ${e.firingAtMs} resolved ${e.resolvedAtMs}`;
    }),
    detection: r.alerts.detection.map(
      (d) =>
        `${d.fault}: ${d.alerts.map((a) => `${a.alert} after ${a.delayMs} ms`).join(", ") || "undetected"}`,
    ),
    falseAlarms: r.alerts.falseAlarms.length,
    stateChanges: r.stateChanges.length,
    controlPlane: controlPlaneSummary(r),
    // Only for scenarios with effects, so the other summaries keep their bytes.
    ...(r.transactions === undefined ? {} : { transactions: transactionsSummary(r) }),
    // Only for scenarios with a ramping load, likewise.
    ...(r.loadStages === undefined
      ? {}
      : {
          loadStages: r.loadStages.map(
            (c) => `${c.atMs} ${c.load} ${c.stage ?? "end"}: ${c.from}->${c.to} ${c.unit}`,
          ),
        }),
  };
}

/** The ledger's counts and the invariants that broke (docs/transactions.md). */
function transactionsSummary(r: RunResult) {
  const t = r.transactions!;
  return {
    orders: t.orders,
    doubleCharges: t.doubleCharges,
    duplicateCharges: t.duplicateCharges,
    chargesWithoutOrder: t.chargesWithoutOrder,
    orphanedReservations: t.orphanedReservations,
    idempotency: t.idempotency,
    // Only for scenarios with sagas, so the other summaries keep their bytes.
    ...(t.compensationTries === undefined
      ? {}
      : { sagas: t.sagas, compensationTries: t.compensationTries }),
    broken: t.invariants.filter((i) => !i.holds).map((i) => `${i.name}: ${i.violations}`),
  };
}

/** One line per control-plane part the result has: rollouts, HPA syncs, config deliveries, security, discovery. */
function controlPlaneSummary(r: RunResult): string[] {
  const lines: string[] = [];
  if (r.recovery !== null) {
    for (const ro of r.recovery.rollouts) {
      lines.push(`rollout ${ro.name}: ${ro.startedAtMs}..${ro.finishedAtMs}`);
    }
    for (const [service, syncs] of Object.entries(r.recovery.autoscaling)) {
      const changes = syncs.filter((s) => s.desired !== s.currentReplicas);
      lines.push(
        `hpa ${service}: ${changes.map((s) => `${s.atMs} ${s.currentReplicas}->${s.desired}`).join(", ")}`,
      );
    }
  }
  if (r.config !== null) {
    for (const v of r.config.versions) {
      lines.push(`config v${v.version} ${v.name}: ${v.delivered} proxies, last at ${v.lastMs}`);
    }
  }
  if (r.security !== null) {
    lines.push(`security: ${r.security.refused} refused, ${r.security.denied} denied`);
  }
  if (r.discovery !== null) {
    for (const [edge, e] of Object.entries(r.discovery.edges)) {
      lines.push(`discovery ${edge}: ${e.sentToDead} to dead, ${e.sentToDraining} to draining`);
    }
  }
  return lines;
}

/** Per variant what `meshsim compare` prints: per-load error rate and percentiles, imbalance, cache. */
export function compareSummary(c: Comparison) {
  return {
    seeds: c.seeds,
    variants: c.variants.map((v) => ({
      name: v.name,
      loads: v.loads.map((l) => ({
        load: l.load,
        offered: l.offered,
        errorRate: l.errorRate,
        latencyMs: { p50: l.latencyMs.p50, p90: l.latencyMs.p90, p99: l.latencyMs.p99 },
      })),
      maxImbalance: v.maxImbalance,
      cacheHitRatio: v.cacheHitRatio,
    })),
  };
}

/**
 * A scenario's golden summary, computed now. A compare variant that sets nothing is the scenario
 * as written, and the comparison's first seed is the file's: its first run is the very result
 * `meshsim run` gives (same parse, same seed), so it is taken from there instead of running twice.
 */
export async function goldenOf(name: string): Promise<Golden> {
  const file = join(SCENARIOS_DIR, `${name}.yaml`);
  const scenario = loadScenarioFile(file);
  if (scenario.compare === null) return { run: runSummary(runScenario(scenario)), compare: null };
  const comparison = await compare(file, { workers: "inline" });
  const asWritten = comparison.variants.find((v) => Object.keys(v.set).length === 0);
  const run = asWritten?.results[0] ?? runScenario(scenario);
  return { run: runSummary(run), compare: compareSummary(comparison) };
}

export function goldenPath(name: string): string {
  return join(GOLDEN_DIR, `${name}.json`);
}

export function goldenText(golden: Golden): string {
  return `${JSON.stringify(golden, null, 2)}\n`;
}

/** The committed summary's text, or null when there is none yet. */
export function committedGolden(name: string): string | null {
  try {
    return readFileSync(goldenPath(name), "utf8");
  } catch {
    return null;
  }
}
