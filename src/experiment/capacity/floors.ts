// Each dimension's floor: the lowest value that passes while every other varied path is at its
// highest. Under monotonicity no passing point has less than the floor in any dimension, so the
// floors bound the whole search from below. Found per dimension by bisection, all dimensions in
// the same waves; with a model bound the first probe is at the bound, then one step below it to
// confirm (the usual case: one or two runs), or galloping upwards from it when it fails.

/** How the next probe is chosen. */
type Mode = "bound" | "confirm" | "gallop" | "bisect";

export class FloorSearch {
  /** The highest index probed that did not pass (−1: none yet, i.e. below the range). */
  private fail = -1;
  /** The lowest index known to pass. */
  private pass: number;
  private mode: Mode;
  private step = 1;
  /** Whether some probe at or below the floor was undecided (the floor is then not proven). */
  private undecidedBelow = false;

  constructor(
    top: number,
    private readonly boundIndex: number | null,
  ) {
    this.pass = top;
    this.mode = boundIndex !== null && boundIndex > 0 && boundIndex < top ? "bound" : "bisect";
  }

  /** The next index to probe, or null when the floor is found. */
  next(): number | null {
    if (this.pass - this.fail <= 1) return null;
    switch (this.mode) {
      case "bound":
        return this.boundIndex!;
      case "confirm":
        return this.pass - 1;
      case "gallop":
        return Math.min(this.pass - 1, this.fail + this.step);
      case "bisect":
        return Math.floor((this.fail + this.pass) / 2);
    }
  }

  /** Records the verdict at `index` (the last probe); undecided counts as not passing. */
  record(index: number, verdict: "pass" | "fail" | "undecided"): void {
    if (verdict === "pass") {
      this.pass = Math.min(this.pass, index);
      this.mode = this.mode === "bound" ? "confirm" : "bisect";
      return;
    }
    if (verdict === "undecided") this.undecidedBelow = true;
    this.fail = Math.max(this.fail, index);
    if (this.mode === "bound" || this.mode === "gallop") {
      if (this.mode === "gallop") this.step *= 2;
      this.mode = "gallop";
    } else this.mode = "bisect";
  }

  get floor(): number {
    return this.pass;
  }

  get proven(): boolean {
    return !this.undecidedBelow;
  }
}
