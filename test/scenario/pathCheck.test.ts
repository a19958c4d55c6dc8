import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseOverridePath } from "../../src/scenario/path.ts";
import { overridePathProblem } from "../../src/scenario/pathCheck.ts";

const checkout = parse(
  readFileSync(resolve(import.meta.dirname, "../../scenarios/checkout.yaml"), "utf8"),
);
const problem = (path: string) => overridePathProblem(checkout, parseOverridePath(path)!);

describe("an override path", () => {
  it("may name a field of the file, set or defaulted, and a service the mesh refers to", () => {
    for (const path of [
      "services.payment.instances",
      "services.payment.operations.charge.serviceTime",
      "mesh.defaults.loadBalancer.policy",
      "mesh.services.gateway.timeout",
      "load[0].rate",
      "duration",
      "network.latency",
    ])
      expect(problem(path), path).toBeNull();
  });

  it("may not create a service, an operation or a load entry by a typo", () => {
    expect(problem("services.paymnt.instances")).toBe(
      'services has no entry "paymnt" in the file (it has: gateway, user, order, inventory, payment)',
    );
    expect(problem("services.payment.operations.chrge.serviceTime")).toMatch(
      /has no entry "chrge" in the file \(it has: charge\)/,
    );
    expect(problem("load[3].rate")).toBe("load has 1 entry, so [3] names none");
  });

  it("names the field the format does not have, with the ones it does", () => {
    expect(problem("services.payment.instnces")).toMatch(
      /^services\.payment has no field "instnces" \(expected one of: instances, versions,/,
    );
    expect(problem("duration.x")).toBe("duration is a single value, so duration.x names nothing");
    expect(problem("sweep.seeds")).toMatch(/experiment's own settings/);
  });
});
