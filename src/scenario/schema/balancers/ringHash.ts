// Envoy RING_HASH in a scenario file: the key to hash, the ring sizes (Envoy's defaults and its
// limit of 8M points, minimum ≤ maximum), the points' hash function and the bounded-load factor.
import { z } from "zod";
import { HASH_FUNCTIONS } from "../../../mesh/hashing/hashFunction.ts";
import { MAXIMUM_RING_SIZE } from "../../../mesh/hashing/ring.ts";
import { ENVOY_RING_HASH } from "../../defaults.ts";
import { expecting, integer } from "../leaves.ts";
import { hashBalanceFactor, hashKey, policyFormat } from "./format.ts";

const ringSize = (fallback: number) =>
  integer(1, "an integer ≥ 1")
    .default(fallback)
    .refine((n) => n <= MAXIMUM_RING_SIZE, {
      error: (issue) =>
        `must be at most ${MAXIMUM_RING_SIZE} (Envoy's limit), found ${issue.input}`,
    });

export const ringHash = policyFormat(
  "ring-hash",
  () => ({
    hashKey,
    minimumRingSize: ringSize(ENVOY_RING_HASH.minimumRingSize),
    maximumRingSize: ringSize(ENVOY_RING_HASH.maximumRingSize),
    hashFunction: z
      .enum(HASH_FUNCTIONS, { error: expecting("XX_HASH, MURMUR_HASH_2 or MURMUR3_32") })
      .default(ENVOY_RING_HASH.hashFunction)
      .describe(
        "Envoy hash_function of the ring points: XX_HASH (xxHash64, Envoy's default) or MURMUR_HASH_2 (std::hash's 64-bit MurmurHash2); request keys are hashed with xxHash64 either way, as Envoy's hash policies do. MURMUR3_32 is meshsim's former hashing (32-bit MurmurHash3 for points and keys), not an Envoy option.",
      ),
    hashBalanceFactor,
  }),
  (raw) => ({
    hashKey: raw.hashKey,
    minimumRingSize: raw.minimumRingSize,
    maximumRingSize: raw.maximumRingSize,
    hashFunction: raw.hashFunction,
    hashBalanceFactor: raw.hashBalanceFactor ?? null,
  }),
  (raw, ctx) => {
    if (raw.minimumRingSize > raw.maximumRingSize) {
      ctx.addIssue({
        code: "custom",
        path: ["minimumRingSize"],
        input: raw.minimumRingSize,
        message: `must be ≤ maximumRingSize (${raw.maximumRingSize}), found ${raw.minimumRingSize}`,
      });
    }
  },
);
