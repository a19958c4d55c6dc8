// Shared by the experiment tests: a shipped scenario shortened and written to a temporary file,
// and the meshsim command run in a child process.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, spawnMeshsim } from "../helpers/cli.ts";

export { root };

/** scenarios/<name> with `replace` applied (each pair must change the text), in a fresh folder. */
export function scenarioFile(name: string, replace: [RegExp, string][] = [], extra = ""): string {
  let text = readFileSync(join(root, "scenarios", name), "utf8");
  for (const [pattern, value] of replace) {
    const next = text.replace(pattern, value);
    if (next === text) throw new Error(`${pattern} changed nothing in ${name}`);
    text = next;
  }
  const file = join(mkdtempSync(join(tmpdir(), "meshsim-experiment-")), name);
  writeFileSync(file, text + extra);
  return file;
}

/** M/M/1 with arrival rate λ/s and mean service 1 s, `durationS` long after a `warmupS` warm-up. */
export function mm1File(lambda: number, durationS: number, warmupS: number): string {
  return scenarioFile("mm1.yaml", [
    [/^duration: .*$/m, `duration: ${durationS}s`],
    [/^warmup: .*$/m, `warmup: ${warmupS}s`],
    [/^ {4}rate: 0\.9$/m, `    rate: ${lambda}`],
  ]);
}

/** `meshsim ARGS...` to the end, as spawnSync reports it (status, stdout, stderr). */
export function meshsim(...args: string[]) {
  return spawnMeshsim(args);
}

export { startMeshsim } from "../helpers/cli.ts";
