// One run with invariant checkers and coverage probes watching it as it happens. By default the run
// stops at the first violation (its simulated time, request and trail are what a shrinker needs);
// with `stopAtFirst: false` it runs to the end, so its result is byte for byte the unwatched one,
// and reports the first violation beside it (what `meshsim run` does for a file's `invariants:`).

import type { RunWatcher } from "../model/observer.ts";
import type { RunResult } from "../run/result.ts";
import { runScenario } from "../run/runScenario.ts";
import type { Scenario } from "../scenario/types.ts";
import { builtInInvariants } from "./checkers/index.ts";
import { BUILT_IN_PROBES, type Probe } from "./coverage.ts";
import { eventWatcher, type RunEvent } from "./events.ts";
import type { Breach, Invariant, InvariantWatch, Violation } from "./invariant.ts";

export interface CheckedRunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Default: every built-in checker. */
  invariants?: readonly Invariant[];
  /** Default: the built-in probes. */
  probes?: readonly Probe[];
  /** Stop at the first violation (default true). */
  stopAtFirst?: boolean;
  /** Events kept for a violation's trail (default 20). */
  trailLength?: number;
}

export interface CheckedRun {
  /** The run's result, or null when it stopped at a violation. */
  result: RunResult | null;
  violation: Violation | null;
  /** The probes whose state the run reached, in the probes' order. */
  reached: string[];
}

/** Thrown through the simulator to end a run at its first violation. */
class StopAtViolation extends Error {}

/** Events kept in memory to pick a trail from: enough to find a request's own recent events. */
const RING = 512;

/** Watches one run: pass `watcher` to runScenario, then `end` with its result (or null if it stopped). */
export interface RunCheck {
  readonly watcher: RunWatcher;
  end(result: RunResult | null): CheckedRun;
}

/** A watch over one run of `scenario`, for callers that run it themselves (the CLI's `run`). */
export function createCheck(scenario: Scenario, options: CheckedRunOptions = {}): RunCheck {
  const stopAtFirst = options.stopAtFirst ?? true;
  const trailLength = options.trailLength ?? 20;
  const watches = (options.invariants ?? builtInInvariants()).map((invariant) => ({
    name: invariant.name,
    watch: invariant.watch(scenario) as InvariantWatch,
  }));
  const probes = options.probes ?? BUILT_IN_PROBES;
  const probeWatches = probes.map((p) => p.watch(scenario));
  const reached = probes.map(() => false);
  const ring: RunEvent[] = [];
  const state: { violation: Violation | null } = { violation: null };

  const violate = (name: string, breach: Breach, atMs: number) => {
    const request = breach.request ?? null;
    const related =
      request === null ? ring : ring.filter((e) => "request" in e && e.request === request);
    state.violation = {
      invariant: name,
      atMs,
      request,
      message: breach.message,
      trail: related.slice(-trailLength),
    };
  };
  const sink = (event: RunEvent) => {
    if (ring.length === RING) ring.shift();
    ring.push(event);
    for (let i = 0; i < probeWatches.length; i++)
      if (!reached[i] && probeWatches[i](event)) reached[i] = true;
    if (state.violation !== null) return;
    for (const { name, watch } of watches) {
      const breach = watch.event?.(event) ?? null;
      if (breach === null) continue;
      violate(name, breach, event.atMs);
      if (stopAtFirst) throw new StopAtViolation(breach.message);
      return;
    }
  };
  return {
    watcher: eventWatcher(
      scenario.load.map((l) => l.name),
      sink,
    ),
    end(result) {
      if (result !== null && state.violation === null) {
        for (const { name, watch } of watches) {
          const breach = watch.end?.(result) ?? null;
          if (breach === null) continue;
          violate(name, breach, result.simulatedMs);
          break;
        }
      }
      return {
        result,
        violation: state.violation,
        reached: probes.filter((_, i) => reached[i]).map((p) => p.name),
      };
    },
  };
}

export function runChecked(scenario: Scenario, options: CheckedRunOptions = {}): CheckedRun {
  const check = createCheck(scenario, options);
  let result: RunResult | null = null;
  try {
    result = runScenario(scenario, { seed: options.seed, watcher: check.watcher });
  } catch (error) {
    if (!(error instanceof StopAtViolation)) throw error;
  }
  return check.end(result);
}
