// Duration text: parse and format cases, the rejections and their messages, and the round trip
// for whole microseconds as a property. Mirrors src/kernel/duration.ts.

import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import {
  formatDuration,
  isDurationText,
  MAX_DURATION_MS,
  parseDuration,
} from "../../src/kernel/duration.ts";

describe("parseDuration", () => {
  test.each([
    ["0", 0],
    ["0ms", 0],
    ["250us", 0.25],
    ["5ms", 5],
    ["1.5s", 1500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1m30s", 90_000],
    ["1h2m3.5s", 3_723_500],
    ["1s250ms", 1250],
    ["0.3ms", 0.3],
    ["1.25us", 0.00125],
    ["100h", 360_000_000],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(isDurationText(text)).toBe(true);
  });

  test.each([
    [
      "12",
      /expected a duration such as 250ms, 1\.5s or 1m30s, got "12" \(a bare number needs a unit/,
    ],
    ["1.5", /expected a duration.*a bare number needs a unit/],
    ["0.0", /expected a duration.*a bare number needs a unit/],
    ["", /expected a duration.*it is empty/],
    ["-5ms", /expected a duration.*cannot be negative/],
    ["5 ms", /expected a duration.*whitespace/],
    [" 5ms", /expected a duration.*whitespace/],
    ["1d", /expected a duration.*unknown unit "d"/],
    ["5MS", /expected a duration.*unknown unit "MS"/],
    ["1s1m", /expected a duration.*largest to smallest/],
    ["1m1m", /expected a duration.*each at most once/],
    ["1.s", /expected a duration.*a digit must follow the decimal point/],
    [".5s", /expected a duration.*a number must come before each unit/],
    ["ms", /expected a duration.*a number must come before each unit/],
    ["1m30", /expected a duration.*expected a unit/],
    ["1e3ms", /expected a duration.*unknown unit "e"/],
    ["9".repeat(400) + "h", /expected a duration.*285 years/],
  ])("rejects %j, saying what it expected", (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
    expect(isDurationText(text)).toBe(false);
  });
});

describe("formatDuration", () => {
  test.each([
    [0, "0ms"],
    [0.25, "250us"],
    [5, "5ms"],
    [5.25, "5.25ms"],
    [1500, "1.5s"],
    [120_000, "2m"],
    [90_000, "1m30s"],
    [3_600_000, "1h"],
    [3_600_005, "1h5ms"],
    [3_723_500, "1h2m3.5s"],
    [60_000.25, "1m250us"],
    [0.3, "300us"],
  ])("writes %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test("rounds values finer than a microsecond to the nanosecond", () => {
    expect(formatDuration(0.0005)).toBe("0.5us");
    expect(formatDuration(1.0000001)).toBe("1ms");
    expect(formatDuration(1e-9)).toBe("0ms");
  });

  test("rejects negative, non-finite and over-long values", () => {
    expect(() => formatDuration(-1)).toThrow(/finite, non-negative/);
    expect(() => formatDuration(Number.NaN)).toThrow(/finite, non-negative/);
    expect(() => formatDuration(Infinity)).toThrow(/finite, non-negative/);
    expect(() => formatDuration(MAX_DURATION_MS * 2)).toThrow(/285 years/);
  });

  propTest.prop([fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })])(
    "round-trips every whole number of microseconds through parseDuration",
    (us) => {
      const ms = us / 1000;
      const text = formatDuration(ms);
      expect(parseDuration(text)).toBe(ms);
    },
  );

  propTest.prop([fc.double({ min: 0, max: 1e9, noNaN: true })])(
    "always writes text that parseDuration accepts, within a nanosecond",
    (ms) => {
      const back = parseDuration(formatDuration(ms));
      expect(Math.abs(back - ms)).toBeLessThanOrEqual(5e-7 + ms * 1e-15);
    },
  );
});
