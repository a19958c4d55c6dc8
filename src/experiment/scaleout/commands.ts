// The experiment commands a shard, a merge or a queue coordinator runs, by name: each is the same
// function the command line calls, handed the definition's options plus where and how to run.
import type { CapacityResult } from "../../result/capacity.ts";
import type { Comparison } from "../../result/compare.ts";
import type { Sweep } from "../../result/experiment.ts";
import { type CapacityOptions, capacity } from "../capacity/capacity.ts";
import { type CompareOptions, compare } from "../compare.ts";
import type { Execution } from "../plan.ts";
import { type SweepOptions, sweep } from "../sweep.ts";
import type { ExperimentCommand, ExperimentDefinition } from "./definition.ts";

export type ExperimentOutcome =
  | { command: "sweep"; result: Sweep }
  | { command: "compare"; result: Comparison }
  | { command: "capacity"; result: CapacityResult };

export type { Execution } from "../plan.ts";

type Options = Execution & { text: string };

/** swarm's shards are testing/swarmShard.ts's: the swarm lives above this room. */
const COMMANDS: Record<
  Exclude<ExperimentCommand, "swarm">,
  (file: string, options: Options) => Promise<ExperimentOutcome>
> = {
  sweep: async (file, options) => ({
    command: "sweep",
    result: await sweep(file, options as SweepOptions),
  }),
  compare: async (file, options) => ({
    command: "compare",
    result: await compare(file, options as CompareOptions),
  }),
  capacity: async (file, options) => ({
    command: "capacity",
    result: await capacity(file, options as CapacityOptions),
  }),
};

export function runDefinition(
  def: ExperimentDefinition,
  execution: Execution,
): Promise<ExperimentOutcome> {
  if (def.command === "swarm")
    throw new Error("a swarm's parts are merged by testing/swarmShard.ts, not replayed here");
  return COMMANDS[def.command](def.file, { ...def.options, text: def.text, ...execution });
}
