/**
 * Time that does not count against deadlines: while the review is paused or waits for a retry.
 * Deadlines are absolute (a start time plus a duration) moved later by the time held since they began,
 * so they survive continue-as-new and retries without a "remaining" budget to lose. Pure code.
 */
export class HeldTime {
  constructor(
    private heldMs = 0,
    private heldSince: number | undefined = undefined,
  ) {}

  /** Starts or ends a hold; idempotent. */
  hold(held: boolean, nowMs: number): boolean {
    if (held && this.heldSince === undefined) {
      this.heldSince = nowMs;
      return true;
    }
    if (!held && this.heldSince !== undefined) {
      this.heldMs += Math.max(0, nowMs - this.heldSince);
      this.heldSince = undefined;
      return true;
    }
    return false;
  }

  get isHeld(): boolean {
    return this.heldSince !== undefined;
  }

  /** Held time so far, counting the current hold up to `nowMs`. */
  total(nowMs: number): number {
    return this.heldMs + (this.heldSince === undefined ? 0 : Math.max(0, nowMs - this.heldSince));
  }

  /** When a deadline of `durationMs` that began at `beganMs` (with `heldAtBegin` held then) falls, if nothing more is held. */
  deadline(beganMs: number, durationMs: number, heldAtBegin: number, nowMs: number): number {
    return beganMs + durationMs + (this.total(nowMs) - heldAtBegin);
  }

  carried(): { heldMs: number; heldSince?: number } {
    return this.heldSince === undefined ? { heldMs: this.heldMs } : { heldMs: this.heldMs, heldSince: this.heldSince };
  }
}
