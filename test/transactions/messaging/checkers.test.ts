// meshsim/testing with the broker on: the built-in checkers (request conservation among them)
// still pass while deliveries run as calls at the consumers' instances, and businessInvariants
// fails a run whose events were lost before the broker or whose redeliveries double-charged.
import { describe, expect, test } from "vitest";
import { parseScenario } from "../../../src/scenario/loader.ts";
import { runChecked } from "../../../src/testing/checkedRun.ts";
import { businessInvariants } from "../../../src/testing/checkers/business.ts";
import { builtInInvariants } from "../../../src/testing/checkers/index.ts";
import { choreoText } from "../../helpers/choreo.ts";

const faulty = (o: { dedup?: boolean; outbox?: boolean }) =>
  parseScenario(
    choreoText({
      ...o,
      zoned: true,
      rate: 20,
      orderInstances: 2,
      paymentInstances: 3,
      chargeCalls: "exp(100ms)",
      chargeTime: "mix(0.9: lognormal(100ms, 0.5), 0.1: lognormal(1500ms, 0.4))",
      faults: JSON.stringify([
        {
          name: "k",
          kind: "pod-kill",
          at: "10s",
          restartAfter: "2s",
          target: { service: "payment", mode: "one" },
        },
        { name: "cut", kind: "partition", at: "20s", duration: "5s", target: { zones: ["a"] } },
      ]),
    }),
    "choreo.yaml",
  );

describe("the property-test toolkit with the broker on", () => {
  test("every built-in checker passes on a run with redeliveries, kills and a partition", () => {
    const run = runChecked(faulty({}), { invariants: builtInInvariants() });
    expect(run.violation).toBeNull();
    expect(run.result!.transactions!.messaging!.redeliveries).toBeGreaterThan(0);
  });

  test("businessInvariants fails the run without dedup or outbox, and passes it with both", () => {
    const bare = runChecked(faulty({}), { invariants: [businessInvariants] });
    expect(bare.violation?.message).toMatch(
      /^(no-double-charge|no-lost-event) broken by \d+ orders/,
    );
    const safe = runChecked(faulty({ dedup: true, outbox: true }), {
      invariants: [businessInvariants],
    });
    expect(safe.violation).toBeNull();
    expect(safe.result!.transactions!.messaging!.duplicatesAbsorbed).toBeGreaterThan(0);
  });
});
