// Envoy's max_requests / max_pending_requests admission as one proxy applies it. Mirrors
// src/mesh/resilience/connectionPool.ts. fast-check prints its seed on failure; pass { seed } to
// test.prop to replay one.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type Admission, ConnectionPool } from "../../../src/mesh/resilience/connectionPool.ts";
import { ENVOY_CONNECTION_POOL, ISTIO_CONNECTION_POOL } from "../../../src/scenario/defaults.ts";

function admit(pool: ConnectionPool, count: number): Admission[] {
  return Array.from({ length: count }, () => pool.tryAdmit());
}

describe("connection pool presets", () => {
  it("are Envoy's 1024 / 1024 and Istio's 2^32 - 1", () => {
    expect(ENVOY_CONNECTION_POOL).toEqual({ maxRequests: 1024, maxPendingRequests: 1024 });
    expect(ISTIO_CONNECTION_POOL).toEqual({
      maxRequests: 4294967295,
      maxPendingRequests: 4294967295,
      maxConnections: 4294967295,
    });
  });
});

describe("a connection pool", () => {
  it("over HTTP/2 overflows the 1025th concurrent request at once with Envoy's defaults: nothing queues", () => {
    const pool = new ConnectionPool(ENVOY_CONNECTION_POOL);
    expect(admit(pool, 1024).every((a) => a === "send")).toBe(true);
    expect(pool.tryAdmit()).toBe("overflow");
    expect([pool.active, pool.pending]).toEqual([1024, 0]);
  });

  it("with Istio's defaults sends everything", () => {
    const pool = new ConnectionPool(ISTIO_CONNECTION_POOL);
    expect(admit(pool, 50_000).every((a) => a === "send")).toBe(true);
  });

  it("over HTTP/1.1 with 2 connections lets the 3rd request wait, and sends it when one finishes", () => {
    const pool = new ConnectionPool({
      maxRequests: 1024,
      maxPendingRequests: 1024,
      streamCapacity: 2,
    });
    expect(admit(pool, 3)).toEqual(["send", "send", "queue"]);
    expect(pool.onFinished()).toBe(true);
    expect([pool.active, pool.pending]).toEqual([2, 0]);
    expect(pool.onFinished()).toBe(false);
    expect([pool.active, pool.pending]).toEqual([1, 0]);
  });

  it("overflows once maxPendingRequests are already waiting", () => {
    const pool = new ConnectionPool({ maxRequests: 10, maxPendingRequests: 2, streamCapacity: 1 });
    expect(admit(pool, 4)).toEqual(["send", "queue", "queue", "overflow"]);
  });

  it("with maxPendingRequests 0 turns every wait into an overflow", () => {
    const pool = new ConnectionPool({ maxRequests: 10, maxPendingRequests: 0, streamCapacity: 1 });
    expect(admit(pool, 2)).toEqual(["send", "overflow"]);
  });

  it("overflows at maxRequests without queueing while streams are still free", () => {
    const pool = new ConnectionPool({ maxRequests: 2, maxPendingRequests: 100, streamCapacity: 5 });
    expect(admit(pool, 3)).toEqual(["send", "send", "overflow"]);
    expect(pool.pending).toBe(0);
  });

  it("serves waiting requests oldest first, one per finished request", () => {
    const pool = new ConnectionPool({
      maxRequests: 100,
      maxPendingRequests: 100,
      streamCapacity: 1,
    });
    admit(pool, 4);
    expect([pool.onFinished(), pool.onFinished(), pool.onFinished(), pool.onFinished()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(pool.stats).toEqual({ sent: 1, queued: 3, dequeued: 3, overflowed: 0, cancelled: 0 });
  });

  it("drops a waiting request that gives up, so the next finish promotes nobody", () => {
    const pool = new ConnectionPool({
      maxRequests: 100,
      maxPendingRequests: 100,
      streamCapacity: 1,
    });
    admit(pool, 2);
    pool.cancelPending();
    expect(pool.onFinished()).toBe(false);
    expect(pool.stats.cancelled).toBe(1);
  });

  it("throws on a finish or a cancel it has nothing to match with", () => {
    const pool = new ConnectionPool(ENVOY_CONNECTION_POOL);
    expect(() => pool.onFinished()).toThrow(/none was active/);
    expect(() => pool.cancelPending()).toThrow(/none was waiting/);
  });

  it("rejects thresholds Envoy's uint32 fields could not hold, and a zero stream capacity", () => {
    expect(() => new ConnectionPool({ maxRequests: -1, maxPendingRequests: 1 })).toThrow(
      /maxRequests must be an integer in \[0, 2\^32 - 1\], got -1/,
    );
    expect(() => new ConnectionPool({ maxRequests: 1, maxPendingRequests: 2 ** 32 })).toThrow(
      /maxPendingRequests/,
    );
    expect(() => new ConnectionPool({ maxRequests: 1.5, maxPendingRequests: 1 })).toThrow(
      RangeError,
    );
    expect(
      () => new ConnectionPool({ maxRequests: 1, maxPendingRequests: 1, streamCapacity: 0 }),
    ).toThrow(/streamCapacity must be an integer >= 1 or Infinity/);
  });

  const scenario = fc.record({
    maxRequests: fc.integer({ min: 0, max: 8 }),
    maxPendingRequests: fc.integer({ min: 0, max: 8 }),
    streamCapacity: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 8 })),
    ops: fc.array(fc.constantFrom("admit", "finish", "cancel"), { maxLength: 200 }),
  });
  propTest.prop([scenario])(
    "keeps its limits and conserves requests through any sequence of events",
    (c) => {
      const pool = new ConnectionPool(c);
      let finished = 0;
      for (const op of c.ops) {
        if (op === "admit") pool.tryAdmit();
        else if (op === "finish" && pool.active > 0) {
          pool.onFinished();
          finished++;
        } else if (op === "cancel" && pool.pending > 0) pool.cancelPending();
        const s = pool.stats;
        expect(pool.active).toBeLessThanOrEqual(Math.min(c.maxRequests, c.streamCapacity));
        expect(pool.pending).toBeLessThanOrEqual(c.maxPendingRequests);
        expect(pool.active).toBe(s.sent + s.dequeued - finished);
        expect(pool.pending).toBe(s.queued - s.dequeued - s.cancelled);
        // Nobody waits while a stream is free.
        if (pool.pending > 0) expect(pool.active).toBe(c.streamCapacity);
      }
    },
  );
});
