import fc from "fast-check";
import { stringify } from "yaml";
import { parseScenario } from "./src/scenario/load.ts";
import { ScenarioError } from "./src/scenario/errors.ts";
const stats = { ok: 0, err: 0 };
function run(text: string) {
  try { parseScenario(text, "f.yaml"); stats.ok++; } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    for (const p of e.problems) if (/internal error/.test(p.message) || (p.path === "" && p.message === "")) throw new Error(p.message);
    stats.err++;
  }
}
const t0 = Date.now();
fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => { run(JSON.stringify(v) ?? "null"); run(stringify(v)); }), { numRuns: 5000 });
fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => run(s)), { numRuns: 5000 });
fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 100 }), (s) => run(s)), { numRuns: 3000 });
console.log(stats, Date.now() - t0, "ms");
