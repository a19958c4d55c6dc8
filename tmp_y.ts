import { parseScenario } from "./src/scenario/load.ts";
for (const t of ["version: 1\nname: x\n\tduration: 1s\n", "version: 1\nname: x: y\nduration: 1s\n", "version: 1\nname: 'x\nduration: 1s\n", "version: 1\nname: x\n  - a\n", "a: {b: uniform(1ms, 3ms)}", "a: [mix(0.99: exp(10ms), 0.01: const(1s))]"]) {
  try { parseScenario(t, "t.yaml"); } catch (e) { console.log(JSON.stringify(t), "=>\n" + (e as Error).message); }
}
