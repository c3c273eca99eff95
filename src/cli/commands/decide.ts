import type { Command } from 'commander';
import type { GateStatus } from '../../../workflows/types';
import { ReviewError } from '../../client/errors';
import { globalsOf, outputFor, withClient } from '../context';
import { collect } from '../input';

interface DecideFlags {
  step?: string;
  by: string;
  role?: string[];
  comment?: string;
  hold?: boolean;
}

/** The workflow's refusals name the client's fields; here they are the command's flags. */
function inFlags(error: unknown): unknown {
  if (error instanceof ReviewError) error.message = error.message.replace(/name one with "step"/, 'name one with --step').replace(/send the decision with hold/, 'send it with --hold');
  return error;
}

function describeGate(verdict: 'approve' | 'reject', id: string, flags: DecideFlags, gate: GateStatus): string {
  const done = verdict === 'approve' ? 'approved' : 'rejected';
  const outcome = gate.outcome ? `gate is ${gate.outcome}` : `${gate.approvals.length}/${gate.required} approvals so far`;
  return `${done} ${id}${flags.step ? ` at ${flags.step}` : ''} as ${flags.by}: ${outcome}`;
}

export function registerDecide(program: Command): void {
  for (const verdict of ['approve', 'reject'] as const) {
    program
      .command(verdict)
      .description(`${verdict} an open approval gate of a review`)
      .argument('<id>', 'review id')
      .option('--step <gate>', 'the gate step id (needed only when several gates are open)')
      .requiredOption('--by <name>', 'who decides')
      .option(
        '--role <role>',
        'a role you hold, matched against role:<name> approvers (repeatable); with REVIEW_DIRECTORY_FILE set it must be one the directory gives you, and when left out the directory\'s roles are used',
        collect,
        [],
      )
      .option('--comment <text>', 'why')
      .option('--hold', 'before the gate opens: keep the decision and apply it when the gate opens (checked again then)')
      .action(async (id: string, flags: DecideFlags, command: Command) => {
        const globals = globalsOf(command);
        const out = outputFor(globals);
        const decision = {
          by: flags.by,
          ...(flags.step !== undefined ? { step: flags.step } : {}),
          ...(flags.role && flags.role.length > 0 ? { roles: flags.role } : {}),
          ...(flags.comment !== undefined ? { comment: flags.comment } : {}),
          ...(flags.hold ? { hold: true } : {}),
        };
        const gate = await withClient(globals, (client) => (verdict === 'approve' ? client.approve(id, decision) : client.reject(id, decision))).catch((error: unknown) => {
          throw inFlags(error);
        });
        out.result(gate, describeGate(verdict, id, flags, gate));
      });
  }
}
