// Runs an experiment: every point on seeds firstSeed, firstSeed + 1, ... (common random numbers),
// on a pool or inline, reading finished runs back from the run store. With a precision target it
// replicates in waves (the sequential procedure of Law & Kelton, ch. 9): after each wave a point
// whose watched figures all have a 95% half-width within the target of their value stops, once it
// has at least minSeeds; the others get more seeds (the usual n·(h/target)² estimate, at most
// doubling per wave, at most maxSeeds). The rule sees only results, never wall time, so the seeds
// each point gets, and the output, are the same for any number of workers. ExperimentSession keeps
// one pool, store and run numbering open across waves for callers that choose each wave from the
// last (the capacity search). An executor may defer a run to another process (RunDeferred: a
// shard's, a merge's): the wave then ends WaveIncomplete, so sweep, compare and capacity shard alike.
// Within a wave, runs are handed to the executor longest first (by scenario/cost.ts's estimate of
// their events; ties in run order), the LPT rule of list scheduling: a sweep over rates does not
// end with its costliest point's runs on one worker while the others idle. Only the order of
// starting changes; answers are still put in run order.

import type { PrecisionOutcome } from "../result/experiment.ts";
import { digest, type RunDigest } from "./digest.ts";
import {
  type Executor,
  inlineExecutor,
  RunDeferred,
  type RunTask,
  type TaskProgress,
} from "./executor.ts";
import { watchedEstimates } from "./figures.ts";
import { poolExecutor } from "./pool.ts";
import type { RunStore } from "./runStore.ts";
import { runKey } from "./runStore.ts";
import {
  type Assignment,
  estimateCost,
  type RunResult,
  type Scenario,
  type Source,
} from "./source.ts";
import { type Estimate, isPrecise, replicationsNeeded } from "./statistics.ts";

export interface PlanPoint {
  set: Assignment[];
  label: string;
  /** The point parsed (and so validated) up front. */
  scenario: Scenario;
}

export interface PrecisionRule {
  /** Half-width relative to the figure, in (0, 1). */
  target: number;
  minSeeds: number;
  maxSeeds: number;
}

export interface ExperimentPlan {
  source: Source;
  points: PlanPoint[];
  firstSeed: number;
  /** Seeds per point; with a precision rule, the first wave's. */
  seeds: number;
  precision: PrecisionRule | null;
  /** Every point runs the same seeds (compare: the differences are paired seed by seed). */
  coupled: boolean;
  /** Keep each run's whole result (compare prints them), not only its digest. */
  keepResults: boolean;
}

export interface PointRuns {
  digests: RunDigest[];
  /** Whole results, in seed order, when the plan keeps them; otherwise empty. */
  results: RunResult[];
  precision: PrecisionOutcome | null;
}

/** Where an experiment stands, for a progress line: runs done of those planned so far. */
export interface ExperimentProgress {
  done: number;
  total: number;
  /** Runs done plus the finished fraction of those running, over total. */
  fraction: number;
  /** Simulated ms of finished and running runs, and of every planned run at its end. */
  simulatedMs: number;
  plannedSimulatedMs: number;
  events: number;
}

export interface EngineOptions {
  /**
   * Worker threads, "inline" to run in the calling thread, or an executor of one's own (a shard's,
   * a merge's, the queue's, tests').
   */
  workers: number | "inline" | ((source: Source, onTask: TaskProgress) => Executor);
  store: RunStore | null;
  onProgress?: (progress: ExperimentProgress) => void;
}

/**
 * The executor deferred some runs of a wave (RunDeferred): the experiment cannot go on in this
 * process. The runs it did finish are in the store; `wave` counts the session's waves from 1, so
 * sweep, compare and capacity number them alike.
 */
export class WaveIncomplete extends Error {
  override readonly name = "WaveIncomplete";
  constructor(
    readonly wave: number,
    readonly deferred: RunTask[],
  ) {
    super(`wave ${wave}: ${deferred.length} run(s) left to other processes`);
  }
}

/** Some runs threw: each with its point and seed. The runs that finished are in the store. */
export class ExperimentRunError extends Error {
  override readonly name = "ExperimentRunError";
  constructor(readonly failures: { label: string; seed: number; message: string }[]) {
    super(failures.map((f) => `${f.label} seed ${f.seed}: ${f.message}`).join("\n"));
  }
}

interface Progress {
  done: number;
  total: number;
  events: number;
  simulatedMs: number;
  plannedSimulatedMs: number;
  running: Map<number, { nowMs: number; durationMs: number; events: number }>;
}

/** One point's share of a wave: the seeds (offsets from the first seed) it runs. */
export interface WaveRequest {
  point: PlanPoint;
  /** Seed offsets, e.g. [5, 6, 7] for seeds firstSeed + 5 .. firstSeed + 7. */
  seeds: number[];
}

/**
 * An experiment kept open across waves: one executor (so a pool starts once), one run store, one
 * progress count and one sequence of run indices. sweep and compare run fixed waves through
 * runExperiment; the capacity search decides each next wave from the last one's results.
 */
export class ExperimentSession {
  private readonly progress: Progress = {
    done: 0,
    total: 0,
    events: 0,
    simulatedMs: 0,
    plannedSimulatedMs: 0,
    running: new Map(),
  };
  private readonly executor: Executor;
  private nextIndex = 0;
  private waves = 0;

  constructor(
    readonly source: Source,
    readonly firstSeed: number,
    private readonly options: EngineOptions,
  ) {
    const onTask = (index: number, p: { nowMs: number; durationMs: number; events: number }) => {
      if (!this.progress.running.has(index)) return; // a late message of a finished run
      this.progress.running.set(index, p);
      this.report();
    };
    this.executor =
      typeof options.workers === "function"
        ? options.workers(source, onTask)
        : options.workers === "inline"
          ? inlineExecutor(source, onTask)
          : poolExecutor(source, options.workers, options.onProgress && onTask);
  }

  private report(): void {
    this.options.onProgress?.(snapshot(this.progress));
  }

  /** Runs every request's seeds in one wave; the results by request, each in its seeds' order. */
  async wave(requests: readonly WaveRequest[]): Promise<RunResult[][]> {
    const tasks: WaveTask[] = [];
    requests.forEach((request, p) => {
      const cost = request.seeds.length > 0 ? estimateCost(request.point.scenario).cappedEvents : 0;
      for (const s of request.seeds) {
        const task = {
          index: this.nextIndex++,
          set: request.point.set,
          label: request.point.label,
          seed: this.firstSeed + s,
        };
        tasks.push({ point: p, task, cost });
        this.progress.plannedSimulatedMs += request.point.scenario.durationMs;
      }
    });
    const byRequest: RunResult[][] = requests.map(() => []);
    if (tasks.length === 0) return byRequest;
    this.progress.total += tasks.length;
    const results = await runWave(
      this.source,
      this.executor,
      this.options.store,
      tasks,
      this.progress,
      () => this.report(),
      ++this.waves,
    );
    tasks.forEach(({ point }, i) => {
      byRequest[point].push(results[i]);
    });
    return byRequest;
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}

export async function runExperiment(
  plan: ExperimentPlan,
  options: EngineOptions,
): Promise<PointRuns[]> {
  const session = new ExperimentSession(plan.source, plan.firstSeed, options);
  const runs: PointRuns[] = plan.points.map(() => ({ digests: [], results: [], precision: null }));
  try {
    let wanted = plan.points.map(() => plan.seeds);
    for (;;) {
      const requests = plan.points.map((point, p) => ({
        point,
        seeds: range(runs[p].digests.length, wanted[p]),
      }));
      if (requests.every((r) => r.seeds.length === 0)) break;
      const results = await session.wave(requests);
      results.forEach((list, p) => {
        for (const result of list) {
          runs[p].digests.push(digest(result));
          if (plan.keepResults) runs[p].results.push(result);
        }
      });
      if (plan.precision === null) break;
      wanted = nextWave(plan, plan.precision, runs);
    }
  } finally {
    await session.close();
  }
  if (plan.precision !== null) {
    const rule = plan.precision;
    runs.forEach((r) => {
      r.precision = precisionOutcome(watchedEstimates(r.digests), rule);
    });
  }
  return runs;
}

/** from, from + 1, ..., to − 1 (empty when to <= from). */
function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** A run of a wave, with its point (an index into the wave's requests) and estimated events. */
interface WaveTask {
  point: number;
  task: RunTask;
  cost: number;
}

/** Task positions in the order to start them: costliest first, ties in run order. */
export function longestFirst(costs: readonly number[]): number[] {
  return costs.map((_, i) => i).sort((a, b) => costs[b] - costs[a] || a - b);
}

/**
 * Runs a wave's tasks (or reads them from the store), all of them even when some throw, started
 * longest first and answered in run order. Failures are an ExperimentRunError; runs the executor
 * deferred (and no failure) a WaveIncomplete.
 */
async function runWave(
  source: Source,
  executor: Executor,
  store: RunStore | null,
  tasks: WaveTask[],
  progress: Progress,
  report: () => void,
  wave: number,
): Promise<RunResult[]> {
  const failures: { label: string; seed: number; message: string }[] = [];
  const deferred: RunTask[] = [];
  const finish = (result: RunResult) => {
    progress.done++;
    progress.events += result.events;
    progress.simulatedMs += result.simulatedMs;
    report();
    return result;
  };
  const start = async ({ task }: WaveTask): Promise<RunResult | null> => {
    const key = store === null ? "" : runKey(source, task.set, task.seed);
    const stored = store?.read(key) ?? null;
    if (stored !== null) return finish(stored);
    progress.running.set(task.index, { nowMs: 0, durationMs: 1, events: 0 });
    try {
      const result = await executor.run(task);
      store?.write(key, result);
      return finish(result);
    } catch (error) {
      if (error instanceof RunDeferred) {
        deferred.push(task);
        return null;
      }
      failures.push({ label: task.label, seed: task.seed, message: describe(error) });
      return null;
    } finally {
      progress.running.delete(task.index);
    }
  };
  const started: Promise<RunResult | null>[] = new Array(tasks.length);
  for (const i of longestFirst(tasks.map((t) => t.cost))) started[i] = start(tasks[i]);
  const settled = await Promise.all(started);
  if (failures.length > 0) {
    const order = new Map(tasks.map(({ task }, i) => [`${task.label} ${task.seed}`, i]));
    failures.sort(
      (a, b) => order.get(`${a.label} ${a.seed}`)! - order.get(`${b.label} ${b.seed}`)!,
    );
    throw new ExperimentRunError(failures);
  }
  if (deferred.length > 0)
    throw new WaveIncomplete(
      wave,
      deferred.sort((a, b) => a.index - b.index),
    );
  return settled as RunResult[];
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function snapshot(p: Progress): ExperimentProgress {
  let partial = 0;
  let events = p.events;
  let simulatedMs = p.simulatedMs;
  for (const r of p.running.values()) {
    partial += r.durationMs > 0 ? Math.min(1, r.nowMs / r.durationMs) : 0;
    events += r.events;
    simulatedMs += r.nowMs;
  }
  return {
    done: p.done,
    total: p.total,
    fraction: p.total > 0 ? Math.min(1, (p.done + partial) / p.total) : 0,
    simulatedMs,
    plannedSimulatedMs: p.plannedSimulatedMs,
    events,
  };
}

/** Seeds each point should have after the next wave (its current count when it is done). */
function nextWave(plan: ExperimentPlan, rule: PrecisionRule, runs: PointRuns[]): number[] {
  const wants = runs.map((r) => {
    const n = r.digests.length;
    if (n >= rule.maxSeeds) return n;
    const estimates = watchedEstimates(r.digests);
    if (n >= rule.minSeeds && estimates.every((e) => isPrecise(e, rule.target))) return n;
    const needed = Math.max(n + 1, ...estimates.map((e) => replicationsNeeded(e, rule.target)));
    return Math.min(rule.maxSeeds, Math.max(rule.minSeeds, Math.min(needed, 2 * n)));
  });
  if (!plan.coupled) return wants;
  const all = Math.max(...wants);
  return wants.map(() => all);
}

function precisionOutcome(estimates: Estimate[], rule: PrecisionRule): PrecisionOutcome {
  const n = estimates[0]?.n ?? 0;
  let worst: number | null = 0;
  for (const e of estimates) {
    if (e.halfWidth === null || worst === null) {
      worst = null;
      continue;
    }
    const relative = e.halfWidth === 0 ? 0 : e.halfWidth / Math.abs(e.mean);
    if (relative > worst) worst = relative;
  }
  const reached = n >= rule.minSeeds && estimates.every((e) => isPrecise(e, rule.target));
  return {
    target: rule.target,
    reached,
    worst: worst === null ? null : Number(worst.toPrecision(6)),
  };
}
