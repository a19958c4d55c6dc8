// BullMQ's sandboxed processor: each `meshsim worker` runs jobs in worker threads loading this
// file, so a run that keeps its thread busy for minutes never starves the worker's main thread,
// which renews the job's lock (a missed renewal makes the job stalled, and BullMQ runs it again
// elsewhere). Each thread keeps the points it parsed, per scenario text. Loaded as processor.js
// from the build (what `meshsim worker` runs) or as processor.ts under tsx.
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import type { SandboxedJob } from "bullmq";
import { PointRunner } from "../../executor.ts";
import { runKey } from "../../runStore.ts";
import { meshsimVersion } from "../definition.ts";
import type { RunJob, RunReturn } from "./connection.ts";

const version = meshsimVersion();
const runners = new Map<string, PointRunner>();
/** Scenario texts whose parsed points a thread keeps. */
const KEEP_TEXTS = 8;

function runnerFor(data: RunJob): PointRunner {
  const id = createHash("sha256").update(data.text).digest("hex");
  let runner = runners.get(id);
  if (runner === undefined) {
    runner = new PointRunner({ file: data.file, text: data.text });
    if (runners.size >= KEEP_TEXTS) runners.delete(runners.keys().next().value!);
    runners.set(id, runner);
  }
  return runner;
}

/** The job's version and key checked (a job of another meshsim is refused); its key. */
export function checkJob(data: RunJob): string {
  if (data.meshsim !== version)
    throw new Error(
      `this worker runs meshsim ${version} but the coordinator ${data.meshsim}: a run's bytes may differ between versions, so the job is refused`,
    );
  const key = runKey({ file: data.file, text: data.text }, data.task.set, data.task.seed);
  if (key !== data.key)
    throw new Error(`run key ${key} differs from the coordinator's ${data.key}: another build?`);
  return key;
}

export default function processRun(job: SandboxedJob<RunJob, RunReturn>): RunReturn {
  const data = job.data;
  const key = checkJob(data);
  const result = runnerFor(data).run(data.task);
  return { key, worker: `${hostname()}/${process.pid}`, result };
}
