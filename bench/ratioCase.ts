// One measured simulation loop in this (fresh) process, for bench/ratios.ts: the reference
// simulator's chain (bench/reference/) or a meshsim scenario, built first and then run with the
// wall clock and the process's CPU time read around the event loop alone (parse, build and the
// summary are left out). Prints one JSON line of LoopMeasurement.
// Run: node --import tsx bench/ratioCase.ts reference-governed | meshsim-governed | checkout-1M | ...
import { fileURLToPath } from "node:url";
import { runWithScrapes } from "../src/run/scrapedRun.ts";
import { buildWorld } from "../src/scenario/build.ts";
import { loadScenarioFile } from "../src/scenario/loader.ts";
import type { Scenario } from "../src/scenario/types.ts";
import { findCase } from "./cases.ts";
import {
  GOVERNED_CHAIN_FILE,
  type LoopMeasurement,
  REFERENCE_REQUESTS,
  REFERENCE_SEED,
} from "./ratioSetup.ts";
import { Chain, type ChainMode } from "./reference/chain.ts";

/** Runs `loop` between two readings of the wall clock and the process's CPU time. */
function timed(loop: () => void): { wallSeconds: number; cpuSeconds: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  loop();
  const wallSeconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { wallSeconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

function reference(name: string, mode: ChainMode): LoopMeasurement {
  const chain = new Chain({ mode, requests: REFERENCE_REQUESTS, seed: REFERENCE_SEED });
  const time = timed(() => chain.run());
  return { name, requests: chain.load.offered, events: chain.events.events, ...time };
}

function meshsim(name: string, scenario: Scenario): LoopMeasurement {
  const world = buildWorld(scenario, scenario.seed);
  const { scheduler } = world;
  // As runScenario runs it (src/run/runScenario.ts), without a progress watcher.
  const time = timed(() => {
    runWithScrapes(world.monitor, scenario.durationMs, (untilMs) =>
      scheduler.run(untilMs, scenario.maxEvents),
    );
  });
  let requests = 0;
  for (const load of world.stats.loads) requests += load.offered;
  return { name, requests, events: scheduler.events, ...time };
}

export function measureLoop(name: string): LoopMeasurement {
  switch (name) {
    case "reference-governed":
      return reference(name, "governed");
    case "reference-bare":
      return reference(name, "bare");
    case "meshsim-governed":
      return meshsim(name, loadScenarioFile(GOVERNED_CHAIN_FILE));
    default:
      return meshsim(name, findCase(name).build());
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const name = process.argv[2];
  if (name === undefined) throw new Error("usage: node --import tsx bench/ratioCase.ts <case>");
  console.log(JSON.stringify(measureLoop(name)));
}
