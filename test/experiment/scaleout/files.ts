// Shared by the scale-out tests: a folder's files (paths relative to it) and their bytes, to
// compare a merged or queued output with a single process's byte for byte.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export function tree(dir: string, prefix = ""): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const path = join(prefix, name);
    if (statSync(join(dir, path)).isDirectory()) Object.assign(files, tree(dir, path));
    else files[path] = readFileSync(join(dir, path), "utf8");
  }
  return files;
}
