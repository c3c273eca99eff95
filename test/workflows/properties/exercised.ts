/** What a run exercised, tallied over the suite to show which paths the generated cases reach. */
import type { Observation } from './observation';

export function exercised(obs: Observation): Record<string, number> {
  const count = (kind: string, answer: string) => obs.messages.filter((r) => r.message.kind === kind && r.answer === answer).length;
  return {
    'retries accepted': count('retry', 'ack'),
    'retries refused': count('retry', 'refused'),
    'decisions acknowledged': count('decide', 'ack'),
    'decisions refused': count('decide', 'refused'),
    'cancels sent': count('cancel', 'sent'),
    'pauses sent': count('pause', 'sent'),
    'undo runs': obs.events.filter((e) => e.kind === 'undo').length,
    'continue-as-new': Math.max(0, obs.runs.length - 1),
    'reviews paused': obs.final?.transitions.some((t) => t.to === 'paused') ? 1 : 0,
    'runs replayed': obs.runs.filter((r) => r.replayError === undefined).length,
    'runs not replayable (a rejected update\'s task in the history)': obs.runs.filter((r) => r.emptyTasks > 0 && r.replayError !== undefined).length,
  };
}

export function addTo(total: Record<string, number>, part: Record<string, number>): void {
  for (const [k, n] of Object.entries(part)) total[k] = (total[k] ?? 0) + n;
}
