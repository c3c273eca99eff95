/** Readable renderings of a case, of what a run did, and of the violations found. */
import type { Violation } from './checks/verdict';
import { relative } from './checks/facts';
import { conditionText, type Message, type ReviewCase, type StepCase } from './model';
import type { MessageRecord, Observation } from './observation';

function describeStep(step: StepCase): string {
  const parts: string[] = [];
  if (step.gate) {
    const g = step.gate;
    parts.push(`gate required ${g.required}${g.deadline ? `, deadline ${g.deadline}, onTimeout ${g.onTimeout ?? 'reject (default)'}` : ', no deadline'}`);
  } else if (step.task) {
    const t = step.task;
    if (t.kind === 'echo') parts.push(`echo ${t.delayMs}ms`);
    else if (t.kind === 'flaky') parts.push('flaky (fails until repaired)');
    else parts.push(`fail failTimes ${t.fail?.failTimes} maxAttempts ${t.fail?.maxAttempts}${t.fail?.nonRetryable ? ' nonRetryable' : ''}`);
    if (t.onFailure !== 'fail') parts.push(`onFailure ${t.onFailure}`);
    if (t.undo) parts.push('undo');
  }
  if (step.needs.length) parts.push(`needs ${step.needs.join(',')}`);
  if (step.if) parts.push(`if ${conditionText(step.if)}`);
  return `    ${step.id}: ${parts.join('; ')}`;
}

export function describeMessage(m: Message): string {
  switch (m.kind) {
    case 'decide':
      return `${m.verdict} by ${m.by}${m.step ? ` on ${m.step}` : ''} (${m.via === 'update' ? `${m.verdict}Gate update` : `${m.verdict} signal`})`;
    case 'retry':
      return `retry${m.from ? ` from ${m.from}` : ''}`;
    case 'repair':
      return 'repair the flaky steps (driver side)';
    default:
      return m.kind;
  }
}

export function describeCase(c: ReviewCase): string {
  const p = c.pipeline;
  const head = [p.timeout ? `timeout ${p.timeout}` : '', p.maxParallel ? `maxParallel ${p.maxParallel}` : '', c.retryWindow ? `retryWindow ${c.retryWindow}` : '', c.historyLimit ? `historyLimit ${c.historyLimit}` : '']
    .filter(Boolean)
    .join(', ');
  const lines = [`  pipeline${head ? ` (${head})` : ''}:`, ...p.steps.map(describeStep), '  script:'];
  if (c.script.length === 0) lines.push('    (no messages)');
  c.script.forEach((e, i) => lines.push(`    #${i} after ${e.gapMs ? relative(e.gapMs).slice(1) : '0s'}: ${describeMessage(e.message)}`));
  return lines.join('\n');
}

function describeRecord(r: MessageRecord, start: number): string {
  const answer = r.answer === 'ack' ? `ack${r.gate ? ` outcome=${r.gate.outcome ?? '-'} approvals=${r.gate.approvals.map((d) => d.by).join(',')}` : ''}${r.rerun ? ` rerun=[${r.rerun.join(',')}]` : ''}` : r.answer;
  return `    #${r.index} ${r.phase} ${relative(r.sentAt - start)} ${describeMessage(r.message)} [review ${r.pre?.state ?? '?'}${r.pre?.phase ? `/${r.pre.phase}` : ''}] -> ${answer}${r.detail && r.answer !== 'ack' ? `: ${r.detail.slice(0, 160)}` : ''}`;
}

export function describeObservation(obs: Observation): string {
  const start = obs.startedAt;
  const at = (iso?: string) => (iso ? relative(Date.parse(iso) - start) : '?');
  const o = obs.outcome;
  const lines = [`  outcome: ${o.kind}${o.kind === 'failed' ? ` (${o.failureType}, details state ${o.detailsState})` : ''}${o.kind === 'unexpected' ? `: ${o.error}` : ''}; runs: ${obs.runs.length}; wall ${obs.wallMs} ms`];
  const s = obs.final;
  if (s) {
    lines.push(`  final: state ${s.state}${s.phase ? `, phase ${s.phase}` : ''}${s.outcome ? `, outcome ${s.outcome}` : ''}, startedAt ${at(s.startedAt)}, endedAt ${at(s.endedAt)}`);
    lines.push(`  transitions: ${s.transitions.map((t) => `${t.to}@${at(t.at)}`).join(' -> ')}`);
    for (const step of s.steps) {
      const gate = step.gate ? ` gate outcome=${step.gate.outcome ?? '-'} approvals=${step.gate.approvals.map((d) => d.by).join(',')} rejections=${step.gate.rejections.map((d) => d.by).join(',')}` : '';
      lines.push(`    ${step.id} ${step.state} attempts ${step.attempts} ${at(step.startedAt)}..${at(step.endedAt)}${step.undo ? ` undo ${step.undo.state}` : ''}${gate}${step.skippedReason ? ` (${step.skippedReason})` : ''}${step.error ? ` error: ${step.error.slice(0, 100)}` : ''}`);
    }
  } else {
    lines.push(`  final: no status (${obs.finalQueryError})`);
  }
  lines.push('  messages:');
  for (const r of obs.messages) lines.push(describeRecord(r, start));
  lines.push(`  activities: ${obs.events.map((e) => `${e.step}/${e.kind}#${e.attempt} ${e.outcome}@${relative(e.serverTime - start)}`).join(', ') || '(none)'}`);
  return lines.join('\n');
}

export function describeViolations(violations: Violation[]): string {
  return violations.map((v) => `  [${v.invariant}] ${v.detail}`).join('\n');
}
