// One run: build the world for (scenario, seed), run it on the simulated clock to the scenario's
// duration or event cap, and summarise. Pure: no I/O and no wall clock.
import { buildWorld } from "../scenario/build.ts";
import type { Scenario } from "../scenario/types.ts";
import { summarise, type RunResult } from "./result.ts";

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const world = buildWorld(scenario, options.seed ?? scenario.seed);
  const reason = world.scheduler.run(scenario.durationMs, scenario.maxEvents);
  return summarise(world, reason === "event-cap" ? "event-cap" : "duration");
}
