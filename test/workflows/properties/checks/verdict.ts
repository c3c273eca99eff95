/** Collects the checks made on one run and the invariants they found broken. */

export interface Violation {
  invariant: string;
  detail: string;
}

export class Verdict {
  checks = 0;
  readonly violations: Violation[] = [];

  /** One invariant check: `holds` false records a violation with its detail. */
  check(invariant: string, holds: boolean, detail: () => string): void {
    this.checks += 1;
    if (!holds) this.violations.push({ invariant, detail: detail() });
  }
}

/** Tolerances, in workflow (server) milliseconds. */
export const TOLERANCE = {
  /** Events this close in time may have been decided in either order. */
  race: 1_000,
  /**
   * The review timeout and gate deadlines fire within this of when they are due. The test server's clock
   * runs at wall speed between skips, so a workflow task delayed by a loaded machine shows as lateness;
   * the faults this guards against (held time counted, a budget lost) are minutes to days.
   */
  deadline: 5_000,
} as const;

export const MAX_STATUS_BYTES = 1_000_000;
