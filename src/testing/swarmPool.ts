// The swarm on worker threads (`meshsim swarm --workers K`): seeds go to whichever worker is free,
// and results are added to the report in seed order, with the stop rules (maxViolations, the
// caller's shouldStop) applied in that order too, so the report is the one-thread report's, byte
// for byte, whatever K is (only a wall-clock budget can end it at a different seed).
import { Worker } from "node:worker_threads";
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

/** Whether this runs from the TypeScript sources (under tsx, as meshsim's own scripts and tests do). */
const FROM_SOURCES = import.meta.url.endsWith(".ts");
/** The worker's file: the compiled .js beside this one, or the .ts source, loaded through tsx's hooks. */
const WORKER = new URL(FROM_SOURCES ? "./swarmWorker.ts" : "./swarmWorker.js", import.meta.url);

/** A worker: the compiled file as it is; the source through a bootstrap that registers tsx first. */
function startWorker(setup: WorkerSetup): Worker {
  if (!FROM_SOURCES) return new Worker(WORKER, { workerData: setup });
  const api = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

export async function swarmInWorkers(
  source: ScenarioSource,
  options: Omit<SwarmOptions, "invariants" | "probes">,
  workers: number,
): Promise<SwarmReport> {
  checkSeedCount(options.seeds);
  if (!Number.isInteger(workers) || workers < 1)
    throw new RangeError(`workers must be a whole number >= 1, found ${workers}`);
  const local = new SwarmSeeds(source, options); // validates here, so bad input fails before any thread starts
  const report = local.emptyReport();
  const first = local.first;
  const last = first + options.seeds; // exclusive
  const {
    seeds: _seeds,
    shouldStop: _stop,
    onSeed: _on,
    maxViolations: _max,
    only,
    onResult: _result,
    ...rest
  } = options;
  const skipped = (seed: number) => only !== undefined && !only(seed);
  const setup: WorkerSetup = {
    text: source.baseText,
    file: source.file,
    overrides: [...source.overrides],
    options: rest,
  };
  const done = new Map<number, SeedResult>();
  let next = first; // the next seed to hand out
  let committed = first; // every seed below this is in the report
  let stopped = false;
  const pool = Array.from({ length: Math.min(workers, options.seeds) }, () => startWorker(setup));
  try {
    await new Promise<void>((resolve, reject) => {
      let busy = 0;
      const commit = () => {
        while (!stopped && committed < last && (skipped(committed) || done.has(committed))) {
          if (skipped(committed)) {
            committed++;
            continue;
          }
          const result = done.get(committed)!;
          done.delete(committed);
          addSeed(report, result);
          options.onSeed?.(result.outcome);
          options.onResult?.(committed, result);
          committed++;
          if (report.violations.length >= (options.maxViolations ?? Infinity)) stopped = true;
        }
      };
      const feed = (worker: Worker) => {
        while (next < last && skipped(next)) next++;
        if (stopped || next >= last || options.shouldStop?.() === true) {
          if (busy === 0) resolve();
          return;
        }
        busy++;
        worker.postMessage(next++);
      };
      for (const worker of pool) {
        worker.on("message", (message: { seed: number; result: SeedResult }) => {
          busy--;
          done.set(message.seed, message.result);
          commit();
          feed(worker);
        });
        worker.on("error", reject);
        feed(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return report;
}
