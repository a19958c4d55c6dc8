// The file's `sweep:` section as a SweepSpec: each path parsed like a compare variant's, each
// entry's values read by the VALUES grammar (sweepValues.ts), a problem per bad path or value.
import { parseOverridePath } from "../path.ts";
import type { ScenarioFile } from "../schema/scenario.ts";
import { sweepValuesOf } from "../sweepValues.ts";
import type { SweepSpec } from "../types.ts";
import type { Conversion } from "./context.ts";

export function sweepOf(file: ScenarioFile, cx: Conversion): SweepSpec | null {
  const raw = file.sweep;
  if (raw === undefined) return null;
  const findings = cx.findings;
  const vary: SweepSpec["vary"] = [];
  for (const [key, value] of Object.entries(raw.vary)) {
    const at = ["sweep", "vary", key];
    const path = parseOverridePath(key);
    if (path === null || path[0] === "compare" || path[0] === "sweep") {
      const message = `expected a path into this file such as services.payment.instances or load[0].rate, found ${JSON.stringify(key)}`;
      findings.push({ path: at, at: "key", message });
      continue;
    }
    try {
      vary.push({ path, values: sweepValuesOf(value) });
    } catch (error) {
      findings.push({ path: at, at: "value", message: (error as Error).message });
    }
  }
  if (Object.keys(raw.vary).length === 0)
    findings.push({ path: ["sweep", "vary"], at: "value", message: "names no path to vary" });
  return { seeds: raw.seeds ?? null, zip: raw.zip, vary };
}
