/**
 * `${{ secrets.NAME }}`: the workflow never sees a secret's value. It evaluates `secrets.NAME` to a
 * placeholder that names the secret, and the step activity, on the worker, puts the value in its place
 * just before the executor runs. A placeholder survives string building (`format`, concatenation, `join`),
 * so `format('Bearer {0}', secrets.TOKEN)` works; comparing a secret in an expression does not (and
 * validation refuses secrets outside a step's `with`). Pure code: it runs in the workflow sandbox.
 */
import { referencesIn } from './expressions';

const OPEN = '\u0000secret:';
const CLOSE = '\u0000';
const PLACEHOLDER = /\u0000secret:([A-Za-z_][A-Za-z0-9_]*)\u0000/g;

/** GitHub's rule for secret names: letters, digits and underscores, not starting with a digit. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function secretPlaceholder(name: string): string {
  return `${OPEN}${name}${CLOSE}`;
}

/** Names of the secrets whose placeholders occur in `text`, in order of appearance. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/** `text` with every placeholder replaced by `valueOf(name)`. */
export function replacePlaceholders(text: string, valueOf: (name: string) => string): string {
  return text.replace(PLACEHOLDER, (_, name: string) => valueOf(name));
}

/** Every `secrets.NAME` an action's inputs read (once per name, ignoring case), for the placeholders of a review. */
export function secretNamesIn(value: unknown): string[] {
  const names = new Map<string, string>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (!/secrets/i.test(item) || !item.includes('${{')) continue;
      try {
        for (const ref of referencesIn(item)) {
          const name = ref.path[0];
          if (ref.root === 'secrets' && typeof name === 'string' && SECRET_NAME.test(name)) names.set(name.toUpperCase(), name.toUpperCase());
        }
      } catch {
        // Validation reports bad expressions; here they simply name no secret.
      }
    } else if (Array.isArray(item)) {
      stack.push(...item);
    } else if (item !== null && typeof item === 'object') {
      stack.push(...Object.values(item));
    }
  }
  return [...names.values()];
}

/** The `secrets` context of a review: each name the pipeline reads, mapped to its placeholder. */
export function secretPlaceholders(steps: readonly unknown[]): Record<string, string> {
  return Object.fromEntries(secretNamesIn(steps).map((name) => [name, secretPlaceholder(name)]));
}
