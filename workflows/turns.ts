/**
 * Runs a review's dispatch pass after each change without a promise per pass (TURN_DISPATCH_PATCH). A turn
 * is a callback the review runs to its end, such as a step's end: changes made in it are dispatched once,
 * when it returns. A change made outside any turn (a message handler, a timer) is dispatched in a microtask,
 * once for all the changes made before it runs. Every promise a workflow creates costs a captured stack
 * trace in the SDK's sandbox, and a loop that awaits each change costs two.
 */
export interface StepDispatch {
  /** Starts what may start; false when the steps are over (finished, an outcome decided, or draining). */
  dispatch(): boolean;
  /** Publishes the review's state before it waits; a change made here is dispatched at once. */
  flush(): void;
  /** Called once, when `dispatch` returns false. */
  done(): void;
  /** Called once, instead of `done`, with what `dispatch` or `flush` threw. */
  failed(err: unknown): void;
}

export class Turns {
  private depth = 0;
  private passing = false;
  private wanted = false;
  private scheduled = false;
  private current: StepDispatch | undefined;

  /** Runs the first pass now, and one after the changes that follow, until the steps are over. */
  start(steps: StepDispatch): void {
    this.current = steps;
    this.pass();
  }

  /** Something changed: dispatch at the end of the turn, or in a microtask outside one. */
  changed(): void {
    if (!this.current) return;
    if (this.depth > 0 || this.passing) {
      this.wanted = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    void Promise.resolve().then(() => {
      this.scheduled = false;
      this.pass();
    });
  }

  /** Runs `fn` as one turn: what it changes is dispatched when it returns (or throws). */
  turn<T>(fn: () => T): T {
    this.depth += 1;
    try {
      return fn();
    } finally {
      this.depth -= 1;
      if (this.depth === 0 && this.wanted && !this.passing) this.pass();
    }
  }

  private pass(): void {
    const steps = this.current;
    if (!steps) return;
    this.passing = true;
    let over = false;
    try {
      for (;;) {
        this.wanted = false;
        if (!steps.dispatch()) {
          over = true;
          break;
        }
        this.wanted = false;
        steps.flush();
        if (!this.wanted) break;
      }
    } catch (err) {
      this.end();
      steps.failed(err);
      return;
    }
    this.passing = false;
    this.wanted = false;
    if (over) {
      this.end();
      steps.done();
    }
  }

  private end(): void {
    this.current = undefined;
    this.passing = false;
    this.wanted = false;
  }
}
