/** Validation issues: what is wrong, where, and how to fix it. */

export type IssuePath = readonly (string | number)[];

export interface ValidationIssue {
  file?: string;
  /** Field path such as `steps[3].needs[0]`; empty for the document itself. */
  path: string;
  line?: number;
  message: string;
  hint: string;
}

/** `steps[3].needs[0]` from `['steps', 3, 'needs', 0]`. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** One line per issue: `file:line path: message (hint)`. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => {
      const where = [issue.file, issue.line].filter((part) => part !== undefined).join(':');
      const head = [where, issue.path].filter((part) => part !== '').join(' ');
      const hint = issue.hint ? ` (${issue.hint})` : '';
      return `${head ? `${head}: ` : ''}${issue.message}${hint}`;
    })
    .join('\n');
}

export class PipelineValidationError extends Error {
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[], heading = 'invalid pipeline') {
    super(`${heading}:\n${formatIssues(issues)}`);
    this.name = 'PipelineValidationError';
    this.issues = issues;
  }
}
