// The pool worker's entry when meshsim runs from its TypeScript sources: registers tsx's ESM loader
// in this worker thread, then loads worker.ts. worker.ts's module graph has top-level await
// (kernel/xxhash64.ts instantiates xxhash-wasm), which piscina's require() of a .ts entry cannot
// load, and on Node 20 the parent's `--import tsx` gives the worker no ESM loader for its import().
import { register } from "tsx/esm/api";

register();

export default (await import("./worker.ts")).default;
