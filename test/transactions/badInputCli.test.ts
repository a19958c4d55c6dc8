// Issue 18's bad-input list through the command line: each is exit 2 with the file, line, column
// and the field's path, and no stack trace. The shipped scenarios, each broken in one place.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { meshsim, root } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "meshsim-tx-bad-"));

function broken(name: string, from: string, to: string): string {
  const text = readFileSync(join(root, "scenarios", name), "utf8");
  const changed = text.replace(from, to);
  expect(changed).not.toBe(text);
  const file = join(dir, `${to.length}-${name}`);
  writeFileSync(file, changed);
  return file;
}

const CASES: [string, string, string, string, string][] = [
  [
    "a compensation naming an operation that does not exist",
    "checkout-saga-compensation.yaml",
    "compensate: payment.refund",
    "compensate: payment.undo",
    "services.gateway.operations.checkout.calls[1].parallel[1].compensate: service `payment` has no operation `undo`",
  ],
  [
    "an idempotency key naming an attribute no load carries",
    "checkout-saga.yaml",
    "services.payment.operations.charge.idempotency: { key: request }",
    "services.payment.operations.charge.idempotency: { key: cartId }",
    'services.payment.operations.charge.idempotency.key: in variant stable-key: names attribute "cartId", which no load sets',
  ],
  [
    "a saga step with no compensation where one is required",
    "checkout-saga-compensation.yaml",
    "{ call: payment.charge, compensate: payment.refund }",
    "{ call: payment.charge }",
    "services.gateway.operations.checkout.calls[1].parallel[1].compensate: is missing",
  ],
  [
    "a TCC participant missing cancel",
    "checkout-tcc.yaml",
    ", cancel: inventory.cancelReserve }",
    " }",
    "services.gateway.operations.checkout.tcc.participants[0].cancel: is required",
  ],
];

describe("transactions bad input on the command line", () => {
  it.each(CASES)(
    "%s exits 2 naming the field",
    (_, name, from, to, message) => {
      const file = broken(name, from, to);
      const r = meshsim("compare", file, "--seeds", "1");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toMatch(/:\d+:\d+: /);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    60_000,
  );
});
