// Envoy RING_HASH in a scenario file: the key to hash, the ring sizes (Envoy's defaults and its
// limit of 8M points, minimum ≤ maximum) and the bounded-load factor.
import { MAXIMUM_RING_SIZE } from "../../../mesh/hashing/ring.ts";
import { ENVOY_RING_HASH } from "../../defaults.ts";
import { integer } from "../leaves.ts";
import { hashBalanceFactor, hashKey, policyFormat } from "./format.ts";

const ringSize = (fallback: number) =>
  integer(1, "an integer ≥ 1")
    .default(fallback)
    .refine((n) => n <= MAXIMUM_RING_SIZE, {
      error: (issue) =>
        `must be at most ${MAXIMUM_RING_SIZE} (Envoy's limit), found ${issue.input}`,
    });

const format = policyFormat(
  "ring-hash",
  {
    hashKey,
    minimumRingSize: ringSize(ENVOY_RING_HASH.minimumRingSize),
    maximumRingSize: ringSize(ENVOY_RING_HASH.maximumRingSize),
    hashBalanceFactor,
  },
  (raw) => ({
    hashKey: raw.hashKey,
    minimumRingSize: raw.minimumRingSize,
    maximumRingSize: raw.maximumRingSize,
    hashBalanceFactor: raw.hashBalanceFactor ?? null,
  }),
);

export const ringHash = {
  ...format,
  schema: format.schema.superRefine((raw, ctx) => {
    if (raw.minimumRingSize > raw.maximumRingSize) {
      ctx.addIssue({
        code: "custom",
        path: ["minimumRingSize"],
        input: raw.minimumRingSize,
        message: `must be ≤ maximumRingSize (${raw.maximumRingSize}), found ${raw.minimumRingSize}`,
      });
    }
  }),
};
