// The schema's (pass 1's) zod issues as findings: one per issue at its path, and one per unknown
// key, pointing at the key itself so the message sits on the line that has the typo.
import type { z } from "zod";
import type { Finding } from "./path.ts";

export function findingsFromIssues(issues: readonly z.core.$ZodIssue[]): Finding[] {
  const findings: Finding[] = [];
  for (const issue of issues) {
    const path = issue.path.map((segment) =>
      typeof segment === "symbol" ? String(segment) : segment,
    );
    if (issue.code === "unrecognized_keys") {
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
