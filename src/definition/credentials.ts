/**
 * Credentials that would end up in Temporal's history: a review's `input` and `params` are recorded
 * there, so a token passed that way is readable by anyone who can read the review. These checks warn
 * (they never refuse) and point at `${{ secrets.NAME }}`, which the worker resolves.
 */
import { formatPath, type IssuePath, type ValidationIssue } from './issues';

/** Keys whose values are credentials wherever they appear. */
export const CREDENTIAL_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|token|access[-_]?token|refresh[-_]?token|auth[-_]?token|api[-_]?key|x-api-key|password|passwd|private[-_]?key|client[-_]?secret|.*secret|.*_token)$/i;

/** Well-known token shapes: GitHub, Slack, AWS access keys, PEM private keys, JWTs, bearer headers. */
const CREDENTIAL_VALUE = [
  /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/,
  /^(bearer|token)\s+[A-Za-z0-9._~+/-]{16,}=*$/i,
];

export function looksLikeCredential(value: string): boolean {
  return !value.includes('${{') && CREDENTIAL_VALUE.some((pattern) => pattern.test(value));
}

const HINT = 'store it as a secret on the workers and read it in the step with ${{ secrets.NAME }}: input and params are kept in the review history';

/** Credential-looking keys and values in a review's `input` (or `params`), as warnings. */
export function credentialWarnings(value: unknown, root: string): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const stack: { value: unknown; path: IssuePath }[] = [{ value, path: [root] }];
  while (stack.length > 0 && out.length < 20) {
    const item = stack.pop() as { value: unknown; path: IssuePath };
    const key = item.path[item.path.length - 1];
    if (typeof key === 'string' && item.path.length > 1 && CREDENTIAL_KEY.test(key) && typeof item.value === 'string' && item.value !== '') {
      out.push({ path: formatPath(item.path), message: `${formatPath(item.path)} looks like a credential (by its name)`, hint: HINT });
    } else if (typeof item.value === 'string') {
      if (looksLikeCredential(item.value)) out.push({ path: formatPath(item.path), message: `${formatPath(item.path)} looks like a credential (by its value)`, hint: HINT });
    } else if (Array.isArray(item.value)) {
      item.value.forEach((child, i) => stack.push({ value: child, path: [...item.path, i] }));
    } else if (item.value !== null && typeof item.value === 'object') {
      for (const [k, child] of Object.entries(item.value)) stack.push({ value: child, path: [...item.path, k] });
    }
  }
  return out;
}

/** Matches an expression that reads `input.` or `params.` (case ignored, as expressions do). */
const READS_INPUT = /\b(input|params)\s*(\.|\[)/i;

/**
 * In a pipeline: credential-named params, credential-looking defaults, and step inputs under a
 * credential key that read `input` or `params` (the token then sits in the history) or hold a literal.
 */
export function pipelineCredentialWarnings(raw: Record<string, unknown>): { path: IssuePath; message: string; hint: string }[] {
  const out: { path: IssuePath; message: string; hint: string }[] = [];
  const params = raw.params && typeof raw.params === 'object' ? (raw.params as Record<string, unknown>) : {};
  for (const [name, spec] of Object.entries(params)) {
    const fallback = spec && typeof spec === 'object' ? (spec as Record<string, unknown>).default : undefined;
    if (CREDENTIAL_KEY.test(name)) out.push({ path: ['params', name], message: `param '${name}' looks like a credential`, hint: HINT });
    else if (typeof fallback === 'string' && looksLikeCredential(fallback)) out.push({ path: ['params', name, 'default'], message: `the default of param '${name}' looks like a credential`, hint: HINT });
  }
  const steps = Array.isArray(raw.steps) ? raw.steps : [];
  steps.forEach((step, i) => {
    const stack: { value: unknown; path: IssuePath; credential: boolean }[] = [{ value: (step as Record<string, unknown> | null)?.with, path: ['steps', i, 'with'], credential: false }];
    while (stack.length > 0) {
      const item = stack.pop() as { value: unknown; path: IssuePath; credential: boolean };
      if (typeof item.value === 'string') {
        if (item.credential && item.value.includes('${{') && READS_INPUT.test(item.value) && !/secrets\s*\./i.test(item.value)) {
          out.push({ path: item.path, message: `a credential is passed through input or params (${item.value.trim()})`, hint: HINT });
        } else if (looksLikeCredential(item.value) || (item.credential && !item.value.includes('${{') && item.value.length >= 8)) {
          out.push({ path: item.path, message: 'a credential is written into the pipeline', hint: HINT });
        }
      } else if (Array.isArray(item.value)) {
        item.value.forEach((child, j) => stack.push({ value: child, path: [...item.path, j], credential: item.credential }));
      } else if (item.value !== null && typeof item.value === 'object') {
        for (const [k, child] of Object.entries(item.value)) stack.push({ value: child, path: [...item.path, k], credential: item.credential || CREDENTIAL_KEY.test(k) });
      }
    }
  });
  return out;
}
