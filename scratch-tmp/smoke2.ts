import fc from "fast-check";
import { scenario } from "../src/testing/arbitraries/scenario.ts";
import { faultTimeline } from "../src/testing/arbitraries/faultTimeline.ts";
import { fromDocument } from "../src/testing/source.ts";
import { runChecked } from "../src/testing/checkedRun.ts";
const t0 = performance.now();
let n = 0;
for (const doc of fc.sample(scenario(), { numRuns: 30, seed: 1 })) {
  const src = fromDocument(doc);
  let s;
  try { s = src.scenario(); } catch (e) { console.log("INVALID", (e as Error).message, JSON.stringify(doc)); continue; }
  const [faults] = fc.sample(faultTimeline(s), { numRuns: 1, seed: n++ });
  let s2;
  try { s2 = src.withFaults(faults).scenario(); } catch (e) { console.log("INVALID faults", (e as Error).message, JSON.stringify(faults)); continue; }
  const out = runChecked(s2);
  if (out.violation) console.log("VIOLATION", out.violation.invariant, out.violation.message, JSON.stringify(faults));
}
console.log("ms", Math.round(performance.now() - t0));
