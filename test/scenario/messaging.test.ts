// The `messaging` section as bad input: a publisher or consumer naming a topic messaging.topics
// does not declare, or an operation that does not exist, a consumer group listed twice, a broker
// zone where no service runs: exit 2 with file:line:column and the field's path, never a crash.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseScenario } from "../../src/scenario/loader.ts";
import { choreoText } from "../helpers/choreo.ts";
import { spawnMeshsim } from "../helpers/cli.ts";

const good = choreoText({});

describe("the messaging section refuses", () => {
  test("a publisher's topic that messaging.topics does not declare, at its line and column", () => {
    const text = good.replace(
      "publishers: [{ operation: order.create, topic: order-created }]",
      "publishers: [{ operation: order.create, topic: order-placed }]",
    );
    expect(() => parseScenario(text, "choreo.yaml")).toThrow(
      /choreo\.yaml:\d+:\d+: messaging\.publishers\[0\]\.topic: names topic "order-placed", which messaging\.topics does not declare; expected one of: order-created/,
    );
  });

  test("a consumer operation that does not exist", () => {
    const text = good.replace(
      "consumers: [{ operation: payment.charge,",
      "consumers: [{ operation: payment.debit,",
    );
    expect(() => parseScenario(text, "choreo.yaml")).toThrow(
      /choreo\.yaml:\d+:\d+: messaging\.consumers\[0\]\.operation: names payment\.debit, which does not exist/,
    );
  });

  test("a consumer of a service that does not exist", () => {
    const text = good.replace("operation: payment.charge,", "operation: billing.charge,");
    expect(() => parseScenario(text, "choreo.yaml")).toThrow(
      /messaging\.consumers\[0\]\.operation: names billing\.charge/,
    );
  });

  test("a consumer group listed twice", () => {
    const text = good.replace(
      "consumers: [{ operation: payment.charge, topic: order-created }]",
      "consumers: [{ operation: payment.charge, topic: order-created }, { operation: payment.charge, topic: order-created }]",
    );
    expect(() => parseScenario(text, "choreo.yaml")).toThrow(
      /messaging\.consumers\[1\]: lists payment\.charge on topic order-created a second time/,
    );
  });

  test("a broker zone where no service runs", () => {
    const text = choreoText({ zoned: true, brokerZone: "c" });
    expect(() => parseScenario(text, "choreo.yaml")).toThrow(
      /messaging\.zone: names zone "c", where no service runs; expected one of: a, b, default/,
    );
  });

  test("meshsim run exits 2 naming the file, line, column and field, without a stack trace", () => {
    const file = join(mkdtempSync(join(tmpdir(), "meshsim-messaging-")), "choreo.yaml");
    writeFileSync(
      file,
      good.replace("topic: order-created }]\n  consumers", "topic: order-placed }]\n  consumers"),
    );
    const r = spawnMeshsim(["run", file, "--json", "--no-progress"], { timeoutMs: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /choreo\.yaml:\d+:\d+: messaging\.publishers\[0\]\.topic: names topic "order-placed"/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });
});
