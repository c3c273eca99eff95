/**
 * Where an expression in a step's `with` would read a secret's value rather than pass it on. The workflow
 * sees only a placeholder (see secrets.ts): it survives being passed on as it is, through `format`, `join`
 * and `toJSON`, and the worker then puts the value in its place; anything that tests or compares it
 * would see the placeholder instead, and quietly give the same answer whatever the secret is.
 */
import { parseExpression, splitTemplate, type Expr } from './expressions';

export interface SecretUse {
  /** `secrets.NAME` as written. */
  text: string;
  /** What reads it: `the == operator`, `contains()`, `an index`, … */
  reader: string;
}

const PASSES_ON = new Set(['format', 'join', 'toJSON']);

function secretName(expr: Expr): string | undefined {
  if (expr.kind !== 'member' || expr.object.kind !== 'root' || expr.object.name !== 'secrets') return undefined;
  return expr.property.kind === 'literal' ? String(expr.property.value) : '…';
}

function visit(expr: Expr, reader: string | undefined, out: SecretUse[]): void {
  const name = secretName(expr);
  if (name !== undefined) {
    if (reader) out.push({ text: `secrets.${name}`, reader });
    return;
  }
  switch (expr.kind) {
    case 'binary':
      visit(expr.left, `the ${expr.op} operator`, out);
      visit(expr.right, `the ${expr.op} operator`, out);
      return;
    case 'not':
      visit(expr.operand, 'the ! operator', out);
      return;
    case 'call':
      expr.args.forEach((arg, i) => {
        const isCaseValue = expr.name === 'case' && (i % 2 === 1 || i === expr.args.length - 1);
        visit(arg, PASSES_ON.has(expr.name) || isCaseValue ? reader : `${expr.name}()`, out);
      });
      return;
    case 'member':
      visit(expr.object, reader, out);
      if (expr.computed) visit(expr.property, 'an index', out);
      return;
    case 'filter':
      visit(expr.object, reader, out);
      return;
    default:
  }
}

/** The reads of a secret's value in the `${{ }}` expressions of `text`; none when it does not parse. */
export function secretReads(text: string): SecretUse[] {
  const out: SecretUse[] = [];
  for (const part of splitTemplate(text)) {
    if (part.kind === 'expression') visit(parseExpression(part.source, part.start, text), undefined, out);
  }
  return out;
}
