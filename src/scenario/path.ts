// Paths into a scenario document: the segments of `services.server.operations.work` or
// `load[0].rate`, how a path is written in messages, and how `--variant`/`--set` paths are read.

export type PathSegment = string | number;

/** A problem before it has a place in the text: `at` says whether to point at the key or its value. */
export interface Finding {
  path: PathSegment[];
  message: string;
  at: "key" | "value";
  /** The path is in the Prometheus rule file `alerts.file` names, not in the scenario. */
  inRuleFile?: boolean;
}

/** `mesh.defaults.loadBalancer.policy`, `load[0].rate` or `load.0.rate` → path segments. */
export function parseOverridePath(text: string): PathSegment[] | null {
  const segments: PathSegment[] = [];
  for (const part of text.replace(/\[(\d+)\]/g, ".$1").split(".")) {
    if (part === "") return null;
    segments.push(/^\d+$/.test(part) ? Number(part) : part);
  }
  return segments.length > 0 ? segments : null;
}

/** `services.server.operations.work`, `load[0].rate`, `thresholds["latency{load:a}"]`. */
export function renderPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
