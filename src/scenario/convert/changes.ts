// The `changes` timeline: rollouts (src/scenario/resolve/rollouts.ts) and config pushes
// (src/scenario/resolve/configPushes.ts), each push with the traffic policies of the version it
// creates. A version is the file with every push up to it applied, parsed like the file by the
// loader (`reparse`); versions are parsed only when everything else is valid, so each of their
// problems is a push's.

import { parseOverridePath, renderPath } from "../path.ts";
import type { VersionParser } from "../resolve/configPushes.ts";
import { type PathSyntax, resolveChanges, resolveVersions } from "../resolve/configPushes.ts";
import { resolveRollouts } from "../resolve/rollouts.ts";
import type { ScenarioFile } from "../schema/scenario.ts";
import type { ChangeSpec, ServiceSpec } from "../types.ts";
import type { Conversion } from "./context.ts";

const OVERRIDE_PATHS: PathSyntax = { parse: parseOverridePath, render: renderPath };

/**
 * Config pushes in time order, then rollouts; `reparse` is null while a version is being parsed,
 * so versions do not recurse.
 */
export function changesOf(
  file: ScenarioFile,
  services: readonly ServiceSpec[],
  reparse: VersionParser | null,
  cx: Conversion,
): ChangeSpec[] {
  const rollouts = resolveRollouts(file.changes, services, file.duration);
  cx.findings.push(...rollouts.findings);
  const resolved = resolveChanges(file.changes, file.duration, OVERRIDE_PATHS);
  cx.findings.push(...resolved.findings);
  if (reparse !== null && cx.findings.length === 0 && resolved.pushes.length > 0)
    cx.findings.push(...resolveVersions(resolved, reparse, OVERRIDE_PATHS));
  return [...resolved.pushes, ...rollouts.rollouts];
}
