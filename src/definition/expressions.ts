/**
 * `${{ ... }}` expressions with the semantics of GitHub Actions, evaluated without eval: a lexer, a
 * recursive-descent parser to an AST, and an evaluator over named values (the project's `params`,
 * `input` and `steps`). Checked case by case against GitHub's own cross-implementation test data
 * (test/definition/expressions-conformance.test.ts).
 *
 * The rules, as GitHub has them:
 * - Values are null, booleans, numbers, strings, arrays and objects. Missing properties are null.
 * - Names of contexts, properties and functions ignore case (`Steps.Lint.Output`, `toJson(x)`).
 * - `==`, `!=`, `<`, `>`... compare strings ignoring case; a string and a number compare as numbers;
 *   null and booleans become numbers first (null is 0); arrays and objects are equal only to themselves.
 * - Inside strings, null is empty, numbers keep at most 15 significant digits, arrays are written
 *   `Array` and objects `Object`.
 * - Strings are single-quoted ('it''s'); numbers may be written 42, -1.5, .5, +1, 0x1F, 0o17, 1e3,
 *   NaN and Infinity.
 * - `a.*` and `a[*]` select every item of an array or every value of an object; a property after
 *   them is read from each (`steps.*.status`).
 * - At most 50 levels of nesting, 21,000 characters per expression and 1 MB of values per evaluation.
 *
 * This module runs inside the Temporal workflow sandbox: no Node imports, no eval.
 */

export interface StepView {
  status: string;
  output?: unknown;
}

export interface ExpressionContext {
  params: Record<string, unknown>;
  input: Record<string, unknown>;
  steps: Record<string, StepView>;
  /** Placeholders, never values: the worker resolves them (see secrets.ts). */
  secrets?: Record<string, string>;
  /** How the review ended, for `finally` actions. */
  review?: { id: string; pipeline: string; outcome: string; reason?: string };
}

/**
 * What the status functions of an `if:` return (`always()` is always true). The workflow computes them
 * for the step or `finally` action whose condition is evaluated; without them, a condition is evaluated
 * as if nothing had failed: success() true, failure() and cancelled() false.
 */
export interface StatusValues {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

export const NOTHING_FAILED: StatusValues = { success: true, failure: false, cancelled: false };

/** Named values an expression reads, for callers outside a review (tools, tests). */
export type ExpressionValues = Readonly<Record<string, unknown>>;

export const EXPRESSION_ROOTS = ['params', 'input', 'steps', 'secrets', 'review'] as const;
export type ExpressionRoot = (typeof EXPRESSION_ROOTS)[number];

export const MAX_EXPRESSION_DEPTH = 50;
export const MAX_EXPRESSION_LENGTH = 21_000;
/** Bytes the values of one evaluation may hold at once, counted as GitHub counts them (2 per character). */
export const MAX_EXPRESSION_MEMORY = 1024 * 1024;

export interface Reference {
  root: ExpressionRoot;
  /** Static property path after the root: `steps.lint.output.score` → `['lint', 'output', 'score']`. */
  path: (string | number)[];
  /** The reference as written in canonical form, e.g. `steps.lint.output.score`. */
  text: string;
  /** Offset of the reference in the string it came from. */
  position: number;
}

/** Where an error was found: reading the characters, building the expression, or computing its value. */
export type ExpressionErrorStage = 'lexing' | 'parsing' | 'evaluation';

export type ExpressionErrorCode =
  | 'unexpected-symbol'
  | 'unexpected-end'
  | 'unknown-context'
  | 'unknown-function'
  | 'too-few-arguments'
  | 'too-many-arguments'
  | 'even-arguments'
  | 'too-deep'
  | 'too-long'
  | 'unterminated-template'
  | 'several-expressions'
  | 'format-invalid'
  | 'format-arguments'
  | 'case-predicate'
  | 'invalid-json'
  | 'too-much-memory'
  /** A status function (success(), failure(), always(), cancelled()) outside an `if:` condition. */
  | 'status-function-outside-if';

export class ExpressionError extends Error {
  readonly stage: ExpressionErrorStage;
  readonly code: ExpressionErrorCode;
  /** The symbol the error is about, as GitHub names it (the text of a string literal, `EOF` at the end). */
  readonly token: string | undefined;

  constructor(
    readonly reason: string,
    readonly source: string,
    readonly position: number,
    details: { stage?: ExpressionErrorStage; code?: ExpressionErrorCode; token?: string } = {},
  ) {
    super(`${reason} at column ${position + 1} of ${JSON.stringify(source)}`);
    this.name = 'ExpressionError';
    this.stage = details.stage ?? 'parsing';
    this.code = details.code ?? 'unexpected-symbol';
    this.token = details.token;
  }
}

// ---------------------------------------------------------------- tokens

type TokenKind = 'number' | 'string' | 'ident' | 'keyword' | 'punct' | 'op' | 'star' | 'eof';
interface Token {
  kind: TokenKind;
  /** The characters of the token as written. */
  text: string;
  value?: number | string | boolean | null;
  /** Offset in the expression's source. */
  pos: number;
}

type BinaryOperator = '==' | '!=' | '<=' | '>=' | '&&' | '||' | '<' | '>';

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const BOUNDARIES = new Set(['(', '[', ')', ']', ',', '.', '!', '>', '<', '=', '&', '|']);
const KEYWORDS: Readonly<Record<string, { kind: TokenKind; value: number | boolean | null }>> = {
  true: { kind: 'keyword', value: true },
  false: { kind: 'keyword', value: false },
  null: { kind: 'keyword', value: null },
  NaN: { kind: 'number', value: NaN },
  Infinity: { kind: 'number', value: Infinity },
};

function isBoundary(ch: string): boolean {
  return BOUNDARIES.has(ch) || /\s/.test(ch);
}
function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}
function isName(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(text);
}
/** The symbol as GitHub's messages name it. */
function symbolOf(token: Token): string {
  if (token.kind === 'eof') return 'EOF';
  if (token.kind === 'string') return token.value as string;
  return token.text;
}
/** The token as this project's messages show it. */
function shown(token: Token): string {
  return token.kind === 'eof' ? 'the end' : `'${token.text}'`;
}

function lexingReason(text: string): string {
  if (text.startsWith('"')) return `unexpected '${text}': write strings in single quotes, e.g. 'text' (and '' for a quote inside)`;
  if (text.startsWith('=')) return `unexpected '${text}': compare with ==`;
  if (text.startsWith('&') || text.startsWith('|')) return `unexpected '${text}': use && or ||`;
  if (text === '-' || text === '+') return `unexpected '${text}': there is no arithmetic; a sign belongs to a number written without a space, e.g. -1`;
  if ([...text].length === 1) return `unexpected character '${text}'`;
  if (/^[+-]?(?:\d|\.\d)/.test(text)) return `malformed number '${text}': write numbers like 42, -1.5, .5, 0x1F, 0o17 or 1e3 (there is no arithmetic)`;
  if (text.startsWith('.')) return `unexpected '${text}': '.' reads a property only after a name, ] or ); write text as a 'quoted string'`;
  return `unexpected '${text}': names hold only letters, digits, _ and -, and start with a letter or _; write text as a 'quoted string'`;
}

function tokenize(src: string, base: number, full: string): Token[] {
  const fail = (reason: string, at: number, symbol: string, code: ExpressionErrorCode = 'unexpected-symbol'): never => {
    throw new ExpressionError(reason, full, base + at, { stage: 'lexing', code, token: symbol });
  };
  if (src.length > MAX_EXPRESSION_LENGTH) {
    fail(`the expression is ${src.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are allowed: compute large values in a step`, 0, '', 'too-long');
  }
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number, value?: Token['value']) => {
    tokens.push({ kind, text: src.slice(start, end), value, pos: start });
  };
  /** End of a word: everything up to the next boundary (the first character is taken whatever it is). */
  const wordEnd = (start: number, dotsToo: boolean): number => {
    let i = start + 1;
    while (i < src.length && (!isBoundary(src[i] as string) || (dotsToo && src[i] === '.'))) i++;
    return i;
  };
  const number = (start: number): number => {
    const end = wordEnd(start, true);
    const text = src.slice(start, end);
    const value = Number(text);
    if (Number.isNaN(value)) fail(lexingReason(text), start, text);
    push('number', start, end, value);
    return end;
  };

  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    const start = i;
    if (WHITESPACE.has(ch)) {
      i++;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    switch (ch) {
      case '(':
      case ')':
      case '[':
      case ']':
      case ',':
        push('punct', start, ++i);
        continue;
      case '.':
        if (previous && (previous.kind === 'ident' || previous.kind === 'star' || previous.text === ']' || previous.text === ')')) {
          push('punct', start, ++i);
        } else {
          i = number(start);
        }
        continue;
      case '-':
      case '+':
        i = number(start);
        continue;
      case '*':
        push('star', start, ++i);
        continue;
      case '!':
      case '<':
      case '>':
        i += src[i + 1] === '=' ? 2 : 1;
        push('op', start, i);
        continue;
      case '=':
      case '&':
      case '|': {
        const double = ch === '=' ? '==' : ch + ch;
        if (src.startsWith(double, i)) {
          i += 2;
          push('op', start, i);
          continue;
        }
        const end = wordEnd(start, false);
        return fail(lexingReason(src.slice(start, end)), start, src.slice(start, end));
      }
      case "'": {
        let value = '';
        i++;
        for (;;) {
          if (i >= src.length) fail(`unterminated string: add the closing '`, start, src.slice(start));
          const c = src[i] as string;
          if (c === "'") {
            if (src[i + 1] !== "'") break;
            i++;
          }
          value += c;
          i++;
        }
        i++;
        push('string', start, i, value);
        continue;
      }
      default: {
        if (isDigit(ch)) {
          i = number(start);
          continue;
        }
        const end = wordEnd(start, false);
        const text = src.slice(start, end);
        if (!isName(text)) fail(lexingReason(text), start, text);
        const keyword = previous?.text === '.' || !Object.prototype.hasOwnProperty.call(KEYWORDS, text) ? undefined : KEYWORDS[text];
        if (keyword) push(keyword.kind, start, end, keyword.value);
        else push('ident', start, end);
        i = end;
      }
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: src.length });
  return tokens;
}

// ---------------------------------------------------------------- AST

export type Expr =
  | { kind: 'literal'; value: null | boolean | number | string; pos: number }
  | { kind: 'root'; name: string; pos: number }
  | { kind: 'member'; object: Expr; property: Expr; computed: boolean; pos: number }
  /** `object.*` or `object[*]`: every item of an array, every value of an object. */
  | { kind: 'filter'; object: Expr; pos: number }
  | { kind: 'call'; name: FunctionName; args: Expr[]; pos: number }
  | { kind: 'not'; operand: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr; pos: number };

const FUNCTIONS = {
  always: [0, 0],
  cancelled: [0, 0],
  case: [3, Number.MAX_SAFE_INTEGER],
  contains: [2, 2],
  endsWith: [2, 2],
  format: [1, 255],
  fromJSON: [1, 1],
  join: [1, 2],
  failure: [0, 0],
  startsWith: [2, 2],
  success: [0, 0],
  toJSON: [1, 1],
} as const;
export type FunctionName = keyof typeof FUNCTIONS;
/** GitHub's status check functions: only in `if:` conditions of steps and `finally` actions. */
export const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;
export type StatusFunctionName = (typeof STATUS_FUNCTIONS)[number];
const isStatusFunction = (name: FunctionName): name is StatusFunctionName => (STATUS_FUNCTIONS as readonly string[]).includes(name);
/** The functions every expression may call (the status functions aside). */
export const EXPRESSION_FUNCTIONS = (Object.keys(FUNCTIONS) as FunctionName[]).filter((name) => !isStatusFunction(name));
const FUNCTIONS_BY_LOWER_NAME = new Map((Object.keys(FUNCTIONS) as FunctionName[]).map((name) => [name.toLowerCase(), name]));

/** GitHub's contexts and functions this project does not have, with what to use instead. */
const GITHUB_ONLY_NAMES: Readonly<Record<string, string>> = {
  inputs: 'the review input is input.<path>; pipeline parameters are params.<name>',
  github: 'the pull request or article being reviewed is in input.<path>',
  needs: 'results of earlier steps are steps.<id>.output and steps.<id>.status',
  success: 'success is a function: write success() in an if: condition',
  failure: 'failure is a function: write failure() in an if: condition',
  always: 'always is a function: write always() in an if: condition',
  cancelled: 'cancelled is a function: write cancelled() in an if: condition',
  hashfiles: 'there is no hashFiles(): files are read by steps, on a worker',
  length: "there is no length(); test emptiness with the value itself (empty strings and null are false) or compare, e.g. toJSON(x) != '[]'",
};

function githubOnly(name: string): string | undefined {
  const lower = name.toLowerCase();
  return hasOwn(GITHUB_ONLY_NAMES, lower) ? GITHUB_ONLY_NAMES[lower] : undefined;
}

export interface ParseOptions {
  /** The names an expression may read; `params`, `input`, `steps`, `secrets` and `review` unless given. Case is ignored. */
  contexts?: readonly string[];
  /** Whether success(), failure(), always() and cancelled() may be called: only in `if:` conditions. */
  statusFunctions?: boolean;
}

class Parser {
  private index = 0;
  private depth = 0;
  private readonly contexts: readonly string[];

  constructor(
    private readonly tokens: Token[],
    private readonly base: number,
    private readonly full: string,
    contexts: readonly string[],
    private readonly statusFunctions: boolean,
  ) {
    this.contexts = contexts;
  }

  parse(): Expr {
    if (this.peek().kind === 'eof') return { kind: 'literal', value: null, pos: 0 };
    const expr = this.expression();
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      const hint =
        rest.text === ')' || rest.text === ']'
          ? `remove it or add the matching '${rest.text === ')' ? '(' : '['}'`
          : 'join the two parts with an operator such as ==, && or ||';
      this.fail('unexpected-symbol', `unexpected '${rest.text}' after a complete expression: ${hint}`, rest);
    }
    return expr;
  }

  private fail(code: ExpressionErrorCode, reason: string, token: Token): never {
    throw new ExpressionError(reason, this.full, this.base + token.pos, { stage: 'parsing', code, token: symbolOf(token) });
  }
  private peek(): Token {
    return this.tokens[this.index] as Token;
  }
  private previous(): Token {
    return this.tokens[Math.max(0, this.index - 1)] as Token;
  }
  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }
  private check(text: string): boolean {
    const token = this.peek();
    return (token.kind === 'op' || token.kind === 'punct') && token.text === text;
  }
  private accept(text: string): Token | undefined {
    return this.check(text) ? this.next() : undefined;
  }

  /** Nesting is counted as GitHub counts it, so the same expressions are refused at 50 levels. */
  private enter(): void {
    if (++this.depth > MAX_EXPRESSION_DEPTH) {
      this.fail(
        'too-deep',
        `the expression is nested too deeply: at most ${MAX_EXPRESSION_DEPTH} levels of parentheses, calls, operators and property accesses`,
        this.peek(),
      );
    }
  }

  private expression(): Expr {
    this.enter();
    try {
      return this.or();
    } finally {
      this.depth--;
    }
  }

  private logical(op: '&&' | '||', operand: () => Expr): Expr {
    let left = operand();
    if (!this.check(op)) return left;
    this.enter();
    try {
      for (let token = this.accept(op); token; token = this.accept(op)) {
        left = { kind: 'binary', op, left, right: operand(), pos: token.pos };
      }
      return left;
    } finally {
      this.depth--;
    }
  }
  private or = (): Expr => this.logical('||', this.and);
  private and = (): Expr => this.logical('&&', this.equality);

  private binary(operand: () => Expr, ops: readonly BinaryOperator[]): Expr {
    let left = operand();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op' || !(ops as readonly string[]).includes(token.text)) return left;
      this.next();
      left = { kind: 'binary', op: token.text as BinaryOperator, left, right: operand(), pos: token.pos };
    }
  }
  private equality = (): Expr => this.binary(this.comparison, ['==', '!=']);
  private comparison = (): Expr => this.binary(this.unary, ['<', '<=', '>', '>=']);

  private unary = (): Expr => {
    const bang = this.accept('!');
    if (!bang) return this.postfix();
    this.enter();
    const operand = this.unary();
    this.depth--;
    return { kind: 'not', operand, pos: bang.pos };
  };

  /** Property access, index and filters: only after a name, a call or parentheses. */
  private postfix(): Expr {
    const { expr: head, accessible } = this.call();
    if (!accessible) return head;
    let expr = head;
    let entered = 0;
    try {
      for (;;) {
        const bracket = this.accept('[');
        if (bracket) {
          let star = false;
          let property: Expr | undefined;
          if (this.peek().kind === 'star') {
            this.next();
            star = true;
          } else {
            property = this.expression();
          }
          if (!this.accept(']')) this.fail('unexpected-symbol', `expected ']' to close the index, found ${shown(this.peek())}`, this.peek());
          this.enter();
          entered++;
          expr = star || !property ? { kind: 'filter', object: expr, pos: bracket.pos } : { kind: 'member', object: expr, property, computed: true, pos: bracket.pos };
          continue;
        }
        const dot = this.accept('.');
        if (dot) {
          this.enter();
          entered++;
          const name = this.peek();
          if (name.kind === 'ident') {
            this.next();
            expr = { kind: 'member', object: expr, property: { kind: 'literal', value: name.text, pos: name.pos }, computed: false, pos: dot.pos };
          } else if (name.kind === 'star') {
            this.next();
            expr = { kind: 'filter', object: expr, pos: dot.pos };
          } else {
            this.fail('unexpected-symbol', `expected a property name or * after '.', found ${shown(name)}; write odd names as ['name']`, name);
          }
          continue;
        }
        return expr;
      }
    } finally {
      this.depth -= entered;
    }
  }

  private call(): { expr: Expr; accessible: boolean } {
    const name = this.peek();
    if (name.kind !== 'ident') return this.primary();
    this.next();
    if (!this.accept('(')) return { expr: this.root(name), accessible: true };
    const args: Expr[] = [];
    while (!this.accept(')')) {
      args.push(this.expression());
      if (!this.check(')') && !this.accept(',')) {
        this.fail('unexpected-symbol', `expected ',' or ')' in the call of ${name.text}(), found ${shown(this.peek())}`, this.peek());
      }
    }
    const canonical = FUNCTIONS_BY_LOWER_NAME.get(name.text.toLowerCase());
    if (canonical === undefined) {
      const instead = githubOnly(name.text);
      this.fail('unknown-function', `unknown function '${name.text}': ${instead ? `${instead}; functions are` : 'use one of'} ${EXPRESSION_FUNCTIONS.join(', ')}`, name);
    }
    const fn = canonical as FunctionName;
    if (isStatusFunction(fn) && !this.statusFunctions) {
      this.fail(
        'status-function-outside-if',
        `${fn}() can only be used in an if: condition (of a step or a finally action): it tells whether what came before succeeded, failed or was cancelled; read a step's outcome here with steps.<id>.status`,
        name,
      );
    }
    const [min, max] = FUNCTIONS[fn];
    const wanted = min === max ? `${min} argument${min === 1 ? '' : 's'}` : max === Number.MAX_SAFE_INTEGER ? `at least ${min} arguments` : `${min} to ${max} arguments`;
    if (args.length < min) this.fail('too-few-arguments', `${fn}() takes ${wanted}, got ${args.length}`, name);
    if (args.length > max) this.fail('too-many-arguments', `${fn}() takes ${wanted}, got ${args.length}`, name);
    if (fn === 'case' && args.length % 2 === 0) {
      this.fail('even-arguments', `case() takes pairs of condition and value, then a default: an odd number of arguments, got ${args.length}`, name);
    }
    return { expr: { kind: 'call', name: fn, args, pos: name.pos }, accessible: true };
  }

  private root(name: Token): Expr {
    const lower = name.text.toLowerCase();
    const known = this.contexts.includes(name.text) ? name.text : this.contexts.find((c) => c.toLowerCase() === lower);
    if (known === undefined) {
      const instead = githubOnly(name.text);
      this.fail(
        'unknown-context',
        `unknown name '${name.text}': ${instead ? `${instead}` : `start a reference with ${this.contexts.join(', ')} or call one of ${EXPRESSION_FUNCTIONS.join(', ')}`}`,
        name,
      );
    }
    return { kind: 'root', name: known as string, pos: name.pos };
  }

  private primary(): { expr: Expr; accessible: boolean } {
    const token = this.peek();
    switch (token.kind) {
      case 'keyword':
      case 'number':
      case 'string':
        this.next();
        return { expr: { kind: 'literal', value: token.value as null | boolean | number | string, pos: token.pos }, accessible: false };
      case 'eof': {
        const last = this.previous();
        return this.fail('unexpected-end', `the expression ends too early after '${last.text}': a value is missing`, last);
      }
      case 'star':
        return this.fail('unexpected-symbol', `unexpected '*': it selects every item only after '.' or inside [ ]`, token);
      case 'op':
        return this.fail('unexpected-symbol', `unexpected operator '${token.text}': a value is missing before it`, token);
      default:
        break;
    }
    if (token.text !== '(') return this.fail('unexpected-symbol', `unexpected '${token.text}': a value is missing before it`, token);
    this.next();
    const inner = this.expression();
    if (this.peek().kind === 'eof') {
      const last = this.previous();
      this.fail('unexpected-end', `the expression ends too early after '${last.text}': add the closing ')'`, last);
    }
    if (!this.accept(')')) this.fail('unexpected-symbol', `expected ')' to close the parenthesis, found ${shown(this.peek())}`, this.peek());
    return { expr: inner, accessible: true };
  }
}

/** Parses one expression (the text between `${{` and `}}`). `base` and `full` place errors in a larger string. */
export function parseExpression(source: string, base = 0, full = source, options: ParseOptions = {}): Expr {
  return new Parser(tokenize(source, base, full), base, full, options.contexts ?? EXPRESSION_ROOTS, options.statusFunctions ?? false).parse();
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
      if (ch === "'") {
        // A quoted string, where '' is a quote: skipping to the next ' and going on reads it right.
        i++;
        while (i < text.length && text[i] !== "'") i++;
        i++;
        continue;
      }
      if (ch === '}' && text[i + 1] === '}') {
        close = i;
        break;
      }
      i++;
    }
    if (close < 0) throw new ExpressionError('unterminated ${{: add the closing }}', text, open, { code: 'unterminated-template', token: '${{' });
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

/** Parses an `if:` condition written with or without `${{ }}`; status functions are allowed. */
export function parseCondition(text: string): ParsedCondition {
  const options: ParseOptions = { statusFunctions: true };
  if (!hasExpression(text)) return { ast: parseExpression(text, 0, text, options), base: 0 };
  const parts = splitTemplate(text);
  const expressions = parts.filter((p): p is Extract<TemplatePart, { kind: 'expression' }> => p.kind === 'expression');
  const onlyOne = expressions.length === 1 && parts.every((p) => p.kind === 'expression' || p.text.trim() === '');
  if (!onlyOne) {
    throw new ExpressionError('write the whole condition inside one ${{ }}, or leave ${{ }} out', text, text.indexOf('${{'), { code: 'several-expressions', token: '${{' });
  }
  const only = expressions[0] as Extract<TemplatePart, { kind: 'expression' }>;
  return { ast: parseExpression(only.source, only.start, text, options), base: only.start };
}

/** Whether a parsed expression calls success(), failure(), always() or cancelled() anywhere. */
export function usesStatusFunction(expr: Expr): boolean {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop() as Expr;
    switch (node.kind) {
      case 'call':
        if (isStatusFunction(node.name)) return true;
        stack.push(...node.args);
        break;
      case 'member':
        stack.push(node.object, node.property);
        break;
      case 'filter':
        stack.push(node.object);
        break;
      case 'not':
        stack.push(node.operand);
        break;
      case 'binary':
        stack.push(node.left, node.right);
        break;
      default:
        break;
    }
  }
  return false;
}

/**
 * Whether an `if:` condition uses a status function (which makes the step wait for its needs to settle
 * whatever their outcome, instead of needing them to succeed). False for a condition that does not parse.
 */
export function conditionUsesStatusFunction(text: string | undefined): boolean {
  if (text === undefined || !/(?:success|failure|always|cancelled)\s*\(/i.test(text)) return false;
  try {
    return usesStatusFunction(parseCondition(text).ast);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- references

type Segment = { property: Expr; computed: boolean } | { filter: true };

function flattenChain(expr: Expr): { root: Extract<Expr, { kind: 'root' }>; segments: Segment[] } | undefined {
  const segments: Segment[] = [];
  let node: Expr = expr;
  while (node.kind === 'member' || node.kind === 'filter') {
    segments.unshift(node.kind === 'member' ? { property: node.property, computed: node.computed } : { filter: true });
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

/** References in a parsed expression, in source order. A path stops at the first segment that is not a literal (an index computed at run time, or `*`). */
export function referencesOf(expr: Expr, base = 0): Reference[] {
  const out: Reference[] = [];
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop() as Expr;
    switch (node.kind) {
      case 'root':
      case 'member':
      case 'filter': {
        const chain = flattenChain(node);
        if (!chain) {
          if (node.kind === 'member') stack.push(node.property, node.object);
          else if (node.kind === 'filter') stack.push(node.object);
          break;
        }
        const path: (string | number)[] = [];
        let dynamic = false;
        let star = false;
        for (const segment of chain.segments) {
          if ('filter' in segment) {
            if (!dynamic) star = true;
            dynamic = true;
            continue;
          }
          const p = segment.property;
          if (!dynamic && p.kind === 'literal' && (typeof p.value === 'string' || typeof p.value === 'number')) path.push(p.value);
          else dynamic = true;
          if (segment.computed && p.kind !== 'literal') stack.push(p);
        }
        const text = referenceText(chain.root.name, path) + (star ? '.*' : '');
        out.push({ root: chain.root.name as ExpressionRoot, path, text, position: base + chain.root.pos });
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

// ---------------------------------------------------------------- values

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): boolean {
  return value === null || value === undefined || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string';
}

type Kind = 'Null' | 'Boolean' | 'Number' | 'String' | 'Array' | 'Object';
function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'Null';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'string') return 'String';
  return Array.isArray(value) ? 'Array' : 'Object';
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** A property of an object, names compared ignoring case (an exact match first); undefined when absent. */
function lookup(object: Record<string, unknown>, key: string): unknown {
  if (hasOwn(object, key)) return object[key];
  const lower = key.toLowerCase();
  for (const name of Object.keys(object)) {
    if (name.toLowerCase() === lower) return object[name];
  }
  return undefined;
}

export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return Number(value);
  return NaN;
}

export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

/** A number as it appears inside a string: at most 15 significant digits, no trailing zeros. */
function formatNumber(value: number): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(15)));
}

/** How a value appears inside a string: null as empty, numbers to 15 significant digits, arrays as `Array`, objects as `Object`. */
export function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return formatNumber(value);
  return Array.isArray(value) ? 'Array' : 'Object';
}

/** Upper case for comparisons that ignore case, as GitHub does it (the dotless ı is left alone). */
function upper(text: string): string {
  return text.includes('ı') ? text.split('ı').map((part) => part.toUpperCase()).join('ı') : text.toUpperCase();
}

/** Brings two values to one kind for a comparison: null and booleans become numbers, a string beside a number becomes a number. */
function coerce(left: unknown, right: unknown): [unknown, unknown] {
  const lk = kindOf(left);
  const rk = kindOf(right);
  if (lk === rk) return [left, right];
  if (lk === 'Number' && rk === 'String') return [left, toNumber(right)];
  if (lk === 'String' && rk === 'Number') return [toNumber(left), right];
  if (lk === 'Null' || lk === 'Boolean') return coerce(toNumber(left), right);
  if (rk === 'Null' || rk === 'Boolean') return coerce(left, toNumber(right));
  return [left, right];
}

/** `==` of expressions: strings ignore case, numbers and strings compare as numbers, null is 0, arrays and objects equal only themselves. */
export function looseEquals(a: unknown, b: unknown): boolean {
  const [left, right] = coerce(a, b);
  const kind = kindOf(left);
  if (kind !== kindOf(right)) return false;
  switch (kind) {
    case 'Null':
      return true;
    case 'Number':
      return (left as number) === (right as number);
    case 'String':
      return upper(left as string) === upper(right as string);
    default:
      return left === right;
  }
}

function greater(a: unknown, b: unknown): boolean {
  const [left, right] = coerce(a, b);
  const kind = kindOf(left);
  if (kind !== kindOf(right)) return false;
  if (kind === 'Number') return (left as number) > (right as number);
  if (kind === 'String') return upper(left as string) > upper(right as string);
  if (kind === 'Boolean') return left === true && right === false;
  return false;
}

function compare(op: '<' | '<=' | '>' | '>=', a: unknown, b: unknown): boolean {
  switch (op) {
    case '>':
      return greater(a, b);
    case '<':
      return greater(b, a);
    case '>=':
      return looseEquals(a, b) || greater(a, b);
    default:
      return looseEquals(a, b) || greater(b, a);
  }
}

/** JSON.parse, objects keeping the first of several keys that differ only in case (as GitHub's case-insensitive objects do). */
function parseJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (!isPlainObject(value)) return value;
    const seen = new Set<string>();
    let duplicates = false;
    for (const key of Object.keys(value)) {
      const lower = key.toLowerCase();
      if (seen.has(lower)) duplicates = true;
      seen.add(lower);
    }
    if (!duplicates) return value;
    const out: Record<string, unknown> = {};
    seen.clear();
    for (const [key, item] of Object.entries(value)) {
      if (seen.has(key.toLowerCase())) continue;
      seen.add(key.toLowerCase());
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

function formatString(template: string, args: readonly unknown[], fail: (code: ExpressionErrorCode, reason: string) => never): string {
  const where = (at: number) => `at position ${at + 1} of the format string ${JSON.stringify(template)}`;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = template.indexOf('}', i);
    if (open >= 0 && (close < 0 || close > open)) {
      if (template[open + 1] === '{') {
        out += template.slice(i, open + 1);
        i = open + 2;
        continue;
      }
      const digits = /^\d+/.exec(template.slice(open + 1))?.[0];
      if (digits !== undefined && close > open + 1) {
        const index = Number(digits);
        if (index >= args.length) {
          fail('format-arguments', `format(): placeholder {${digits}} has no argument ${where(open)}: ${args.length} argument${args.length === 1 ? '' : 's'} follow the format string`);
        }
        out += template.slice(i, open) + stringify(args[index]);
        i = close + 1;
        continue;
      }
      fail('format-invalid', `format(): '{' must start a placeholder like {0} (${where(open)}); write {{ for a literal brace`);
    } else if (close >= 0) {
      if (template[close + 1] !== '}') fail('format-invalid', `format(): unmatched '}' ${where(close)}; write }} for a literal brace`);
      out += template.slice(i, close + 1);
      i = close + 2;
    } else {
      out += template.slice(i);
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------- evaluation

const POINTER_BYTES = 8;
const OBJECT_BYTES = 24;
const STRING_BYTES = 26;

function bytesOf(value: unknown): number {
  if (typeof value === 'string') return STRING_BYTES + 2 * value.length;
  if (Array.isArray(value)) return OBJECT_BYTES + POINTER_BYTES * value.length;
  return OBJECT_BYTES;
}

class Evaluation {
  /** Arrays made by `*`: a property after them is read from each item. */
  private readonly filtered = new WeakSet<unknown[]>();
  /** Bytes of the values held at each depth of the tree: a node's result frees its children's. */
  private readonly held: number[] = [];
  private total = 0;

  constructor(
    private readonly ctx: ExpressionValues,
    private readonly source: string,
    private readonly base: number,
    private readonly status: StatusValues,
  ) {}

  private fail(node: Expr, code: ExpressionErrorCode, reason: string): never {
    throw new ExpressionError(reason, this.source, this.base + node.pos, { stage: 'evaluation', code });
  }

  value(node: Expr, depth: number): unknown {
    const result = this.compute(node, depth);
    const reference = node.kind === 'root' || node.kind === 'member' || (node.kind === 'binary' && (node.op === '&&' || node.op === '||'));
    const bytes = reference ? POINTER_BYTES : bytesOf(result);
    while (this.held.length > depth + 1) this.total -= this.held.pop() as number;
    while (this.held.length < depth + 1) this.held.push(0);
    this.held[depth] = (this.held[depth] as number) + bytes;
    this.total += bytes;
    if (this.total > MAX_EXPRESSION_MEMORY) {
      this.fail(node, 'too-much-memory', `the values of the expression need more than ${MAX_EXPRESSION_MEMORY / (1024 * 1024)} MB of memory: compute large values in a step`);
    }
    return result;
  }

  private compute(node: Expr, depth: number): unknown {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'root':
        return (hasOwn(this.ctx, node.name) ? this.ctx[node.name] : undefined) ?? null;
      case 'member': {
        const key = this.value(node.property, depth + 1);
        return this.member(this.value(node.object, depth + 1), key);
      }
      case 'filter':
        return this.filter(this.value(node.object, depth + 1));
      case 'not':
        return !isTruthy(this.value(node.operand, depth + 1));
      case 'binary': {
        const left = this.value(node.left, depth + 1);
        if (node.op === '&&') return isTruthy(left) ? this.value(node.right, depth + 1) : left;
        if (node.op === '||') return isTruthy(left) ? left : this.value(node.right, depth + 1);
        const right = this.value(node.right, depth + 1);
        if (node.op === '==') return looseEquals(left, right);
        if (node.op === '!=') return !looseEquals(left, right);
        return compare(node.op, left, right);
      }
      case 'call':
        return this.call(node, node.args.map((arg) => this.value(arg, depth + 1)));
    }
  }

  private filteredArray(items: unknown[]): unknown[] {
    this.filtered.add(items);
    return items;
  }

  private member(object: unknown, key: unknown): unknown {
    const name = isPrimitive(key) ? stringify(key) : undefined;
    const number = toNumber(key);
    const index = Number.isFinite(number) && number >= 0 ? Math.floor(number) : undefined;
    if (Array.isArray(object)) {
      if (!this.filtered.has(object)) return index !== undefined && index < object.length ? (object[index] ?? null) : null;
      const out: unknown[] = [];
      for (const item of object) {
        if (Array.isArray(item)) {
          if (index !== undefined && index < item.length) out.push(item[index] ?? null);
        } else if (isPlainObject(item) && name !== undefined) {
          const found = lookup(item, name);
          if (found !== undefined) out.push(found);
        }
      }
      return this.filteredArray(out);
    }
    if (isPlainObject(object) && name !== undefined) return lookup(object, name) ?? null;
    return null;
  }

  private filter(object: unknown): unknown[] {
    if (Array.isArray(object)) {
      if (!this.filtered.has(object)) return this.filteredArray(object.map((item) => item ?? null));
      const out: unknown[] = [];
      for (const item of object) {
        if (Array.isArray(item)) for (const inner of item) out.push(inner ?? null);
        else if (isPlainObject(item)) for (const inner of Object.values(item)) if (inner !== undefined) out.push(inner);
      }
      return this.filteredArray(out);
    }
    if (isPlainObject(object)) return this.filteredArray(Object.values(object).filter((item) => item !== undefined));
    return this.filteredArray([]);
  }

  private call(node: Extract<Expr, { kind: 'call' }>, args: unknown[]): unknown {
    const [first, second] = args;
    const fail = (code: ExpressionErrorCode, reason: string): never => this.fail(node, code, reason);
    switch (node.name) {
      case 'success':
        return this.status.success;
      case 'failure':
        return this.status.failure;
      case 'cancelled':
        return this.status.cancelled;
      case 'always':
        return true;
      case 'case':
        for (let i = 0; i + 1 < args.length; i += 2) {
          const condition = args[i];
          if (typeof condition !== 'boolean') {
            fail('case-predicate', `case(): condition ${i / 2 + 1} is ${kindOf(condition).toLowerCase()}, not a boolean: write a comparison such as x == 'value'`);
          }
          if (condition) return args[i + 1];
        }
        return args[args.length - 1];
      case 'contains':
        if (Array.isArray(first)) return first.some((item) => looseEquals(second, item));
        if (!isPrimitive(first) || !isPrimitive(second)) return false;
        return stringify(first).toLowerCase().includes(stringify(second).toLowerCase());
      case 'startsWith':
        return isPrimitive(first) && isPrimitive(second) && upper(stringify(first)).startsWith(upper(stringify(second)));
      case 'endsWith':
        return isPrimitive(first) && isPrimitive(second) && upper(stringify(first)).endsWith(upper(stringify(second)));
      case 'join': {
        if (isPrimitive(first)) return stringify(first);
        if (!Array.isArray(first)) return '';
        const separator = args.length > 1 && isPrimitive(second) ? stringify(second) : ',';
        return first.map(stringify).join(separator);
      }
      case 'toJSON':
        return JSON.stringify(first === undefined ? null : first, null, 2);
      case 'fromJSON': {
        const text = stringify(first);
        if (text.trim() === '') fail('invalid-json', `fromJSON(): the text is empty: pass JSON such as '{}', '[]' or a step's output`);
        try {
          return parseJson(text);
        } catch {
          // Not the parser's own message: it differs between Node versions, and this runs in workflow code.
          const preview = text.length > 40 ? `${text.slice(0, 40)}…` : text;
          return fail('invalid-json', `fromJSON(): ${JSON.stringify(preview)} is not JSON: pass a JSON text such as '{"a": 1}' or a step's output`);
        }
      }
      case 'format':
        return formatString(stringify(first), args.slice(1), fail);
    }
  }
}

/**
 * Evaluates a parsed expression against the values it reads (a review's params, input and steps);
 * `status` is what the status functions return.
 */
export function evaluate(expr: Expr, ctx: ExpressionContext | ExpressionValues, source = '', base = 0, status: StatusValues = NOTHING_FAILED): unknown {
  const result = new Evaluation(ctx as ExpressionValues, source, base, status).value(expr, 0);
  return result === undefined ? null : result;
}

/** Evaluates the text of one expression (without `${{ }}`). */
export function evaluateExpression(source: string, ctx: ExpressionContext | ExpressionValues, options: ParseOptions = {}): unknown {
  return evaluate(parseExpression(source, 0, source, options), ctx, source);
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

/**
 * Evaluates an `if:` condition (with or without `${{ }}`) to a boolean. `status` is what success(),
 * failure() and cancelled() return for the step or action the condition belongs to.
 */
export function evaluateCondition(text: string, ctx: ExpressionContext, status: StatusValues = NOTHING_FAILED): boolean {
  const { ast, base } = parseCondition(text);
  return isTruthy(evaluate(ast, ctx, text, base, status));
}
