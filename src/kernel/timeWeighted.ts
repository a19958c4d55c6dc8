// The time integral of a piecewise-constant level (busy slots, calls present), counted only from
// `fromMs` on, so utilisation and time-average occupancy leave the warm-up out; and, for
// monitoring, the same integral from time 0.

export class TimeWeighted {
  level = 0;
  private area = 0;
  private areaFromZero = 0;
  private lastChange = 0;

  constructor(private readonly fromMs: number) {}

  add(now: number, by: number): void {
    this.areaFromZero += this.level * (now - this.lastChange);
    // Math.max, not a conditional expression: V8 boxed the double it picked into a new heap number.
    const from = Math.max(this.lastChange, this.fromMs);
    if (now > from) this.area += this.level * (now - from);
    this.lastChange = now;
    this.level += by;
  }

  /** The integral from `fromMs` to `now` (level × milliseconds). */
  integral(now: number): number {
    const from = Math.max(this.lastChange, this.fromMs);
    return this.area + this.level * Math.max(0, now - from);
  }

  /** The integral from time 0 to `now`, warm-up included. */
  integralFromZero(now: number): number {
    return this.areaFromZero + this.level * (now - this.lastChange);
  }
}
