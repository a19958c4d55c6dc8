// Envoy LEAST_REQUEST (Istio's default policy) in a scenario file: choiceCount, activeRequestBias
// and slowStartConfig, with Envoy's defaults (scenario/defaults.ts).
import { z } from "zod";
import { ENVOY_LEAST_REQUEST } from "../../defaults.ts";
import { slowStartOf, slowStartSchema } from "../balancing.ts";
import { expecting, integer } from "../leaves.ts";
import { policyFormat } from "./format.ts";

export const leastRequest = policyFormat(
  "least-request",
  () => ({
    slowStartConfig: slowStartSchema.optional(),
    choiceCount: integer(2, "an integer ≥ 2")
      .default(ENVOY_LEAST_REQUEST.choiceCount)
      .describe("Hosts drawn (with replacement) per pick."),
    activeRequestBias: z
      .number({ error: expecting("a number ≥ 0") })
      .min(0)
      .default(ENVOY_LEAST_REQUEST.activeRequestBias)
      .describe("Weighted hosts: weight / (active + 1)^bias."),
  }),
  (raw) => ({
    choiceCount: raw.choiceCount,
    activeRequestBias: raw.activeRequestBias,
    slowStart: slowStartOf(raw.slowStartConfig),
  }),
);
