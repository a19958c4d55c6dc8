// Deferred parts of the scenario schema: built on first use and only then, with the same results,
// messages and paths as the schema built eagerly; and the real format builds only the sections a
// file has (checkout.yaml has no registry, security, messaging, sweep, lifecycle, TCC, health
// checks or load balancers). Mirrors src/scenario/schema/deferred.ts.
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { loadScenarioFile } from "../../../src/scenario/loader.ts";
import { loadBalancerSchema } from "../../../src/scenario/schema/balancers/index.ts";
import { deferred, isBuilt, once } from "../../../src/scenario/schema/deferred.ts";
import { healthCheckSchema } from "../../../src/scenario/schema/healthCheck.ts";
import { scenarioJsonSchema } from "../../../src/scenario/schema/jsonSchema.ts";
import { lifecycleSchema } from "../../../src/scenario/schema/lifecycle.ts";
import { messagingSchema } from "../../../src/scenario/schema/messaging.ts";
import { registrySchema } from "../../../src/scenario/schema/registry/index.ts";
import { securitySchema } from "../../../src/scenario/schema/security.ts";
import { sweepSchema } from "../../../src/scenario/schema/sweep.ts";
import { tccSchema } from "../../../src/scenario/schema/tcc.ts";

const scenario = (name: string) =>
  fileURLToPath(new URL(`../../../scenarios/${name}`, import.meta.url));

/** A deferred string schema and how many times it has been built. */
function counted(build: () => z.ZodType = () => z.string({ error: "expected a text" })) {
  const count = { builds: 0 };
  const schema = deferred(() => {
    count.builds++;
    return build();
  });
  return { schema, count };
}

describe("a deferred schema", () => {
  test("is built on its first parse, and only once", () => {
    const { schema, count } = counted();
    expect(count.builds).toBe(0);
    expect(isBuilt(schema)).toBe(false);
    expect(schema.parse("a")).toBe("a");
    expect(schema.parse("b")).toBe("b");
    expect(count.builds).toBe(1);
    expect(isBuilt(schema)).toBe(true);
  });

  test("is not built when its optional key is absent, and the key stays absent", () => {
    const { schema, count } = counted();
    const object = z.strictObject({ a: schema.optional(), b: z.number() });
    expect(object.parse({ b: 1 })).toStrictEqual({ b: 1 });
    expect(count.builds).toBe(0);
    expect(object.parse({ a: "x", b: 1 })).toStrictEqual({ a: "x", b: 1 });
    expect(count.builds).toBe(1);
  });

  test("is not built when its key is absent and defaulted", () => {
    const { schema, count } = counted(() => z.array(z.string()));
    const object = z.strictObject({ list: schema.default([]) });
    expect(object.parse({})).toStrictEqual({ list: [] });
    expect(count.builds).toBe(0);
  });

  test("reports the same issues, at the same paths, as the schema built eagerly", () => {
    const inner = () => z.strictObject({ n: z.number({ error: "expected a number" }) });
    const lazy = z.strictObject({ part: deferred(inner).optional() });
    const eager = z.strictObject({ part: inner().optional() });
    for (const input of [{ part: { n: "x" } }, { part: { m: 1 } }, { part: 3 }]) {
      const issues = (s: z.ZodType) => {
        const parsed = s.safeParse(input, { jitless: true });
        return parsed.success ? [] : parsed.error.issues;
      };
      expect(issues(lazy)).toStrictEqual(issues(eager));
      expect(issues(lazy).length).toBeGreaterThan(0);
    }
  });

  test("refuses a build that is optional or defaulted itself (those go outside)", () => {
    const optional = deferred(() => z.string().optional());
    expect(() => optional.parse("a")).toThrow(/outside/);
    const defaulted = deferred(() => z.string().default("a"));
    expect(() => defaulted.parse("a")).toThrow(/outside/);
  });
});

describe("deferred options of a discriminated union", () => {
  const option = (kind: string, count: { builds: number }) =>
    deferred(
      () => {
        count.builds++;
        return z.strictObject({ kind: z.literal(kind), size: z.number() });
      },
      { key: "kind", value: kind },
    );

  test("only the option a value names is built", () => {
    const a = { builds: 0 };
    const b = { builds: 0 };
    const union = z.discriminatedUnion("kind", [option("a", a), option("b", b)]);
    expect(union.parse({ kind: "a", size: 1 })).toStrictEqual({ kind: "a", size: 1 });
    expect(a.builds).toBe(1);
    expect(b.builds).toBe(0);
  });

  test("an unknown kind gets the same issue as from eagerly built options", () => {
    const eager = z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("a"), size: z.number() }),
      z.strictObject({ kind: z.literal("b"), size: z.number() }),
    ]);
    const b = { builds: 0 };
    const lazy = z.discriminatedUnion("kind", [option("a", { builds: 0 }), option("b", b)]);
    const input = { kind: "c", size: 1 };
    expect(lazy.safeParse(input).error?.issues).toStrictEqual(eager.safeParse(input).error?.issues);
    expect(b.builds).toBe(0);
  });

  test("an option whose tag is not its discriminator's value is refused when built", () => {
    const wrong = deferred(() => z.strictObject({ kind: z.literal("b") }), {
      key: "kind",
      value: "a",
    });
    const union = z.discriminatedUnion("kind", [wrong]);
    expect(() => union.parse({ kind: "a" })).toThrow(/not a/);
  });
});

test("once() calls its builder once", () => {
  let calls = 0;
  const get = once(() => ({ n: ++calls }));
  expect(get()).toBe(get());
  expect(calls).toBe(1);
});

// In one module graph (this file's), in this order: checkout first, then a file with a registry,
// then the JSON Schema, which needs every part.
describe("the scenario format", () => {
  const absentFromCheckout = {
    registrySchema,
    securitySchema,
    messagingSchema,
    sweepSchema,
    lifecycleSchema,
    tccSchema,
    healthCheckSchema,
    loadBalancerSchema,
  };

  test("loading checkout.yaml builds none of the sections it does not have", () => {
    loadScenarioFile(scenario("checkout.yaml"));
    for (const [name, schema] of Object.entries(absentFromCheckout))
      expect(isBuilt(schema), name).toBe(false);
  });

  test("a file with a registry builds the registry's schema", () => {
    loadScenarioFile(scenario("eureka-stale.yaml"));
    expect(isBuilt(registrySchema)).toBe(true);
  });

  test("the JSON Schema builds every part", () => {
    scenarioJsonSchema();
    for (const [name, schema] of Object.entries(absentFromCheckout))
      expect(isBuilt(schema), name).toBe(true);
  });
});
