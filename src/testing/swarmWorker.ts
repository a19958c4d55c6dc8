// A worker thread of the swarm pool (swarmPool.ts): it rebuilds the scenario source from plain
// data, then runs the seeds it is sent, one at a time, and sends each SeedResult back. Built-in
// checkers and probes only (functions cannot cross threads).
import { parentPort, workerData } from "node:worker_threads";
import type { Override } from "../scenario/loader.ts";
import { ScenarioSource } from "./source.ts";
import { type SwarmOptions, SwarmSeeds } from "./swarm.ts";

export interface WorkerSetup {
  text: string;
  file: string;
  overrides: Override[];
  options: Omit<
    SwarmOptions,
    "seeds" | "shouldStop" | "onSeed" | "maxViolations" | "invariants" | "probes"
  >;
}

const setup = workerData as WorkerSetup;
const seeds = new SwarmSeeds(
  new ScenarioSource(setup.text, setup.file, setup.overrides),
  setup.options,
);
parentPort?.on("message", (seed: number | null) => {
  if (seed === null) {
    parentPort?.close();
    return;
  }
  parentPort?.postMessage({ seed, result: seeds.run(seed) });
});
