// The schema's (pass 1's) zod issues as findings: one per issue at its path, and one per unknown
// key, pointing at the key itself so the message sits on the line that has the typo. A problem
// inside `alerts` (a list of rules, or a rule file's map) is reported inside the shape it has.
import type { z } from "zod";
import type { Finding, PathSegment } from "./path.ts";

export function findingsFromIssues(issues: readonly z.core.$ZodIssue[]): Finding[] {
  const findings: Finding[] = [];
  for (const issue of issues) {
    const path = issue.path.map((segment) =>
      typeof segment === "symbol" ? String(segment) : segment,
    );
    const branch = alertsBranch(issue, path);
    if (branch !== null) {
      findings.push(
        ...findingsFromIssues(branch.map((i) => ({ ...i, path: [...path, ...i.path] }))),
      );
    } else if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        findings.push({ path: [...path, key], at: "key", message: `\`${key}\` ${issue.message}` });
    } else {
      findings.push({
        path,
        at: issue.code === "invalid_key" ? "key" : "value",
        message: issue.message,
      });
    }
  }
  return findings;
}

/**
 * `alerts` is a list of rules or a rule-file map: when the value is one of the two shapes, the
 * problems inside it (the union's branch whose failure is not the value's type itself).
 */
function alertsBranch(issue: z.core.$ZodIssue, path: PathSegment[]): z.core.$ZodIssue[] | null {
  if (issue.code !== "invalid_union" || path.length !== 1 || path[0] !== "alerts") return null;
  const inside = issue.errors.filter(
    (branch) =>
      !(branch.length === 1 && branch[0].code === "invalid_type" && branch[0].path.length === 0),
  );
  return inside.length === 1 ? inside[0] : null;
}
