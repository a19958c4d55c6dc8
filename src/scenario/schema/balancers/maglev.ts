// Envoy MAGLEV in a scenario file: the key to hash, the table size (a prime, Envoy's default
// 65537, at most Envoy's 5,000,011), the hash function and the bounded-load factor.
import { z } from "zod";
import { isPrime, MAXIMUM_MAGLEV_TABLE_SIZE } from "../../../mesh/hashing/maglev.ts";
import { ENVOY_MAGLEV } from "../../defaults.ts";
import { expecting, integer } from "../leaves.ts";
import { hashBalanceFactor, hashKey, policyFormat } from "./format.ts";

export const maglev = policyFormat(
  "maglev",
  () => ({
    hashKey,
    tableSize: integer(2, "a prime ≥ 2")
      .default(ENVOY_MAGLEV.tableSize)
      .refine(isPrime, { message: "must be a prime number (Maglev)" })
      .refine((n) => n <= MAXIMUM_MAGLEV_TABLE_SIZE, {
        error: (issue) =>
          `must be at most ${MAXIMUM_MAGLEV_TABLE_SIZE} (Envoy's limit), found ${issue.input}`,
      }),
    hashFunction: z
      .enum(["XX_HASH", "MURMUR3_32"], { error: expecting("XX_HASH or MURMUR3_32") })
      .default(ENVOY_MAGLEV.hashFunction)
      .describe(
        "XX_HASH: Envoy's Maglev, which always hashes with xxHash64. MURMUR3_32 is meshsim's former hashing (32-bit MurmurHash3, raw weights in the fill), not an Envoy option.",
      ),
    hashBalanceFactor,
  }),
  (raw) => ({
    hashKey: raw.hashKey,
    tableSize: raw.tableSize,
    hashFunction: raw.hashFunction,
    hashBalanceFactor: raw.hashBalanceFactor ?? null,
  }),
);
