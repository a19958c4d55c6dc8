// The one error meshsim's PromQL parser and checker throw: a message with the column it concerns,
// worded "expected ..., found ... at column N of "<expression>"" like the scenario's other
// in-string errors (durations, distributions). A long expression is shown as an excerpt around N.

const SHOWN = 60;

export class PromqlError extends Error {
  override readonly name = "PromqlError";
  /** 1-based column in the expression. */
  readonly column: number;
  constructor(what: string, offset: number, text: string) {
    super(`${what} ${where(offset, text)}`);
    this.column = offset + 1;
  }
}

/** "at column 7 of "rate(x)"", or for a long expression "at column 70, near "...x[5m]..."". */
function where(offset: number, text: string): string {
  const column = offset + 1;
  if (text.length <= SHOWN) return `at column ${column} of ${JSON.stringify(text)}`;
  const from = Math.max(0, offset - 25);
  const to = Math.min(text.length, offset + 25);
  const excerpt = `${from > 0 ? "..." : ""}${text.slice(from, to)}${to < text.length ? "..." : ""}`;
  return `at column ${column}, near ${JSON.stringify(excerpt)}`;
}
