// A part of the scenario schema built the first time a file has it (zod's z.lazy), so a run pays
// only for the sections its file uses: zod 4 builds every schema object when it is created, and
// the whole format is ~2,550 of them, of which checkout.yaml needs ~790; building only those took
// ~65 ms off its 0.3 s start (docs/performance.md, 2026-12-07). Messages, paths, defaults and the
// JSON Schema are the same as built eagerly.
import { z } from "zod";

/** The deferred schemas built so far (for isBuilt). */
const builtSchemas = new WeakSet<z.ZodType>();

/** Whether `schema`, made by deferred(), has been built (tests check what a file makes the loader build). */
export function isBuilt(schema: z.ZodType): boolean {
  return builtSchemas.has(schema);
}

/**
 * `build()`'s schema, built once, on first use. `build` must return a schema whose key may not be
 * absent by itself (no `.optional()`, `.default()` or `.prefault()`): put those outside, on what
 * this returns. zod asks a lazy schema whether its key may be absent (`optin`, `optout`) as soon
 * as the object around it is parsed, which would build it; the answer is stated here instead, and
 * checked when it is built. An option of a discriminated union gives its `tag` (the discriminator
 * and its value), which the union reads to pick the option, so only the option a file uses is built.
 */
export function deferred<T extends z.ZodType>(
  build: () => T,
  tag?: { key: string; value: string },
): z.ZodLazy<T> {
  let built: T | undefined;
  const lazy = z.lazy(() => {
    if (built === undefined) {
      const schema = build();
      if (schema._zod.optin !== undefined || schema._zod.optout !== undefined)
        throw new Error("deferred(): put .optional(), .default() and .prefault() outside");
      const values = tag === undefined ? undefined : schema._zod.propValues?.[tag.key];
      if (tag !== undefined && (values?.size !== 1 || !values.has(tag.value)))
        throw new Error(`deferred(): the option's ${tag.key} is not ${tag.value}`);
      built = schema;
      builtSchemas.add(lazy);
    }
    return built;
  });
  lazy._zod.optin = undefined;
  lazy._zod.optout = undefined;
  if (tag !== undefined) lazy._zod.propValues = { [tag.key]: new Set([tag.value]) };
  return lazy;
}

/** `build`, called once, on first use (parts of the schema that several deferred ones share). */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = build();
      done = true;
    }
    return value as T;
  };
}
