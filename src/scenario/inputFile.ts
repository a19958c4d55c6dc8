// Reads an input file (a scenario, a saved result) the safe way: only a regular file, opened
// without blocking (a FIFO with no writer would otherwise wait forever), and at most a size limit
// (a device such as /dev/zero would otherwise be read until memory runs out). Every refusal is a
// ScenarioError naming the file, so the CLI exits 2 at once.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { ScenarioError } from "./errors.ts";

/** Scenario files larger than this are refused before they are read (16 MiB). */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

function refuse(file: string, message: string): ScenarioError {
  return new ScenarioError([{ file, line: null, column: null, path: "", message }]);
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}

/** The text of `file` (UTF-8), or a ScenarioError saying why it cannot be used. */
export function readInputFile(file: string, maxBytes: number = MAX_SCENARIO_BYTES): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw refuse(file, `cannot read the file: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw refuse(file, `cannot read the file: it is ${kindOf(stat)}; expected a regular file`);
    if (stat.size > maxBytes) {
      throw refuse(
        file,
        `the file is ${megabytes(stat.size)}; meshsim reads at most ${megabytes(maxBytes)}`,
      );
    }
    // One byte more than its size, to notice a file that grows while it is read.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) break;
    }
    if (length > stat.size) throw refuse(file, "the file grew while it was read; try again");
    return buffer.toString("utf8", 0, length);
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw refuse(file, `cannot read the file: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}
