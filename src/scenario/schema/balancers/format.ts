// How a load-balancing policy appears in a scenario file: a strict map `{ policy: <name>, ... }`
// with Envoy's names in camelCase (durations written as text), and its conversion to the policy's
// spec (times in ms, absent settings made explicit). Also the fields the hashing policies share.
// A policy's schema is built when a file names the policy (../deferred.ts).
import { z } from "zod";
import type { LoadBalancerPolicy, LoadBalancerSpec } from "../../types.ts";
import { deferred } from "../deferred.ts";
import { expecting, fields, integer } from "../leaves.ts";
import { NAME_PATTERN } from "../patterns.ts";

type SpecOf<P extends LoadBalancerPolicy> = Extract<LoadBalancerSpec, { policy: P }>;

/** A policy's file format: its schema, and its conversion to the policy's spec. */
export interface PolicyFormat<P extends LoadBalancerPolicy, Raw> {
  readonly schema: z.ZodType<Raw, unknown>;
  toSpec(raw: Raw): SpecOf<P>;
}

/**
 * The format of `policy`: `shape` beside `policy`, checked by `check` when every field has passed,
 * and `toConfig` for the rest of its spec. The schema is built when a file names the policy
 * (../deferred.ts).
 */
export function policyFormat<P extends LoadBalancerPolicy, S extends z.core.$ZodLooseShape>(
  policy: P,
  shape: () => S,
  toConfig: (raw: z.output<z.ZodObject<S>>) => Omit<SpecOf<P>, "policy">,
  check?: (raw: z.output<z.ZodObject<S>>, ctx: z.core.$RefinementCtx<unknown>) => void,
) {
  const schema = deferred(
    () => {
      const object = fields(`the ${policy} policy`, { policy: z.literal(policy), ...shape() });
      return check === undefined
        ? object
        : object.superRefine((raw, ctx) => check(raw as z.output<z.ZodObject<S>>, ctx));
    },
    { key: "policy", value: policy },
  );
  return {
    schema,
    toSpec: (raw: z.output<typeof schema>): SpecOf<P> =>
      ({ policy, ...toConfig(raw as z.output<z.ZodObject<S>>) }) as SpecOf<P>,
  };
}

export const hashKey = z
  .string({ error: expecting("the name of the request key to hash, e.g. userId") })
  .regex(NAME_PATTERN)
  .describe("Which request key the policy hashes (a load's keys.name).");

export const hashBalanceFactor = integer(
  100,
  "an integer percent ≥ 100 (Envoy hash_balance_factor, e.g. 150)",
)
  .optional()
  .describe("Bounded-load spill-over: no host takes more than factor/100 × the average load.");
