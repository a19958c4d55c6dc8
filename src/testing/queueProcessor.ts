// The sandboxed processor `meshsim worker` runs its jobs in (BullMQ worker threads): an experiment
// run (job name "run") goes to the experiment's processor as before; a swarm seed (job name
// "swarm", `meshsim swarm --queue`) is run here with the swarm's own machinery, shrinking
// included, and its whole SeedResult sent back. Each thread keeps the swarms it set up, per
// scenario text and options, as the experiment processor keeps parsed points. The swarm's modules
// (fast-check, the checkers) load with the first swarm job only: a thread that runs experiment
// runs never pays for them.
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import type { SandboxedJob } from "bullmq";
import type { RunJob, RunReturn } from "../experiment/scaleout/queue/connection.ts";
import processRun, { checkJob } from "../experiment/scaleout/queue/processor.ts";
import type { Override } from "../scenario/loader.ts";
import type { SwarmSeeds } from "./swarm.ts";
import type { WorkerSetup } from "./swarmWorker.ts";

const swarms = new Map<string, SwarmSeeds>();
/** Swarm set-ups a thread keeps. */
const KEEP_SWARMS = 8;

async function seedsFor(data: RunJob): Promise<SwarmSeeds> {
  const swarm = data.swarm!;
  const id = createHash("sha256")
    .update(JSON.stringify([data.file, data.text, swarm.overrides, swarm.options]))
    .digest("hex");
  let seeds = swarms.get(id);
  if (seeds === undefined) {
    const [{ ScenarioSource }, { SwarmSeeds }] = await Promise.all([
      import("./source.ts"),
      import("./swarm.ts"),
    ]);
    const source = new ScenarioSource(data.text, data.file, swarm.overrides as Override[]);
    seeds = new SwarmSeeds(source, swarm.options as WorkerSetup["options"]);
    if (swarms.size >= KEEP_SWARMS) swarms.delete(swarms.keys().next().value!);
    swarms.set(id, seeds);
  }
  return seeds;
}

export default async function processJob(job: SandboxedJob<RunJob, RunReturn>): Promise<RunReturn> {
  if (job.data.swarm === undefined) return processRun(job);
  const key = checkJob(job.data);
  const result = (await seedsFor(job.data)).run(job.data.task.seed);
  return { key, worker: `${hostname()}/${process.pid}`, result };
}
