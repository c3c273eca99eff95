import { z } from 'zod';
import { ReportOutputSchema } from '../../src/definition/executor-outputs';
import { defineExecutor } from '../executor';
import { FindingSchema, type Finding } from './checks/content';

const StepResultSchema = z.looseObject({
  status: z.string().describe('succeeded, failed, skipped, cancelled, …'),
  output: z.unknown().optional(),
  summary: z.string().optional(),
  error: z.unknown().optional(),
});

const ReportInput = z.object({
  title: z.string().default('Review report'),
  results: z.record(z.string(), StepResultSchema).describe('Earlier steps by id: { status, output }'),
  maxFindings: z.number().int().min(0).max(500).default(20).describe('Findings listed in the report, errors first'),
});

const ReportOutput = ReportOutputSchema;
type Counts = z.infer<typeof ReportOutput>['counts'];

type Outcome = 'passed' | 'failed' | 'skipped';
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export const reportExecutor = defineExecutor({
  type: 'report',
  description: 'Merges the outcomes and findings of earlier steps (`results`) into one markdown report',
  input: ReportInput,
  output: ReportOutput,
  async run(input) {
    const counts: Counts = { steps: 0, passed: 0, failed: 0, skipped: 0, findings: 0, errors: 0, warnings: 0 };
    const rows: string[] = [];
    const findings: Array<Finding & { step: string }> = [];
    const failures: string[] = [];

    for (const [stepId, result] of Object.entries(input.results)) {
      const outcome = outcomeOf(result.status, result.output);
      const stepFindings = findingsOf(result.output);
      counts.steps += 1;
      counts[outcome] += 1;
      counts.findings += stepFindings.length;
      counts.errors += stepFindings.filter((f) => f.severity === 'error').length;
      counts.warnings += stepFindings.filter((f) => f.severity === 'warning').length;
      findings.push(...stepFindings.map((f) => ({ ...f, step: stepId })));
      rows.push(`| ${cell(stepId)} | ${ICON[outcome]} ${outcome} | ${cell(describe(result))} |`);
      if (outcome === 'failed') {
        const detail = failureDetail(result.output, result.error);
        if (detail) failures.push(`### ${stepId}\n\n\`\`\`text\n${detail}\n\`\`\``);
      }
    }

    const passed = counts.failed === 0;
    const lines = [
      `# ${input.title}`,
      '',
      `**${passed ? 'Passed' : 'Failed'}**: ${counts.passed} of ${counts.steps} steps passed, ${counts.failed} failed, ${counts.skipped} skipped; ${counts.findings} findings (${counts.errors} errors, ${counts.warnings} warnings).`,
      '',
      '| Step | Outcome | Summary |',
      '| --- | --- | --- |',
      ...rows,
    ];
    const top = findings
      .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.step.localeCompare(b.step) || a.line - b.line)
      .slice(0, input.maxFindings);
    if (top.length > 0) {
      lines.push('', `## Top findings${findings.length > top.length ? ` (${top.length} of ${findings.length})` : ''}`, '');
      lines.push('| Severity | Step | Line | Rule | Message |', '| --- | --- | --- | --- | --- |');
      for (const f of top) lines.push(`| ${f.severity} | ${cell(f.step)} | ${f.line} | ${cell(f.rule)} | ${cell(f.message)} |`);
    }
    if (failures.length > 0) lines.push('', '## Failures', '', failures.join('\n\n'));
    return { markdown: `${lines.join('\n')}\n`, passed, counts };
  },
  summarize: ({ passed, counts }) =>
    `${passed ? `${counts.passed} of ${counts.steps} steps passed` : `${counts.failed} of ${counts.steps} steps failed`}` +
    `${counts.skipped ? `, ${counts.skipped} skipped` : ''}; ${counts.findings} findings`,
});

const ICON: Record<Outcome, string> = { passed: '✅', failed: '❌', skipped: '⏭️' };

function outcomeOf(status: string, output: unknown): Outcome {
  const s = status.toLowerCase();
  if (s === 'skipped') return 'skipped';
  if (s !== 'succeeded' && s !== 'completed' && s !== 'passed') return 'failed';
  return isRecord(output) && output.passed === false ? 'failed' : 'passed';
}

function findingsOf(output: unknown): Finding[] {
  if (!isRecord(output) || !Array.isArray(output.findings)) return [];
  return output.findings.flatMap((item) => {
    const parsed = FindingSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

function describe(result: z.infer<typeof StepResultSchema>): string {
  if (result.summary) return result.summary;
  if (isRecord(result.output) && typeof result.output.exitCode === 'number') return `exit ${result.output.exitCode}`;
  if (result.error !== undefined) return errorMessage(result.error).split('\n')[0] ?? '';
  return '';
}

function failureDetail(output: unknown, error: unknown): string | undefined {
  const source = isRecord(output) ? output : isRecord(error) && isRecord(error.details) ? error.details : undefined;
  const tail = source && typeof source.stderrTail === 'string' && source.stderrTail.trim() !== '' ? source.stderrTail : source?.stdoutTail;
  const text = typeof tail === 'string' && tail.trim() !== '' ? tail : error !== undefined ? errorMessage(error) : undefined;
  return text?.split('\n').slice(-15).join('\n').replace(/```/g, "'''");
}

function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (isRecord(error) && typeof error.message === 'string') return error.message;
  return JSON.stringify(error) ?? '';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
