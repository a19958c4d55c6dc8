// Preloaded into a `meshsim run` process by bench/startup.ts (`node --import THIS ...`): ends the
// process when the scheduler starts its first slice of events, so the process's CPU time is its
// start-up cost (Node, module loading, parsing, building the world) and nothing of the run.
// MESHSIM_PROBE_SCHEDULER names the scheduler module the CLI will load (compiled or TypeScript
// under tsx); ESM loads a URL once, so the class patched here is the one the run uses.
import { pathToFileURL } from "node:url";

const file = process.env.MESHSIM_PROBE_SCHEDULER;
if (file === undefined) throw new Error("MESHSIM_PROBE_SCHEDULER is not set");
const { Scheduler } = await import(pathToFileURL(file).href);
Scheduler.prototype.run = function firstEvent() {
  process.stderr.write(`first-event at ${this.now} ms simulated\n`);
  process.exit(0);
};
