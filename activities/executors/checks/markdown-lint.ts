import markdownlint from 'markdownlint';
import { z } from 'zod';
import { defineExecutor } from '../../executor';
import {
  CheckOutputSchema,
  countBySeverity,
  hasOneSource,
  loadSource,
  ONE_SOURCE,
  SourceShape,
  sortFindings,
  summarizeCheck,
  type Finding,
} from './content';

/** Long prose lines are normal in blog posts. */
const DEFAULT_CONFIG = { default: true, MD013: false };

const LintInput = z
  .object({
    ...SourceShape,
    config: z.record(z.string(), z.unknown()).default({}).describe('markdownlint configuration, merged over the defaults'),
    warn: z.array(z.string()).default([]).describe('Rules (MD001 or heading-increment) reported as warnings only'),
    maxErrors: z.number().int().min(0).default(0),
  })
  .refine(hasOneSource, ONE_SOURCE);

export const markdownLintExecutor = defineExecutor({
  type: 'markdown-lint',
  description: 'Lints markdown with markdownlint; passes when errors stay within `maxErrors`',
  input: LintInput,
  output: CheckOutputSchema,
  async run(input, ctx) {
    const source = await loadSource(input);
    const results = markdownlint.sync({
      strings: { [source.name]: source.text },
      config: { ...DEFAULT_CONFIG, ...input.config } as markdownlint.Configuration,
      handleRuleFailures: true,
    });
    const warn = new Set(input.warn.map((rule) => rule.toLowerCase()));
    const findings: Finding[] = (results[source.name] ?? []).map((error) => {
      const detail = [error.errorDetail, error.errorContext ? `"${error.errorContext}"` : undefined].filter(Boolean).join(' ');
      const finding: Finding = {
        line: error.lineNumber,
        rule: error.ruleNames.slice(0, 2).join('/'),
        message: detail ? `${error.ruleDescription}: ${detail}` : error.ruleDescription,
        severity: error.ruleNames.some((name) => warn.has(name.toLowerCase())) ? 'warning' : 'error',
      };
      if (error.errorRange) finding.column = error.errorRange[0];
      return finding;
    });
    const counts = countBySeverity(findings);
    ctx.logger.debug({ event: 'check.done', check: 'markdown-lint', ...counts }, 'markdown lint done');
    return {
      passed: counts.error <= input.maxErrors,
      findings: sortFindings(findings),
      metrics: { errors: counts.error, warnings: counts.warning, lines: source.text.split('\n').length },
      source: source.name,
    };
  },
  summarize: summarizeCheck,
});
