// The text form of distributions, e.g. "exp(20ms)" or "mix(0.99: exp(10ms), 0.01: const(1s))", read
// by a recursive-descent parser into distributions.ts's families; bad text is an error that says
// where and what was expected. A bare duration means a constant.
import type { Distribution } from "./distribution.ts";
import {
  constant,
  erlang,
  exponential,
  lognormal,
  type MixturePart,
  mixture,
  pareto,
  uniform,
} from "./distributions.ts";
import { parseDuration } from "./duration.ts";

// ---------------------------------------------------------------------------------------------
// Text form. Grammar (whitespace allowed between tokens, never inside one):
//   dist  := NAME "(" args ")" | DURATION          a bare duration means const(DURATION)
//   args  := ATOM ("," ATOM)*                      for const, exp, uniform, erlang, lognormal, pareto
//          | NUMBER ":" dist ("," NUMBER ":" dist)*  for mix

interface Kind {
  arity: number;
  /** What the arguments are, for the arity message. */
  args: string;
  example: string;
  build(args: readonly string[]): Distribution;
}

const KINDS: Readonly<Record<string, Kind>> = {
  const: {
    arity: 1,
    args: "the value",
    example: "const(5ms)",
    build: ([v]) => constant(durationArg("const", v)),
  },
  exp: {
    arity: 1,
    args: "the mean",
    example: "exp(20ms)",
    build: ([m]) => exponential(durationArg("exp", m)),
  },
  uniform: {
    arity: 2,
    args: "min and max",
    example: "uniform(1ms, 3ms)",
    build: ([a, b]) => uniform(durationArg("uniform", a), durationArg("uniform", b)),
  },
  erlang: {
    arity: 2,
    args: "phases and mean",
    example: "erlang(4, 20ms)",
    build: ([k, m]) => erlang(numberArg("erlang", k), durationArg("erlang", m)),
  },
  lognormal: {
    arity: 2,
    args: "mean and cv",
    example: "lognormal(20ms, 1.5)",
    build: ([m, cv]) => lognormal(durationArg("lognormal", m), numberArg("lognormal", cv)),
  },
  pareto: {
    arity: 2,
    args: "mean and shape",
    example: "pareto(20ms, 2.5)",
    build: ([m, sh]) => pareto(durationArg("pareto", m), numberArg("pareto", sh)),
  },
};

const KIND_NAMES = "const, exp, uniform, erlang, lognormal, pareto, mix";
const MIX_EXAMPLE = "mix(0.99: exp(10ms), 0.01: const(1s))";
/** Nesting bound, so hostile text fails with a message rather than a stack overflow. */
const MAX_DEPTH = 32;

function durationArg(kind: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new Error(`${kind}: ${(error as Error).message}`);
  }
}

/** A plain decimal number as String(number) prints it: "4", "1.5", "-2", "1e-7". */
function numberArg(kind: string, text: string): number {
  let pos = 0;
  const digits = (): number => {
    const start = pos;
    while (pos < text.length && text[pos] >= "0" && text[pos] <= "9") pos++;
    return pos - start;
  };
  if (text[pos] === "-") pos++;
  let ok = digits() > 0;
  if (ok && text[pos] === ".") {
    pos++;
    ok = digits() > 0;
  }
  if (ok && (text[pos] === "e" || text[pos] === "E")) {
    pos++;
    if (text[pos] === "+" || text[pos] === "-") pos++;
    ok = digits() > 0;
  }
  if (!ok || pos !== text.length) {
    throw new Error(
      `${kind}: expected a plain number such as 4 or 1.5, got ${JSON.stringify(text)}`,
    );
  }
  return Number(text);
}

function isAtomChar(c: string): boolean {
  return (
    (c >= "a" && c <= "z") ||
    (c >= "A" && c <= "Z") ||
    (c >= "0" && c <= "9") ||
    c === "." ||
    c === "-" ||
    c === "+"
  );
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): Distribution {
    const dist = this.distribution(0);
    this.skipSpace();
    if (this.pos < this.text.length)
      this.fail(`expected the end of the distribution, got ${this.here()}`);
    return dist;
  }

  private distribution(depth: number): Distribution {
    if (depth > MAX_DEPTH) this.fail(`distributions nest at most ${MAX_DEPTH} deep`);
    this.skipSpace();
    const atom = this.atom();
    if (atom === "") {
      this.fail(
        `expected a distribution such as exp(20ms) or a duration such as 5ms, got ${this.here()}`,
      );
    }
    this.skipSpace();
    if (this.text[this.pos] === "(") {
      this.pos++;
      return atom === "mix" ? this.mixArgs(depth) : this.call(atom);
    }
    if (atom === "mix" || Object.hasOwn(KINDS, atom)) {
      const example = atom === "mix" ? MIX_EXAMPLE : KINDS[atom].example;
      throw new Error(`${atom} needs its arguments in parentheses, e.g. ${example}`);
    }
    return constant(parseBareDuration(atom));
  }

  private call(name: string): Distribution {
    if (!Object.hasOwn(KINDS, name)) {
      throw new Error(
        `unknown distribution ${JSON.stringify(name)}; expected one of ${KIND_NAMES}`,
      );
    }
    const kind = KINDS[name];
    const args: string[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ")") {
      this.pos++;
    } else {
      for (;;) {
        this.skipSpace();
        const arg = this.atom();
        if (arg === "") this.fail(`expected an argument of ${name}, got ${this.here()}`);
        args.push(arg);
        if (this.endOfList(name)) break;
      }
    }
    if (args.length !== kind.arity) {
      const plural = kind.arity === 1 ? "argument" : "arguments";
      throw new Error(
        `${name} takes ${kind.arity} ${plural} (${kind.args}, e.g. ${kind.example}), got ${args.length}`,
      );
    }
    return kind.build(args);
  }

  private mixArgs(depth: number): Distribution {
    const parts: MixturePart[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ")") {
      throw new Error(
        `mix takes one or more "weight: distribution" parts, e.g. ${MIX_EXAMPLE}, got none`,
      );
    }
    for (;;) {
      this.skipSpace();
      const weightText = this.atom();
      if (weightText === "") this.fail(`expected a mix weight such as 0.99, got ${this.here()}`);
      this.skipSpace();
      if (this.text[this.pos] !== ":") {
        this.fail(
          `expected ":" after the mix weight ${JSON.stringify(weightText)} (parts look like 0.99: exp(10ms)), got ${this.here()}`,
        );
      }
      this.pos++;
      const weight = numberArg("mix weight", weightText);
      parts.push({ weight, dist: this.distribution(depth + 1) });
      if (this.endOfList("mix")) break;
    }
    return mixture(parts);
  }

  /** After an argument: consumes "," (false: more follow) or ")" (true: the list is done). */
  private endOfList(name: string): boolean {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === ",") {
      this.pos++;
      return false;
    }
    if (c === ")") {
      this.pos++;
      return true;
    }
    return this.fail(`expected "," or ")" in ${name}(...), got ${this.here()}`);
  }

  private atom(): string {
    const start = this.pos;
    while (this.pos < this.text.length && isAtomChar(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text[this.pos])) this.pos++;
  }

  private here(): string {
    return this.pos < this.text.length
      ? JSON.stringify(this.text[this.pos])
      : "the end of the text";
  }

  private fail(message: string): never {
    const shown = this.text.length > 60 ? `${this.text.slice(0, 57)}...` : this.text;
    throw new Error(`${message} at column ${this.pos + 1} of ${JSON.stringify(shown)}`);
  }
}

/** A bare atom is a duration; say "distribution or duration" unless it plainly tried to be one. */
function parseBareDuration(atom: string): number {
  const c = atom[0];
  if ((c >= "0" && c <= "9") || c === "-" || c === ".") return parseDuration(atom);
  throw new Error(
    `expected a distribution such as exp(20ms) or a duration such as 5ms, got ${JSON.stringify(atom)}; distributions are ${KIND_NAMES}`,
  );
}

/** Parses the text form ("exp(20ms)", "mix(0.9: exp(1ms), 0.1: const(1s))", or a bare "5ms"). */
export function parseDistribution(text: string): Distribution {
  return new Parser(text).parse();
}
