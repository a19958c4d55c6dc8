// Envoy MAGLEV in a scenario file: the key to hash, the table size (a prime, Envoy's default
// 65537, at most Envoy's 5,000,011) and the bounded-load factor.
import { isPrime, MAXIMUM_MAGLEV_TABLE_SIZE } from "../../../mesh/hashing/maglev.ts";
import { ENVOY_MAGLEV } from "../../defaults.ts";
import { integer } from "../leaves.ts";
import { hashBalanceFactor, hashKey, policyFormat } from "./format.ts";

export const maglev = policyFormat(
  "maglev",
  {
    hashKey,
    tableSize: integer(2, "a prime ≥ 2")
      .default(ENVOY_MAGLEV.tableSize)
      .refine(isPrime, { message: "must be a prime number (Maglev)" })
      .refine((n) => n <= MAXIMUM_MAGLEV_TABLE_SIZE, {
        error: (issue) =>
          `must be at most ${MAXIMUM_MAGLEV_TABLE_SIZE} (Envoy's limit), found ${issue.input}`,
      }),
    hashBalanceFactor,
  },
  (raw) => ({
    hashKey: raw.hashKey,
    tableSize: raw.tableSize,
    hashBalanceFactor: raw.hashBalanceFactor ?? null,
  }),
);
