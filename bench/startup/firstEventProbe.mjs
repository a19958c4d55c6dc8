// Preloaded into a `meshsim run` process by bench/startup.ts (`node --import THIS ...`): ends the
// process when the run's world is built and its first event is next (the "meshsim:run:start"
// diagnostics channel of src/run/runScenario.ts), so the process's CPU time is its start-up cost
// (Node, module loading, parsing, building the world) and nothing of the run. Channels are global
// to the process, so this works alike for the bundled CLI (dist/bin/), dist/ and the sources.
import { subscribe } from "node:diagnostics_channel";

subscribe("meshsim:run:start", (message) => {
  process.stderr.write(`first-event at ${message.nowMs} ms simulated\n`);
  process.exit(0);
});
