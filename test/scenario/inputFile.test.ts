// Scenario files are read only when they are regular files under the size limit, without
// blocking: a FIFO, a device or a directory is refused at once with a reason.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.ts";
import { MAX_SCENARIO_BYTES, readInputFile } from "../../src/scenario/inputFile.ts";

function refusal(file: string, maxBytes?: number): string {
  try {
    readInputFile(file, maxBytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems[0].message;
  }
  throw new Error(`${file} was read`);
}

describe("reading an input file", () => {
  const dir = mkdtempSync(join(tmpdir(), "meshsim-input-"));

  test("a regular file is read whole", () => {
    writeFileSync(join(dir, "s.yaml"), "version: 1\n");
    expect(readInputFile(join(dir, "s.yaml"))).toBe("version: 1\n");
  });

  test("a directory, a device and a FIFO with no writer are refused without reading", () => {
    expect(refusal(dir)).toBe("cannot read the file: it is a directory; expected a regular file");
    expect(refusal("/dev/zero")).toBe(
      "cannot read the file: it is a character device; expected a regular file",
    );
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    expect(refusal(fifo)).toBe(
      "cannot read the file: it is a FIFO (named pipe); expected a regular file",
    );
  });

  test("a file over the size limit is refused before it is read", () => {
    writeFileSync(join(dir, "big.yaml"), "x".repeat(2048));
    expect(refusal(join(dir, "big.yaml"), 1024)).toBe(
      "the file is 0 MiB; meshsim reads at most 0 MiB",
    );
    expect(MAX_SCENARIO_BYTES).toBe(16 * 1024 * 1024);
  });

  test("a missing file says so", () => {
    expect(refusal(join(dir, "missing.yaml"))).toMatch(/^cannot read the file: ENOENT/);
  });
});
