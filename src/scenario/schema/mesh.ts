// The `mesh` section: per-callee traffic policies (Istio DestinationRule and VirtualService) with
// Envoy's names and defaults: the load balancer, subsets, routes matching request attributes, the
// recovery settings, active health checks and locality failover; `defaults` and per service.
import { z } from "zod";
import { loadBalancerSchema } from "./balancers/index.ts";
import { localityLbSettingSchema } from "./balancing.ts";
import { healthCheckSchema } from "./healthCheck.ts";
import { expecting, fields, integer, name, nonEmptyList } from "./leaves.ts";
import { IDENT_PATTERN, NAME_PATTERN } from "./patterns.ts";
import { resilienceFields } from "./resilience.ts";

const attributeMap = z.record(
  z.string().regex(NAME_PATTERN),
  z.string({ error: expecting("an attribute value (a string)") }),
  {
    error: expecting("a map from attribute names to values, e.g. { tier: vip }"),
  },
);

const subset = fields("a subset", {
  name: name(NAME_PATTERN, "letters, digits, _, . and -"),
  labels: z
    .record(z.string().regex(NAME_PATTERN), z.string(), {
      error: expecting("a map of labels, e.g. { version: v2 }"),
    })
    .describe("Instances whose version labels include all of these."),
});

const destination = fields("a route destination", {
  subset: name(NAME_PATTERN, "letters, digits, _, . and -")
    .optional()
    .describe("A subset of this service; absent: all instances."),
  weight: integer(0, "an integer percent from 0 to 100")
    .max(100)
    .optional()
    .describe("Share of matching requests (Istio: the weights sum to 100)."),
});

const route = fields("a route", {
  match: z
    .array(attributeMap, { error: expecting("a list of attribute matches, e.g. [{ tier: vip }]") })
    .default([])
    .describe(
      "Any one of these must hold; each requires all its attributes. Absent: every request.",
    ),
  route: nonEmptyList("destination", destination).describe(
    "Where matching requests go, split by weight.",
  ),
});

const trafficPolicy = fields("a traffic policy", {
  loadBalancer: loadBalancerSchema.optional(),
  subsets: z
    .array(subset, { error: expecting("a list of subsets") })
    .default([])
    .describe("DestinationRule subsets."),
  routes: z
    .array(route, { error: expecting("a list of routes") })
    .default([])
    .describe("VirtualService HTTP routes, first match wins."),
  ...resilienceFields,
  healthCheck: healthCheckSchema
    .nullable()
    .optional()
    .describe("Envoy active health checking by each calling proxy; default none."),
  localityLbSetting: localityLbSettingSchema
    .optional()
    .describe(
      "Istio locality LB: priorities by region/zone/subzone (on by default; need outlier detection), or distribute.",
    ),
});

export const meshSchema = fields("mesh", {
  defaults: trafficPolicy
    .prefault({})
    .describe("Applies to every upstream service unless mesh.services overrides it."),
  services: z
    .record(z.string().regex(IDENT_PATTERN), trafficPolicy, {
      error: expecting("a map from service names to traffic policies"),
    })
    .default({})
    .describe("Per upstream service (like an Istio DestinationRule per host)."),
});
