/**
 * `${{ ... }}` expressions, as GitHub Actions users write them, evaluated without eval:
 * a tokenizer, a recursive-descent parser to an AST, and an evaluator over an ExpressionContext.
 *
 * Missing properties evaluate to null. `==` compares values of the same type strictly (arrays and
 * objects deeply) and otherwise compares them as numbers, like GitHub Actions; string comparisons
 * are case-sensitive.
 */

export interface StepView {
  status: string;
  output?: unknown;
}

export interface ExpressionContext {
  params: Record<string, unknown>;
  input: Record<string, unknown>;
  steps: Record<string, StepView>;
}

export const EXPRESSION_ROOTS = ['params', 'input', 'steps'] as const;
export type ExpressionRoot = (typeof EXPRESSION_ROOTS)[number];

export interface Reference {
  root: ExpressionRoot;
  /** Static property path after the root: `steps.lint.output.score` → `['lint', 'output', 'score']`. */
  path: (string | number)[];
  /** The reference as written in canonical form, e.g. `steps.lint.output.score`. */
  text: string;
  /** Offset of the reference in the string it came from. */
  position: number;
}

export class ExpressionError extends Error {
  constructor(
    readonly reason: string,
    readonly source: string,
    readonly position: number,
  ) {
    super(`${reason} at column ${position + 1} of ${JSON.stringify(source)}`);
    this.name = 'ExpressionError';
  }
}

// ---------------------------------------------------------------- tokens

type TokenKind = 'number' | 'string' | 'ident' | 'punct' | 'op' | 'eof';
interface Token {
  kind: TokenKind;
  text: string;
  value?: number | string;
  pos: number;
}

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!'] as const;
type BinaryOperator = '==' | '!=' | '<=' | '>=' | '&&' | '||' | '<' | '>';
const PUNCTUATION = new Set(['.', '[', ']', '(', ')', ',']);

function isIdentStart(ch: string): boolean {
  return /[A-Za-z_]/.test(ch);
}
function isIdentPart(ch: string): boolean {
  return /[A-Za-z0-9_-]/.test(ch);
}
function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function tokenize(src: string, base: number, full: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (reason: string, at: number): never => {
    throw new ExpressionError(reason, full, base + at);
  };
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    const previous = tokens[tokens.length - 1];
    const operandBefore =
      previous !== undefined &&
      (previous.kind === 'number' || previous.kind === 'string' || previous.kind === 'ident' || previous.text === ')' || previous.text === ']');
    if (isDigit(ch) || (ch === '-' && !operandBefore && (isDigit(src[i + 1]) || src[i + 1] === '.'))) {
      const match = /^-?(?:0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(src.slice(i));
      if (!match) fail(`malformed number`, start);
      const text = (match as RegExpExecArray)[0];
      if (isIdentPart(src[i + text.length] ?? ' ')) fail(`malformed number '${text}${src[i + text.length]}'`, start);
      tokens.push({ kind: 'number', text, value: Number(text), pos: start });
      i += text.length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) fail(`unterminated string: add the closing ${ch}`, start);
        const c = src[i] as string;
        if (c === ch) {
          if (ch === "'" && src[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\\' && ch === '"') {
          const next = src[i + 1];
          const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', "'": "'" };
          if (next === undefined || escapes[next] === undefined) fail(`unknown escape '\\${next ?? ''}' in string`, i);
          value += escapes[next as string];
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      tokens.push({ kind: 'string', text: src.slice(start, i), value, pos: start });
      continue;
    }
    if (isIdentStart(ch)) {
      while (i < src.length && isIdentPart(src[i] as string)) i++;
      tokens.push({ kind: 'ident', text: src.slice(start, i), pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, pos: start });
      i += op.length;
      continue;
    }
    if (PUNCTUATION.has(ch)) {
      tokens.push({ kind: 'punct', text: ch, pos: start });
      i++;
      continue;
    }
    const reason =
      ch === '=' ? `unexpected '=': compare with ==` : ch === '&' || ch === '|' ? `unexpected '${ch}': use && or ||` : `unexpected character '${ch}'`;
    fail(reason, start);
  }
  tokens.push({ kind: 'eof', text: '', pos: src.length });
  return tokens;
}

// ---------------------------------------------------------------- AST

export type Expr =
  | { kind: 'literal'; value: null | boolean | number | string; pos: number }
  | { kind: 'root'; name: ExpressionRoot; pos: number }
  | { kind: 'member'; object: Expr; property: Expr; computed: boolean; pos: number }
  | { kind: 'call'; name: FunctionName; args: Expr[]; pos: number }
  | { kind: 'not'; operand: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr; pos: number };

const FUNCTIONS = {
  contains: [2, 2],
  startsWith: [2, 2],
  endsWith: [2, 2],
  length: [1, 1],
  join: [1, 2],
  toJSON: [1, 1],
  fromJSON: [1, 1],
  format: [1, Infinity],
} as const;
export type FunctionName = keyof typeof FUNCTIONS;
export const EXPRESSION_FUNCTIONS = Object.keys(FUNCTIONS) as FunctionName[];

const MAX_DEPTH = 100;

class Parser {
  private index = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly base: number,
    private readonly full: string,
  ) {}

  parse(): Expr {
    if (this.peek().kind === 'eof') this.fail('empty expression', this.peek());
    const expr = this.or();
    const rest = this.peek();
    if (rest.kind !== 'eof') this.fail(`unexpected '${rest.text}' after a complete expression`, rest);
    return expr;
  }

  private fail(reason: string, token: Token): never {
    throw new ExpressionError(reason, this.full, this.base + token.pos);
  }
  private peek(): Token {
    return this.tokens[this.index] as Token;
  }
  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }
  private accept(text: string): Token | undefined {
    const token = this.peek();
    if ((token.kind === 'op' || token.kind === 'punct') && token.text === text) return this.next();
    return undefined;
  }
  private expect(text: string, what: string): Token {
    const token = this.accept(text);
    if (!token) {
      const found = this.peek();
      this.fail(`expected '${text}' ${what}, found ${found.kind === 'eof' ? 'the end' : `'${found.text}'`}`, found);
    }
    return token as Token;
  }

  private binary(next: () => Expr, ops: readonly BinaryOperator[]): Expr {
    let left = next();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op' || !(ops as readonly string[]).includes(token.text)) return left;
      this.next();
      left = { kind: 'binary', op: token.text as BinaryOperator, left, right: next(), pos: token.pos };
    }
  }
  private or = (): Expr => this.binary(this.and, ['||']);
  private and = (): Expr => this.binary(this.equality, ['&&']);
  private equality = (): Expr => this.binary(this.comparison, ['==', '!=']);
  private comparison = (): Expr => this.binary(this.unary, ['<', '<=', '>', '>=']);

  private unary = (): Expr => {
    const bang = this.accept('!');
    if (bang) return { kind: 'not', operand: this.nested(this.unary), pos: bang.pos };
    return this.postfix();
  };

  private nested(rule: () => Expr): Expr {
    if (++this.depth > MAX_DEPTH) this.fail('expression is nested too deeply', this.peek());
    try {
      return rule();
    } finally {
      this.depth--;
    }
  }

  private postfix(): Expr {
    let expr = this.primary();
    for (;;) {
      const dot = this.accept('.');
      if (dot) {
        const name = this.next();
        if (name.kind !== 'ident') this.fail(`expected a property name after '.', found ${name.kind === 'eof' ? 'the end' : `'${name.text}'`}`, name);
        expr = { kind: 'member', object: expr, property: { kind: 'literal', value: name.text, pos: name.pos }, computed: false, pos: dot.pos };
        continue;
      }
      const bracket = this.accept('[');
      if (bracket) {
        const property = this.nested(this.or);
        this.expect(']', 'to close the index');
        expr = { kind: 'member', object: expr, property, computed: true, pos: bracket.pos };
        continue;
      }
      return expr;
    }
  }

  private primary(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value as number | string, pos: token.pos };
      case 'ident': {
        if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true', pos: token.pos };
        if (token.text === 'null') return { kind: 'literal', value: null, pos: token.pos };
        if (this.accept('(')) return this.call(token);
        if ((EXPRESSION_ROOTS as readonly string[]).includes(token.text)) {
          return { kind: 'root', name: token.text as ExpressionRoot, pos: token.pos };
        }
        return this.fail(
          `unknown name '${token.text}': start a reference with ${EXPRESSION_ROOTS.join(', ')} or call one of ${EXPRESSION_FUNCTIONS.join(', ')}`,
          token,
        );
      }
      case 'punct':
        if (token.text === '(') {
          const inner = this.nested(this.or);
          this.expect(')', 'to close the parenthesis');
          return inner;
        }
        return this.fail(`unexpected '${token.text}'`, token);
      case 'op':
        return this.fail(`unexpected operator '${token.text}': a value is missing before it`, token);
      default:
        return this.fail('the expression ends too early: a value is missing', token);
    }
  }

  private call(name: Token): Expr {
    const arity = (FUNCTIONS as Record<string, readonly [number, number]>)[name.text];
    if (!arity) this.fail(`unknown function '${name.text}': use one of ${EXPRESSION_FUNCTIONS.join(', ')}`, name);
    const args: Expr[] = [];
    if (!this.accept(')')) {
      do args.push(this.nested(this.or));
      while (this.accept(','));
      this.expect(')', `to close the call of ${name.text}`);
    }
    const [min, max] = arity as readonly [number, number];
    if (args.length < min || args.length > max) {
      const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} or ${max}`;
      this.fail(`${name.text}() takes ${wanted} argument${min === 1 && max === 1 ? '' : 's'}, got ${args.length}`, name);
    }
    return { kind: 'call', name: name.text as FunctionName, args, pos: name.pos };
  }
}

/** Parses one expression (the text between `${{` and `}}`). `base` and `full` place errors in a larger string. */
export function parseExpression(source: string, base = 0, full = source): Expr {
  return new Parser(tokenize(source, base, full), base, full).parse();
}

// ---------------------------------------------------------------- finding ${{ }} in strings

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'expression'; source: string; start: number };

/** Splits a string into literal text and `${{ }}` expressions; `start` is the offset of each expression's source. */
export function splitTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let cursor = 0;
  for (;;) {
    const open = text.indexOf('${{', cursor);
    if (open < 0) break;
    if (open > cursor) parts.push({ kind: 'text', text: text.slice(cursor, open) });
    const start = open + 3;
    let i = start;
    let close = -1;
    while (i < text.length) {
      const ch = text[i];
      if (ch === "'" || ch === '"') {
        i++;
        while (i < text.length && text[i] !== ch) i += text[i] === '\\' && ch === '"' ? 2 : 1;
        i++;
        continue;
      }
      if (ch === '}' && text[i + 1] === '}') {
        close = i;
        break;
      }
      i++;
    }
    if (close < 0) throw new ExpressionError('unterminated ${{: add the closing }}', text, open);
    parts.push({ kind: 'expression', source: text.slice(start, close), start });
    cursor = close + 2;
  }
  if (cursor < text.length) parts.push({ kind: 'text', text: text.slice(cursor) });
  return parts;
}

export function hasExpression(text: string): boolean {
  return text.includes('${{');
}

export interface ParsedCondition {
  ast: Expr;
  /** Offset of the expression in the condition text. */
  base: number;
}

/** Parses an `if:` condition written with or without `${{ }}`. */
export function parseCondition(text: string): ParsedCondition {
  if (!hasExpression(text)) return { ast: parseExpression(text), base: 0 };
  const parts = splitTemplate(text);
  const expressions = parts.filter((p): p is Extract<TemplatePart, { kind: 'expression' }> => p.kind === 'expression');
  const onlyOne = expressions.length === 1 && parts.every((p) => p.kind === 'expression' || p.text.trim() === '');
  if (!onlyOne) {
    throw new ExpressionError('write the whole condition inside one ${{ }}, or leave ${{ }} out', text, text.indexOf('${{'));
  }
  const only = expressions[0] as Extract<TemplatePart, { kind: 'expression' }>;
  return { ast: parseExpression(only.source, only.start, text), base: only.start };
}

// ---------------------------------------------------------------- references

function flattenChain(expr: Expr): { root: Extract<Expr, { kind: 'root' }>; segments: { property: Expr; computed: boolean }[] } | undefined {
  const segments: { property: Expr; computed: boolean }[] = [];
  let node: Expr = expr;
  while (node.kind === 'member') {
    segments.unshift({ property: node.property, computed: node.computed });
    node = node.object;
  }
  return node.kind === 'root' ? { root: node, segments } : undefined;
}

export function referenceText(root: string, path: readonly (string | number)[]): string {
  let out = root;
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : /^[A-Za-z_][\w-]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** References in a parsed expression, in source order. */
export function referencesOf(expr: Expr, base = 0): Reference[] {
  const out: Reference[] = [];
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop() as Expr;
    switch (node.kind) {
      case 'root':
      case 'member': {
        const chain = flattenChain(node);
        if (!chain) {
          if (node.kind === 'member') stack.push(node.property, node.object);
          break;
        }
        const path: (string | number)[] = [];
        let dynamic = false;
        for (const segment of chain.segments) {
          const p = segment.property;
          if (!dynamic && p.kind === 'literal' && (typeof p.value === 'string' || typeof p.value === 'number')) path.push(p.value);
          else dynamic = true;
          if (segment.computed && p.kind !== 'literal') stack.push(p);
        }
        out.push({ root: chain.root.name, path, text: referenceText(chain.root.name, path), position: base + chain.root.pos });
        break;
      }
      case 'call':
        for (let i = node.args.length - 1; i >= 0; i--) stack.push(node.args[i] as Expr);
        break;
      case 'not':
        stack.push(node.operand);
        break;
      case 'binary':
        stack.push(node.right, node.left);
        break;
      default:
        break;
    }
  }
  return out.sort((a, b) => a.position - b.position);
}

/** Every params/input/steps reference in the `${{ }}` expressions of `value` (deeply); throws ExpressionError on bad syntax. */
export function referencesIn(value: unknown): Reference[] {
  const out: Reference[] = [];
  walkStrings(value, (text) => {
    for (const part of splitTemplate(text)) {
      if (part.kind === 'expression') out.push(...referencesOf(parseExpression(part.source, part.start, text), part.start));
    }
  });
  return out;
}

/** References in an `if:` condition written with or without `${{ }}`. */
export function referencesInCondition(text: string): Reference[] {
  const { ast, base } = parseCondition(text);
  return referencesOf(ast, base);
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') visit(item);
    else if (Array.isArray(item)) for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
    else if (isPlainObject(item)) {
      const values = Object.values(item);
      for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
    }
  }
}

// ---------------------------------------------------------------- evaluation

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function property(object: unknown, key: unknown): unknown {
  if (object === null || object === undefined) return null;
  if (Array.isArray(object)) {
    const index = typeof key === 'number' ? key : typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : NaN;
    return Number.isInteger(index) && index >= 0 && index < object.length ? (object[index] ?? null) : null;
  }
  if (isPlainObject(object) && (typeof key === 'string' || typeof key === 'number')) {
    const name = String(key);
    return Object.prototype.hasOwnProperty.call(object, name) ? (object[name] ?? null) : null;
  }
  return null;
}

export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? 0 : Number(trimmed);
  }
  return NaN;
}

export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

/** How a value appears inside a string: null as empty, objects as JSON. */
export function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

export function looseEquals(a: unknown, b: unknown): boolean {
  const left = a === undefined ? null : a;
  const right = b === undefined ? null : b;
  if (left === null || right === null) return left === right;
  if (typeof left === 'object' || typeof right === 'object') return deepEqual(left, right);
  if (typeof left === typeof right) return left === right;
  return toNumber(left) === toNumber(right);
}

function compare(op: '<' | '<=' | '>' | '>=', a: unknown, b: unknown): boolean {
  let left: number | string;
  let right: number | string;
  if (typeof a === 'string' && typeof b === 'string') {
    left = a;
    right = b;
  } else {
    left = toNumber(a);
    right = toNumber(b);
    if (Number.isNaN(left) || Number.isNaN(right)) return false;
  }
  switch (op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    default:
      return left >= right;
  }
}

function formatString(template: string, args: unknown[], fail: (reason: string) => never): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === '{' && template[i + 1] === '{') {
      out += '{';
      i++;
    } else if (ch === '}' && template[i + 1] === '}') {
      out += '}';
      i++;
    } else if (ch === '{') {
      const close = template.indexOf('}', i);
      const index = close < 0 ? NaN : Number(template.slice(i + 1, close));
      if (!Number.isInteger(index) || index < 0) fail(`format(): '{' must start a placeholder like {0}; write {{ for a literal brace`);
      if (index >= args.length) fail(`format(): placeholder {${index}} has no argument`);
      out += stringify(args[index]);
      i = close;
    } else if (ch === '}') {
      fail(`format(): unmatched '}'; write }} for a literal brace`);
    } else {
      out += ch;
    }
  }
  return out;
}

function callFunction(node: Extract<Expr, { kind: 'call' }>, args: unknown[], fail: (reason: string) => never): unknown {
  const [first, second] = args;
  switch (node.name) {
    case 'contains':
      if (Array.isArray(first)) return first.some((item) => looseEquals(item, second));
      return stringify(first).includes(stringify(second));
    case 'startsWith':
      return stringify(first).startsWith(stringify(second));
    case 'endsWith':
      return stringify(first).endsWith(stringify(second));
    case 'length':
      if (first === null || first === undefined) return 0;
      if (Array.isArray(first) || typeof first === 'string') return first.length;
      if (isPlainObject(first)) return Object.keys(first).length;
      return stringify(first).length;
    case 'join': {
      const separator = args.length > 1 ? stringify(second) : ',';
      return Array.isArray(first) ? first.map(stringify).join(separator) : stringify(first);
    }
    case 'toJSON':
      return JSON.stringify(first === undefined ? null : first, null, 2);
    case 'fromJSON':
      try {
        return JSON.parse(stringify(first)) as unknown;
      } catch {
        return fail(`fromJSON(): ${JSON.stringify(stringify(first).slice(0, 40))} is not JSON`);
      }
    case 'format':
      return formatString(stringify(first), args.slice(1), fail);
  }
}

/** Evaluates a parsed expression against a context. */
export function evaluate(expr: Expr, ctx: ExpressionContext, source = '', base = 0): unknown {
  const visit = (node: Expr): unknown => {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'root':
        return ctx[node.name] ?? null;
      case 'member':
        return property(visit(node.object), visit(node.property));
      case 'not':
        return !isTruthy(visit(node.operand));
      case 'binary': {
        if (node.op === '&&') {
          const left = visit(node.left);
          return isTruthy(left) ? visit(node.right) : left;
        }
        if (node.op === '||') {
          const left = visit(node.left);
          return isTruthy(left) ? left : visit(node.right);
        }
        const left = visit(node.left);
        const right = visit(node.right);
        if (node.op === '==') return looseEquals(left, right);
        if (node.op === '!=') return !looseEquals(left, right);
        return compare(node.op, left, right);
      }
      case 'call':
        return callFunction(
          node,
          node.args.map(visit),
          (reason) => {
            throw new ExpressionError(reason, source, base + node.pos);
          },
        );
    }
  };
  const result = visit(expr);
  return result === undefined ? null : result;
}

/** Evaluates the text of one expression (without `${{ }}`). */
export function evaluateExpression(source: string, ctx: ExpressionContext): unknown {
  return evaluate(parseExpression(source), ctx, source);
}

function interpolateString(text: string, ctx: ExpressionContext): unknown {
  if (!hasExpression(text)) return text;
  const parts = splitTemplate(text);
  const expressions = parts.filter((p) => p.kind === 'expression');
  if (expressions.length === 1 && parts.every((p) => p.kind === 'expression' || p.text.trim() === '')) {
    const only = expressions[0] as Extract<TemplatePart, { kind: 'expression' }>;
    return evaluate(parseExpression(only.source, only.start, text), ctx, text, only.start);
  }
  let out = '';
  for (const part of parts) {
    out += part.kind === 'text' ? part.text : stringify(evaluate(parseExpression(part.source, part.start, text), ctx, text, part.start));
  }
  return out;
}

/**
 * Replaces `${{ }}` expressions throughout `value` (objects and arrays deeply; keys untouched).
 * A string that is exactly one expression becomes the expression's typed value; otherwise each
 * expression is stringified into the string.
 */
export function interpolate(value: unknown, ctx: ExpressionContext): unknown {
  if (typeof value === 'string') return interpolateString(value, ctx);
  if (Array.isArray(value)) return value.map((item) => interpolate(item, ctx));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: interpolate(item, ctx), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Evaluates an `if:` condition (with or without `${{ }}`) to a boolean. */
export function evaluateCondition(text: string, ctx: ExpressionContext): boolean {
  const { ast, base } = parseCondition(text);
  return isTruthy(evaluate(ast, ctx, text, base));
}
