// How a violation is told to a person: the invariant, when, which request, what broke, and the
// trail of events that led there, oldest first.
import { formatEvent } from "./events.ts";
import type { Violation } from "./invariant.ts";

export function formatViolation(v: Violation): string {
  const request = v.request === null ? "" : `, request ${v.request}`;
  const lines = [
    `invariant ${v.invariant} broken at ${v.atMs.toFixed(3)} ms${request}: ${v.message}`,
  ];
  if (v.trail.length > 0) {
    lines.push("events that led there:");
    for (const e of v.trail) lines.push(`  ${formatEvent(e)}`);
  }
  return lines.join("\n");
}

/** The error a property throws when a run breaks an invariant (check() prints it with the seed). */
export class ViolationError extends Error {
  constructor(readonly violation: Violation) {
    super(formatViolation(violation));
    this.name = "ViolationError";
  }
}
