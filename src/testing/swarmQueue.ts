// The swarm through the work queue (`meshsim swarm --queue redis://...`, `meshsim worker`): each
// seed is a BullMQ job (job name "swarm", id "<swarm hash>-<seed − first>", so enqueueing it again
// adds it once), run with its shrinking on whichever worker takes it (queueProcessor.ts), and its
// whole result sent back. At most WINDOW seeds are in the queue at once; results are added to the
// report in seed order with the one-thread stop rule (--max-violations), so the report and the
// minimal cases are the local swarm's bytes whoever ran each seed. A wall-clock budget is refused
// (the caller's job): which seeds run would depend on timing.
import type { QueueExecutor } from "../experiment/scaleout/queue/coordinator.ts";
import type { RunResult } from "../experiment/source.ts";
import type { ScenarioSource } from "./source.ts";
import {
  addSeed,
  checkSeedCount,
  type SeedResult,
  type SwarmOptions,
  type SwarmReport,
  SwarmSeeds,
} from "./swarm.ts";
import type { WorkerSetup } from "./swarmWorker.ts";

/** Seeds in the queue at once: enough to keep a fleet busy, few enough to stop soon. */
export const WINDOW = 64;

/** The options a worker rebuilds the swarm's seeds from (plain data, as swarmWorker.ts's). */
export function swarmJobOptions(options: SwarmOptions): WorkerSetup["options"] {
  const {
    seeds: _seeds,
    shouldStop: _stop,
    onSeed: _on,
    maxViolations: _max,
    only: _only,
    onResult: _result,
    invariants: _invariants,
    probes: _probes,
    ...rest
  } = options;
  return rest;
}

/**
 * Runs the swarm's seeds with `run` (at most `window` at a time), adding the results in seed
 * order; stops handing out seeds once the report holds maxViolations or shouldStop says so.
 */
export function swarmOrdered(
  source: ScenarioSource,
  options: SwarmOptions,
  run: (seed: number) => Promise<SeedResult>,
  window = WINDOW,
): Promise<SwarmReport> {
  checkSeedCount(options.seeds);
  const local = new SwarmSeeds(source, options); // validates here, before anything is enqueued
  const report = local.emptyReport();
  const last = local.first + options.seeds; // exclusive
  const skipped = (seed: number) => options.only !== undefined && !options.only(seed);
  const done = new Map<number, SeedResult>();
  let next = local.first;
  let committed = local.first;
  let busy = 0;
  let stopped = false;
  return new Promise<SwarmReport>((resolve, reject) => {
    const commit = () => {
      while (!stopped && committed < last && (skipped(committed) || done.has(committed))) {
        const seed = committed++;
        if (skipped(seed)) continue;
        const result = done.get(seed)!;
        done.delete(seed);
        addSeed(report, result);
        options.onSeed?.(result.outcome);
        options.onResult?.(seed, result);
        if (report.violations.length >= (options.maxViolations ?? Infinity)) stopped = true;
      }
    };
    const feed = () => {
      while (!stopped && busy < window) {
        while (next < last && skipped(next)) next++;
        if (next >= last || options.shouldStop?.() === true) break;
        const seed = next++;
        busy++;
        run(seed).then(
          (result) => {
            busy--;
            done.set(seed, result);
            commit();
            feed();
          },
          (error: unknown) => {
            stopped = true;
            reject(error);
          },
        );
      }
      if (stopped || busy === 0) resolve(report); // the seeds still out are the caller's to drop
    };
    commit(); // seeds skipped from the start
    feed();
  });
}

/** The swarm with each seed a job on the queue `executor` (made with the `swarm` option). */
export function swarmThroughQueue(
  source: ScenarioSource,
  options: SwarmOptions,
  executor: QueueExecutor,
  window = WINDOW,
): Promise<SwarmReport> {
  const first = options.firstSeed ?? 0;
  const run = (seed: number) =>
    executor.run({ index: seed - first, set: [], label: "swarm", seed }).then(
      (result: RunResult) => result as unknown as SeedResult,
      (error: Error) => {
        throw error.name === "QueueUnavailable"
          ? error
          : new Error(`seed ${seed}: ${error.message}`);
      },
    );
  return swarmOrdered(source, options, run, window);
}
