// One run: build the world for (scenario, seed), run it on the simulated clock to the scenario's
// duration or event cap, and summarise. Pure: no I/O and no wall clock.

import { channel } from "node:diagnostics_channel";
import type { RunWatcher } from "../model/observer.ts";
import type { RunResult } from "../result/run.ts";
import type { TraceExport } from "../result/tracing.ts";
import { buildWorld } from "../scenario/build.ts";
import type { Scenario } from "../scenario/types.ts";
import { encodeHistograms } from "./histograms.ts";
import { type ProgressCallback, runInSlices } from "./progress.ts";
import { summarise } from "./result.ts";
import { runWithScrapes } from "./scrapedRun.ts";

/**
 * Told when a run's world is built and its first event is next (Node's diagnostics_channel: costs
 * nothing without a subscriber). bench/startup/firstEventProbe.mjs ends the process there to
 * measure the start-up cost, the same way for the bundled CLI, dist/ and the sources.
 */
export const RUN_START_CHANNEL = "meshsim:run:start";
const runStart = channel(RUN_START_CHANNEL);

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Watches the run between slices of events (see progress.ts); the result is the same with or without it. */
  onProgress?: ProgressCallback;
  /** Events per slice when watched (default DEFAULT_SLICE_EVENTS). */
  sliceEvents?: number;
  /**
   * Sees every model and load event as it happens (meshsim/testing's invariant checkers); it only
   * reads, so the result is the same with or without it. An error it throws ends the run there.
   */
  watcher?: RunWatcher;
  /** Adds the result's `histograms` (mergeable latency histograms), for experiments; off by default. */
  histograms?: boolean;
}

/** A run's result and what is written beside result.json: the kept traces, or null when tracing is off. */
export interface RunArtefacts {
  result: RunResult;
  traces: TraceExport | null;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  return runScenarioWithArtefacts(scenario, options).result;
}

export function runScenarioWithArtefacts(
  scenario: Scenario,
  options: RunOptions = {},
): RunArtefacts {
  const world = buildWorld(scenario, options.seed ?? scenario.seed, options.watcher ?? null);
  const { scheduler } = world;
  const { onProgress } = options;
  const watch =
    onProgress &&
    ((nowMs: number, events: number) =>
      onProgress({ nowMs, durationMs: scenario.durationMs, events }));
  const runUntil = (untilMs: number) =>
    watch === undefined
      ? scheduler.run(untilMs, scenario.maxEvents)
      : runInSlices(scheduler, untilMs, scenario.maxEvents, watch, options.sliceEvents);
  if (runStart.hasSubscribers) runStart.publish({ nowMs: scheduler.now });
  const reason = runWithScrapes(world.monitor, scenario.durationMs, runUntil);
  const traces = world.tracer === null ? null : world.tracer.finish(scheduler.now);
  const result = summarise(world, reason === "event-cap" ? "event-cap" : "duration");
  if (options.histograms === true) result.histograms = encodeHistograms(world);
  return { result, traces };
}
