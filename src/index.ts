// meshsim as a library: the public surface, explicit named exports only. A minimal stand-in so
// the package's "." export has something to compile: issue 13's docs work writes the full surface
// (these three are part of it), and its src/index.ts replaces this one.
export { runScenario } from "./run/runScenario.ts";
export { loadScenarioFile, parseScenario } from "./scenario/load.ts";
