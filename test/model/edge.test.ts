// The proxy event table (src/model/edge.ts): counters are arrays indexed by code, so the codes run
// 0, 1, 2, ... in the order they are declared, and each has its own name in results.
import { describe, expect, it } from "vitest";
import { PROXY_EVENT_CODES, PROXY_EVENT_NAMES, ProxyEvent } from "../../src/model/edge.ts";

describe("proxy events", () => {
  it("have dense codes in declaration order, each with a distinct counter name", () => {
    expect(PROXY_EVENT_CODES).toEqual(PROXY_EVENT_CODES.map((_, i) => i));
    expect(Object.keys(PROXY_EVENT_NAMES)).toHaveLength(Object.keys(ProxyEvent).length);
    const names = PROXY_EVENT_CODES.map((code) => PROXY_EVENT_NAMES[code]);
    expect(new Set(names).size).toBe(names.length);
    expect(PROXY_EVENT_NAMES[ProxyEvent.breakerRejected]).toBe("breakerRejections");
  });
});
