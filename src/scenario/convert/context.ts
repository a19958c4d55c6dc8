// What every converter (pass 2b: relations between fields, raw file → typed specs) is handed: the
// findings to add to, and the file's own order of a map's keys, which a JS object does not keep.
import type { Finding, PathSegment } from "../path.ts";

export interface Conversion {
  readonly findings: Finding[];
  /** The entries of the map at `path` in the order the file writes them. */
  ordered<T>(map: Record<string, T>, path: readonly PathSegment[]): [string, T][];
}
