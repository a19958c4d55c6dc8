// Debian's chromium for the browser tests (playwright-core drives it): CHROMIUM_PATH, the usual
// paths, or the PATH; null when none is installed (the browser tests are then skipped, saying so).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export function findChromium(): string | null {
  for (const candidate of [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
  ]) {
    if (candidate !== undefined && candidate !== "" && existsSync(candidate)) return candidate;
  }
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const found = execFileSync("which", [name], { encoding: "utf8" }).trim();
      if (found !== "") return found;
    } catch {
      // not on the PATH under this name
    }
  }
  return null;
}
