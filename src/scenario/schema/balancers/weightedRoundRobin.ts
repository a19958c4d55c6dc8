// Envoy ROUND_ROBIN over the instances' weights in a scenario file:
// `{ policy: weighted-round-robin, slowStartConfig? }`.
import { slowStartOf, slowStartSchema } from "../balancing.ts";
import { policyFormat } from "./format.ts";

export const weightedRoundRobin = policyFormat(
  "weighted-round-robin",
  () => ({ slowStartConfig: slowStartSchema.optional() }),
  (raw) => ({ slowStart: slowStartOf(raw.slowStartConfig) }),
);
