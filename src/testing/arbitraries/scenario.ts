// fast-check arbitrary of whole scenario files (as plain documents, what a YAML parser returns):
// services s0..sN whose call graph is acyclic (a service calls only services after it, in order or
// in a parallel group), exponential service times, small error rates, zones, bounded queues, one
// open load into s0, and a traffic policy per service. Within the constraints every document
// validates and runs in a fraction of a second. Shrinks towards fewer services, calls and settings.
import fc from "fast-check";
import { trafficPolicy } from "./trafficPolicy.ts";

/** A scenario file as a plain object (see shared/SCENARIO.md for the keys). */
export type ScenarioDocument = Record<string, unknown>;

export interface ScenarioConstraints {
  /** Services per scenario, at most (default 4). */
  maxServices?: number;
  /** Instances per service, at most (default 3). */
  maxInstances?: number;
  /** Zones instances may be spread over (default a, b, c). */
  zones?: readonly string[];
  /** Simulated seconds per run, at most (default 10; warm-up 1 s of it). */
  maxDurationS?: number;
  /** Requests per second of the load, at most (default 200). */
  maxRate?: number;
  /** Whether services get traffic policies (default true). */
  policies?: boolean;
}

function defaults(c: ScenarioConstraints): Required<ScenarioConstraints> {
  const out = {
    maxServices: c.maxServices ?? 4,
    maxInstances: c.maxInstances ?? 3,
    zones: c.zones ?? ["a", "b", "c"],
    maxDurationS: c.maxDurationS ?? 10,
    maxRate: c.maxRate ?? 200,
    policies: c.policies ?? true,
  };
  const whole = (v: number, lo: number) => Number.isInteger(v) && v >= lo;
  if (!whole(out.maxServices, 1)) throw new RangeError("maxServices must be a whole number >= 1");
  if (!whole(out.maxInstances, 1)) throw new RangeError("maxInstances must be a whole number >= 1");
  if (!whole(out.maxDurationS, 2)) throw new RangeError("maxDurationS must be a whole number >= 2");
  if (!whole(out.maxRate, 1)) throw new RangeError("maxRate must be a whole number >= 1");
  if (out.zones.length === 0) throw new RangeError("zones must name at least one zone");
  return out;
}

/** The steps of service i's one operation: calls to services after it, some in a parallel group. */
function stepsAfter(i: number, n: number): fc.Arbitrary<unknown[]> {
  const later = Array.from({ length: n - i - 1 }, (_, k) => `s${i + 1 + k}`);
  if (later.length === 0) return fc.constant([]);
  return fc
    .tuple(fc.subarray(later), fc.boolean())
    .map(([callees, parallel]) =>
      parallel && callees.length > 1
        ? [{ parallel: callees.map((s) => ({ call: `${s}.op` })) }]
        : callees.map((s) => ({ call: `${s}.op` })),
    );
}

function service(i: number, n: number, c: Required<ScenarioConstraints>) {
  return fc.record({
    instances: fc.integer({ min: 1, max: c.maxInstances }),
    concurrency: fc.integer({ min: 1, max: 8 }),
    queue: fc.constant({ capacity: 100 }),
    zones: fc.subarray([...c.zones], { minLength: 1 }),
    operations: fc.record({
      op: fc.record({
        serviceTime: fc.integer({ min: 1, max: 5 }).map((m) => `exp(${m}ms)`),
        errorRate: fc.integer({ min: 0, max: 50 }).map((p) => p / 1000),
        calls: stepsAfter(i, n),
      }),
    }),
  });
}

/** Valid scenario documents within `constraints`. */
export function scenario(constraints: ScenarioConstraints = {}): fc.Arbitrary<ScenarioDocument> {
  const c = defaults(constraints);
  return fc.integer({ min: 1, max: c.maxServices }).chain((n) => {
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    return fc
      .record({
        services: fc.tuple(...names.map((_, i) => service(i, n, c))),
        policies: c.policies
          ? fc.tuple(...names.map(() => fc.option(trafficPolicy(), { nil: undefined })))
          : fc.constant(names.map(() => undefined)),
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        durationS: fc.integer({ min: 2, max: c.maxDurationS }),
        rate: fc.integer({ min: 1, max: c.maxRate }),
      })
      .map(({ services, policies, seed, durationS, rate }) => {
        const meshServices: Record<string, unknown> = {};
        policies.forEach((p, i) => {
          if (p !== undefined && Object.keys(p).length > 0) meshServices[names[i]] = p;
        });
        return {
          version: 1,
          name: "generated",
          seed,
          duration: `${durationS}s`,
          warmup: "1s",
          services: Object.fromEntries(names.map((name, i) => [name, services[i]])),
          ...(Object.keys(meshServices).length > 0 ? { mesh: { services: meshServices } } : {}),
          load: [
            {
              name: "users",
              executor: "constant-arrival-rate",
              rate,
              timeUnit: "1s",
              target: "s0.op",
            },
          ],
        };
      });
  });
}
