import { Turns, type StepDispatch } from '../../workflows/turns';

/** A dispatch that records what ran; `dispatch` returns what `remaining` says (then false once it is empty). */
function recorder(remaining: boolean[] = [], onFlush: () => void = () => undefined) {
  const log: string[] = [];
  const steps: StepDispatch = {
    dispatch: () => {
      log.push('dispatch');
      return remaining.length > 0 ? (remaining.shift() as boolean) : true;
    },
    flush: () => {
      log.push('flush');
      onFlush();
    },
    done: () => log.push('done'),
    failed: (err) => log.push(`failed: ${(err as Error).message}`),
  };
  return { log, steps };
}

/** Turns whose first pass has run and found the steps not over, with its log emptied. */
function waiting() {
  const turns = new Turns();
  const { log, steps } = recorder();
  turns.start(steps);
  log.length = 0;
  return { turns, log, steps };
}

const microtasks = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('turns: dispatching after each change without a loop that awaits it', () => {
  it('runs the first pass at once and waits when the steps are not over', () => {
    const turns = new Turns();
    const { log, steps } = recorder();
    turns.start(steps);
    expect(log).toEqual(['dispatch', 'flush']);
  });

  it('dispatches once at the end of a turn, however many changes it made', () => {
    const { turns, log } = waiting();
    turns.turn(() => {
      turns.changed();
      turns.changed();
      expect(log).toEqual([]);
    });
    expect(log).toEqual(['dispatch', 'flush']);
  });

  it('dispatches once at the end of the outermost of nested turns', () => {
    const { turns, log } = waiting();
    turns.turn(() => {
      turns.turn(() => turns.changed());
      expect(log).toEqual([]);
    });
    expect(log).toEqual(['dispatch', 'flush']);
  });

  it('does not dispatch after a turn that changed nothing', () => {
    const { turns, log } = waiting();
    expect(turns.turn(() => 42)).toBe(42);
    expect(log).toEqual([]);
  });

  it('dispatches changes made outside a turn in one microtask', async () => {
    const { turns, log } = waiting();
    turns.changed();
    turns.changed();
    expect(log).toEqual([]);
    await microtasks();
    expect(log).toEqual(['dispatch', 'flush']);
  });

  it('dispatches again when publishing the state changed it, not when dispatching did', () => {
    const turns = new Turns();
    let flushes = 0;
    const { log, steps } = recorder([], () => {
      flushes += 1;
      if (flushes === 1) turns.changed();
    });
    const dispatch = steps.dispatch;
    steps.dispatch = () => {
      turns.changed();
      return dispatch();
    };
    turns.start(steps);
    expect(log).toEqual(['dispatch', 'flush', 'dispatch', 'flush']);
  });

  it('ends once the steps are over: done is called once and later changes dispatch nothing', async () => {
    const turns = new Turns();
    const { log, steps } = recorder([true, false]);
    turns.start(steps);
    turns.turn(() => turns.changed());
    turns.changed();
    await microtasks();
    expect(log).toEqual(['dispatch', 'flush', 'dispatch', 'done']);
  });

  it('reports what a pass threw as failed, once, and dispatches nothing after', async () => {
    const turns = new Turns();
    const { log, steps } = recorder();
    turns.start(steps);
    steps.dispatch = () => {
      throw new Error('boom');
    };
    turns.turn(() => turns.changed());
    turns.changed();
    await microtasks();
    expect(log).toEqual(['dispatch', 'flush', 'failed: boom']);
  });

  it('still dispatches after a turn that threw', () => {
    const { turns, log } = waiting();
    expect(() =>
      turns.turn(() => {
        turns.changed();
        throw new Error('step end failed');
      }),
    ).toThrow('step end failed');
    expect(log).toEqual(['dispatch', 'flush']);
  });

  it('does nothing before it is started', async () => {
    const turns = new Turns();
    turns.turn(() => turns.changed());
    turns.changed();
    await microtasks();
  });
});
