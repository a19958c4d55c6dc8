// cpu-stress as an instance feels it (Chaos Mesh StressChaos on its pod): the stress faults in
// force, which may overlap, each with its exact undo; their product stretches the service times
// started from then on. Work already running is not stretched.

export class CpuStress {
  /** The product of the factors in force (1: none): service times are multiplied by it. */
  factor = 1;
  private readonly factors: number[] = [];

  /** Adds a factor until the returned undo is called (once; a second call does nothing). */
  add(factor: number): () => void {
    this.factors.push(factor);
    this.factor = product(this.factors);
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      this.factors.splice(this.factors.indexOf(factor), 1);
      this.factor = product(this.factors);
    };
  }
}

function product(factors: readonly number[]): number {
  let p = 1;
  for (const f of factors) p *= f;
  return p;
}
