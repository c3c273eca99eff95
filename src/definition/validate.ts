/**
 * Validation of a pipeline definition: the schema, then every rule the schema cannot express.
 * All problems are reported at once, each with its path, line (when known), and a fix.
 */
import { tryParseDuration, formatDuration } from './duration';
import { ExpressionError, referencesIn, referencesInCondition, type Reference } from './expressions';
import { checkOutputPath, gateOutputSchema, KnownExecutors, type ExecutorCatalogEntry, type JsonSchema } from './executor-catalog';
import { secretReads } from './secret-uses';
import { SECRET_NAME } from './secrets';
import { fitsType } from './templates';
import { pipelineCredentialWarnings } from './credentials';
import { buildGraph, dependsOn, findCycles, topologicalPositions, type StepGraph } from './graph';
import { formatPath, PipelineValidationError, type IssuePath, type ValidationIssue } from './issues';
import { retryConflict } from './retry';
import { PipelineSchema, type ParamSpec, type Pipeline, type RetrySpec } from './schema';
import { schemaFindings, type Finding } from './schema-issues';
import { closestMatch, didYouMean } from './suggest';
import { zeroDurations } from './zero-durations';

export { formatIssues, PipelineValidationError, type ValidationIssue } from './issues';

export interface ValidateOptions {
  /** File the definition came from, shown in every issue. */
  file?: string;
  /** Line of the value at a path in the source file, when the loader knows it. */
  lineOf?: (path: (string | number)[]) => number | undefined;
  /** Executor types registered with the workers; when given, `uses:` must name one of them. */
  executorTypes?: Iterable<string>;
  /**
   * The executors a deployment registers (its catalog, written by the workers at start-up): their types
   * are accepted besides the built-ins and their outputs checked like the built-ins'.
   */
  catalog?: readonly ExecutorCatalogEntry[];
  /**
   * A `uses:` that is neither built in nor in the catalog (or executorTypes): `error`, or a `warning`.
   * Default: an error when a catalog or executorTypes is given, else a warning.
   */
  unknownExecutors?: 'error' | 'warn';
}

/** `warnings` never make a definition invalid: today, credentials that would sit in the review history. */
export type ValidationResult = { ok: true; pipeline: Pipeline; warnings: ValidationIssue[] } | { ok: false; issues: ValidationIssue[] };

type Obj = Record<string, unknown>;

/** Fields of a task step that a gate step would silently ignore, with what to write instead. */
const GATE_UNUSED: readonly (readonly [string, string])[] = [
  ['with', 'reminders and escalations take their own with (gate.remind, gate.escalate)'],
  ['retry', 'gate.remind and gate.escalate take their own retry'],
  ['timeout', 'how long a gate waits is gate.deadline'],
];
const asObj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const asStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const STEP_FIELDS = ['output', 'status'] as const;
const REVIEW_FIELDS = ['id', 'pipeline', 'outcome', 'reason'] as const;

/** The name among `names` that `written` refers to in an expression: the same name, else the first that differs only in case. */
function sameName(written: string, names: Iterable<string>): string | undefined {
  const lower = written.toLowerCase();
  let loose: string | undefined;
  for (const name of names) {
    if (name === written) return name;
    if (loose === undefined && name.toLowerCase() === lower) loose = name;
  }
  return loose;
}

interface RawStep {
  index: number;
  raw: Obj;
  id?: string;
  needs: { id: string; index: number }[];
}

class Checker {
  readonly findings: Finding[] = [];
  /** Problems that do not make the definition invalid (an executor type that may be registered elsewhere). */
  readonly warnings: Finding[] = [];
  private readonly params: Obj;
  /** Declared inputs; undefined when the pipeline declares none (its input is free-form). */
  private readonly inputs: Obj | undefined;
  private readonly steps: RawStep[];
  private readonly firstIndex = new Map<string, number>();
  private graph!: StepGraph;
  /** Checking a `finally` action: `review` may be read. */
  private inFinally = false;
  private positions: number[] | undefined;

  constructor(
    private readonly raw: Obj,
    private readonly executors: ExecutorCheck,
  ) {
    this.params = asObj(raw.params) ?? {};
    this.inputs = raw.inputs === undefined ? undefined : (asObj(raw.inputs) ?? {});
    this.steps = [];
    asList(raw.steps).forEach((value, index) => {
      const step = asObj(value);
      if (!step) return;
      const needs: { id: string; index: number }[] = [];
      asList(step.needs).forEach((need, j) => {
        if (typeof need === 'string') needs.push({ id: need, index: j });
      });
      this.steps.push({ index, raw: step, id: asStr(step.id), needs });
    });
  }

  private add(path: IssuePath, message: string, hint: string): void {
    this.findings.push({ path, message, hint });
  }

  run(): void {
    this.checkDeclarations('params', this.params);
    this.checkDeclarations('inputs', this.inputs ?? {});
    this.checkIds();
    const nodes = this.steps.filter((s) => s.id !== undefined).map((s) => ({ id: s.id as string, needs: s.needs.map((n) => n.id) }));
    this.graph = buildGraph(nodes);
    this.positions = topologicalPositions(this.graph);
    this.checkNeeds();
    this.checkCycles();
    for (const step of this.steps) this.checkStep(step);
    this.checkFinally();
    this.checkDefaultRetry();
    const reported = new Set(this.findings.map((f) => formatPath(f.path)));
    for (const zero of zeroDurations(this.raw)) if (!reported.has(formatPath(zero.path))) this.add(zero.path, zero.message, zero.hint);
  }

  /** `finally` actions read any step (all have settled by then) and `review`; `secrets` only in `with`. */
  private checkFinally(): void {
    asList(this.raw.finally).forEach((value, i) => {
      const action = asObj(value);
      if (!action) return;
      const path: IssuePath = ['finally', i];
      const holder: RawStep = { index: -1, raw: action, needs: [] };
      this.inFinally = true;
      this.checkExecutor(action.uses, [...path, 'uses']);
      this.checkInputs(action.with, [...path, 'with'], holder, false);
      if (typeof action.if === 'string') this.checkCondition(action.if, [...path, 'if'], holder);
      this.checkRetry(asObj(action.retry), [...path, 'retry']);
      this.inFinally = false;
    });
  }

  private checkDefaultRetry(): void {
    const conflict = retryConflict(undefined, asObj(asObj(this.raw.defaults)?.retry) as RetrySpec | undefined);
    if (conflict) {
      this.add(['defaults', 'retry', 'maxInterval'], `maxInterval ${conflict.maxInterval} is shorter than initialInterval ${conflict.initialInterval}`, 'make maxInterval at least as long as initialInterval');
    }
  }

  /** `params:` and `inputs:` alike: enum values and defaults must fit the declared type. */
  private checkDeclarations(root: 'params' | 'inputs', declared: Obj): void {
    const what = root === 'params' ? 'param' : 'input';
    for (const [name, value] of Object.entries(declared)) {
      const spec = asObj(value);
      if (!spec) continue;
      const type = asStr(spec.type);
      const allowed = Array.isArray(spec.enum) ? spec.enum : undefined;
      if (type && allowed) {
        allowed.forEach((option, i) => {
          if (!matchesType(option, type)) {
            this.add([root, name, 'enum', i], `${JSON.stringify(option)} is not a ${type}, but ${what} '${name}' is`, `make every enum value a ${type}, or change type`);
          }
        });
      }
      if (root === 'inputs' && spec.required === true && 'default' in spec && spec.default !== undefined) {
        this.add([root, name, 'required'], `input '${name}' is required but has a default, which would never be used`, 'remove required: true, or remove the default');
      }
      if (!('default' in spec) || spec.default === undefined || !type) continue;
      if (!matchesType(spec.default, type)) {
        this.add([root, name, 'default'], `default ${JSON.stringify(spec.default)} is not a ${type}`, typeHint(type, spec.default));
      } else if (allowed && !allowed.some((option) => option === spec.default)) {
        this.add([root, name, 'default'], `default ${JSON.stringify(spec.default)} is not one of the allowed values`, `use one of ${allowed.map((o) => JSON.stringify(o)).join(', ')}`);
      }
    }
  }

  /** With declared inputs, `input.<name>` must name one of them (case ignored, as in expressions). */
  private checkInputReference(ref: Reference, path: IssuePath): void {
    if (this.inputs === undefined) return;
    const name = ref.path[0];
    if (name === undefined) return;
    const names = Object.keys(this.inputs);
    if (sameName(String(name), names) !== undefined) return;
    this.add(
      path,
      `${ref.text} refers to an undeclared input '${String(name)}'`,
      names.length > 0 && closestMatch(String(name), names) ? didYouMean(String(name), names) : `declare it under inputs: { ${String(name)}: { type: string } }${names.length > 0 ? ` (declared: ${names.join(', ')})` : ''}`,
    );
  }

  private checkIds(): void {
    for (const step of this.steps) {
      if (step.id === undefined) continue;
      const first = this.firstIndex.get(step.id);
      if (first === undefined) {
        this.firstIndex.set(step.id, step.index);
        continue;
      }
      this.add(['steps', step.index, 'id'], `duplicate step id '${step.id}' (already used by steps[${first}])`, 'give every step a unique id');
    }
  }

  private checkNeeds(): void {
    const ids = [...this.firstIndex.keys()];
    for (const step of this.steps) {
      const seen = new Set<string>();
      for (const need of step.needs) {
        const path = ['steps', step.index, 'needs', need.index];
        if (!this.firstIndex.has(need.id)) {
          this.add(path, `unknown step '${need.id}' in needs`, `${didYouMean(need.id, ids, 'a step id such as')}`);
        } else if (seen.has(need.id)) {
          this.add(path, `'${need.id}' is listed twice in needs`, 'remove the repeated entry');
        }
        seen.add(need.id);
      }
    }
  }

  private checkCycles(): void {
    for (const cycle of findCycles(this.graph)) {
      const [from, to] = cycle as [string, string];
      const step = this.steps[this.stepPosition(from)];
      const need = step?.needs.find((n) => n.id === to);
      const path = step && need ? ['steps', step.index, 'needs', need.index] : ['steps'];
      this.add(path, `dependency cycle: ${cycle.join(' -> ')}`, `remove one of these needs so the steps can run in order`);
    }
  }

  private stepPosition(id: string): number {
    const index = this.firstIndex.get(id);
    return index === undefined ? -1 : this.steps.findIndex((s) => s.index === index);
  }

  private checkStep(step: RawStep): void {
    const at = (...rest: (string | number)[]): IssuePath => ['steps', step.index, ...rest];
    const { raw } = step;
    const hasUses = raw.uses !== undefined;
    const gate = asObj(raw.gate);
    if (hasUses && raw.gate !== undefined) {
      this.add(at('gate'), `step '${step.id ?? step.index}' has both uses and gate`, 'a step either runs an executor (uses) or waits for approval (gate): keep one');
    } else if (gate) {
      for (const [field, instead] of GATE_UNUSED) {
        if (raw[field] !== undefined) this.add(at(field), `a gate runs nothing, so ${field} does not apply to it`, `remove ${field}; ${instead}`);
      }
    } else if (!hasUses && raw.gate === undefined) {
      this.add(at(), `step '${step.id ?? step.index}' has neither uses nor gate`, 'add uses: <executor type> to run something, or gate: { approvers: [...] } to wait for approval');
    }
    this.checkExecutor(raw.uses, at('uses'));
    const undo = asObj(raw.undo);
    const fallback = asObj(asObj(raw.onFailure)?.fallback);
    this.checkInputs(raw.with, at('with'), step, false);
    if (typeof raw.if === 'string') this.checkCondition(raw.if, at('if'), step);
    if (gate) this.checkGate(gate, at('gate'), step);
    this.checkRetry(asObj(raw.retry), at('retry'));
    if (fallback) this.checkAction(fallback, at('onFailure', 'fallback'), step, true);
    if (undo) this.checkAction(undo, at('undo'), step, true);
    this.checkSecrets(raw, at);
    if (raw.workspace !== undefined) this.checkWorkspace(step, at('workspace'));
  }

  /** `workspace:` names a checkout step upstream of this one (a need, directly or through the steps it needs). */
  private checkWorkspace(step: RawStep, path: IssuePath): void {
    const written = asStr(step.raw.workspace);
    if (written === undefined || step.id === undefined) return;
    const name = `step '${step.id}'`;
    if (step.raw.gate !== undefined) {
      this.add(path, `${name} is a gate and cannot run in a workspace`, 'remove workspace: from the gate; give it to the steps that run in the checkout');
      return;
    }
    const checkouts = this.steps.filter((s) => s.raw.uses === 'checkout' && s.id !== undefined).map((s) => s.id as string);
    if (written === step.id) {
      this.add(path, `${name} names itself as its workspace`, checkouts.length ? `name a checkout step such as '${checkouts[0]}'` : 'add a step with uses: checkout and name it here');
      return;
    }
    const target = this.firstIndex.has(written) ? this.steps[this.stepPosition(written)] : undefined;
    if (!target) {
      const hint = checkouts.length ? didYouMean(written, checkouts, 'a checkout step such as') : didYouMean(written, [...this.firstIndex.keys()], 'a step id such as');
      this.add(path, `workspace '${written}' of ${name} is not a step of this pipeline`, checkouts.length || closestMatch(written, this.firstIndex.keys()) ? hint : `${hint}; add a step with uses: checkout and name it here`);
      return;
    }
    if (target.raw.uses !== 'checkout') {
      const what = target.raw.gate !== undefined ? 'a gate' : `uses: ${String(target.raw.uses)}`;
      this.add(path, `workspace '${written}' of ${name} is not a checkout step (it is ${what})`, checkouts.length ? didYouMean(written, checkouts, 'a checkout step such as') : `give '${written}' uses: checkout, or add a checkout step`);
      return;
    }
    if (!dependsOn(this.graph, step.id, written, this.positions)) {
      this.add(path, `${name} runs in the workspace of '${written}' but does not need it`, `add '${written}' to the needs of '${step.id}', directly or through a step it needs`);
    }
  }

  private checkExecutor(uses: unknown, path: IssuePath): void {
    const { known, types, mode } = this.executors;
    // executorTypes, when given, is the list (with a catalog's types, if one is given too); else the built-ins and the catalog.
    const fromKnown = !types || known.fromCatalog;
    if (typeof uses !== 'string' || types?.has(uses) || (fromKnown && known.has(uses))) return;
    const all = [...new Set([...(fromKnown ? known.types() : []), ...(types ?? [])])].sort();
    const close = closestMatch(uses, all);
    if (mode === 'error') {
      const where = types && !known.fromCatalog ? '' : known.fromCatalog ? ' (neither built in nor in the executor catalog)' : ' (not built in)';
      this.add(path, `unknown executor type '${uses}'${where}`, `${close ? didYouMean(uses, all) + ' ' : ''}register an executor for it, or use one of: ${all.join(', ')}`);
    } else {
      this.warnings.push({
        path,
        message: `executor type '${uses}' is not built in, and no executor catalog is known to check it against`,
        hint: `${close ? didYouMean(uses, all) + ' ' : ''}give the catalog the workers write (review validate --catalog <file>, REVIEW_EXECUTOR_CATALOG), or make this an error with --strict-executors`,
      });
    }
  }

  /** What a step's output may hold: its executor's output, or its fallback's; a gate's decision. Undefined entries: anything. */
  private outputSchemasOf(target: RawStep): { label: string; schemas: (JsonSchema | undefined)[] } {
    if (target.raw.gate !== undefined && target.raw.uses === undefined) return { label: 'gate', schemas: [gateOutputSchema()] };
    const types = [target.raw.uses, asObj(asObj(target.raw.onFailure)?.fallback)?.uses].filter((t): t is string => typeof t === 'string');
    const unique = [...new Set(types)];
    return { label: unique.join(' or '), schemas: unique.map((type) => this.executors.known.output(type)) };
  }

  /** `steps.<id>.output.<path>`: the path must exist in the output schema of the executor (or fallback) the step uses. */
  private checkOutputReference(ref: Reference, path: IssuePath, target: RawStep): void {
    const rest = ref.path.slice(2);
    if (rest.length === 0) return;
    const { label, schemas } = this.outputSchemasOf(target);
    if (schemas.length === 0) return;
    const problem = checkOutputPath(schemas, rest);
    if (!problem) return;
    const upTo = rest.slice(0, problem.index).map(String);
    const owner = upTo.length === 0 ? `${label} outputs` : `${label} output '${upTo.join('.')}'`;
    const readHere = `steps.${target.id as string}.output${upTo.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('')}`;
    if (problem.kind === 'no-property') {
      const hint = problem.candidates.length > 0 ? didYouMean(problem.key, problem.candidates, 'one of') : `${readHere} has no fields`;
      this.add(path, `${ref.text}: ${owner} ${upTo.length === 0 ? 'have' : 'has'} no '${problem.key}'`, hint);
    } else if (problem.kind === 'list') {
      this.add(path, `${ref.text}: ${owner} is a list, which has no '${problem.key}'`, `index it (${readHere}[0].${problem.key}) or filter it (${readHere}.*.${problem.key})`);
    } else {
      this.add(path, `${ref.text}: ${owner} is ${problem.type}, which has no '${String(problem.key)}'`, `read ${readHere} itself`);
    }
  }

  private checkAction(action: Obj, path: IssuePath, step: RawStep, mayReadSelf: boolean): void {
    this.checkExecutor(action.uses, [...path, 'uses']);
    this.checkInputs(action.with, [...path, 'with'], step, mayReadSelf);
    this.checkRetry(asObj(action.retry), [...path, 'retry']);
  }

  private checkInputs(value: unknown, path: IssuePath, step: RawStep, mayReadSelf: boolean): void {
    const stack: { value: unknown; path: IssuePath }[] = [{ value, path }];
    while (stack.length > 0) {
      const item = stack.pop() as { value: unknown; path: IssuePath };
      if (typeof item.value === 'string') {
        if (!item.value.includes('${{')) continue;
        let references: Reference[];
        try {
          references = referencesIn(item.value);
        } catch (error) {
          this.expressionError(error, item.path);
          continue;
        }
        this.checkReferences(references, item.path, step, mayReadSelf, 'with');
        if (references.some((ref) => ref.root === 'secrets')) this.checkSecretReads(item.value, item.path);
      } else if (Array.isArray(item.value)) {
        item.value.forEach((child, i) => stack.push({ value: child, path: [...item.path, i] }));
      } else if (asObj(item.value)) {
        for (const [key, child] of Object.entries(item.value as Obj)) stack.push({ value: child, path: [...item.path, key] });
      }
    }
  }

  private checkSecretReads(text: string, path: IssuePath): void {
    for (const use of secretReads(text)) {
      this.add(
        path,
        `${use.text} is read by ${use.reader}, which would see a placeholder, not the secret: the workflow never holds a secret's value`,
        'pass the secret on as it is (or inside format, join or toJSON) and let the executor use it; decide with params or input instead',
      );
    }
  }

  private checkCondition(condition: string, path: IssuePath, step: RawStep): void {
    if (condition === '') return; // the schema reports it
    if (/^\s*(?:\$\{\{\s*\}\}\s*)?$/.test(condition)) {
      // An empty expression is null, so the step would always be skipped.
      this.add(path, 'the condition is empty', "write a condition such as steps.<id>.status == 'succeeded', or remove if:");
      return;
    }
    let references: Reference[];
    try {
      references = referencesInCondition(condition);
    } catch (error) {
      this.expressionError(error, path);
      return;
    }
    this.checkReferences(references, path, step, false, 'if');
  }

  private expressionError(error: unknown, path: IssuePath): void {
    if (!(error instanceof ExpressionError)) throw error;
    this.add(path, `invalid expression: ${error.reason} (column ${error.position + 1} of ${JSON.stringify(error.source)})`, 'expressions combine params.<name>, input.<path>, steps.<id>.output / .status, secrets.NAME (in with), review.* (in finally) and literals (\'single-quoted\' strings) with == != < <= > >= && || ! and case, contains, startsWith, endsWith, join, toJSON, fromJSON, format; if: conditions may also call success(), failure(), always() and cancelled()');
  }

  private checkReferences(references: readonly Reference[], path: IssuePath, step: RawStep, mayReadSelf: boolean, where: 'with' | 'if'): void {
    const paramNames = Object.keys(this.params);
    for (const ref of references) {
      if (ref.root === 'secrets') {
        this.checkSecretReference(ref, path, where);
      } else if (ref.root === 'review') {
        this.checkReviewReference(ref, path);
      } else if (ref.root === 'params') {
        const name = ref.path[0];
        if (name === undefined || sameName(String(name), paramNames) !== undefined) continue;
        this.add(path, `${ref.text} refers to an undeclared param '${String(name)}'`, paramNames.length > 0 ? didYouMean(String(name), paramNames, 'a declared param such as') : `declare it under params: { ${String(name)}: { type: string } }`);
      } else if (ref.root === 'steps') {
        this.checkStepReference(ref, path, step, mayReadSelf);
      } else if (ref.root === 'input') {
        this.checkInputReference(ref, path);
      }
    }
  }

  private checkReviewReference(ref: Reference, path: IssuePath): void {
    if (!this.inFinally) {
      this.add(path, `${ref.text}: the review's outcome is known only in finally actions`, 'move this action under finally:, or test steps.<id>.status here');
      return;
    }
    const field = ref.path[0];
    if (field !== undefined && sameName(String(field), REVIEW_FIELDS) === undefined) {
      this.add(path, `${ref.text}: review has no '${String(field)}'`, didYouMean(String(field), [...REVIEW_FIELDS], 'one of'));
    }
  }

  private checkSecretReference(ref: Reference, path: IssuePath, where: 'with' | 'if'): void {
    if (where === 'if') {
      this.add(path, `${ref.text}: secrets cannot be read in if: conditions`, 'secrets are resolved only on the worker, inside a step; decide with params or input instead');
      return;
    }
    const name = ref.path[0];
    if (ref.path.length !== 1 || typeof name !== 'string' || !SECRET_NAME.test(name)) {
      this.add(path, `${ref.text} does not name a secret`, 'write secrets.NAME with a literal name of letters, digits and underscores, e.g. secrets.GITHUB_TOKEN');
    }
  }

  private checkStepReference(ref: Reference, path: IssuePath, step: RawStep, mayReadSelf: boolean): void {
    const [written, field] = ref.path;
    if (typeof written !== 'string') {
      const every = ref.text.endsWith('.*') ? '; steps.* would read steps that are not upstream' : '';
      this.add(path, `${ref.text} does not name a step`, `write steps.<id>.output or steps.<id>.status with a literal step id${every}`);
      return;
    }
    // Expressions ignore the case of names, as GitHub's do: steps.Lint is step lint.
    const target = sameName(written, this.firstIndex.keys());
    if (target === undefined) {
      this.add(path, `${ref.text} refers to an unknown step '${written}'`, didYouMean(written, [...this.firstIndex.keys()], 'a step id such as'));
      return;
    }
    if (field !== undefined && sameName(String(field), STEP_FIELDS) === undefined) {
      this.add(path, `${ref.text}: steps have no '${String(field)}'`, `use steps.${target}.output.<field> or steps.${target}.status`);
    } else if (field !== undefined && sameName(String(field), STEP_FIELDS) === 'output') {
      const targetStep = this.steps[this.stepPosition(target)];
      if (targetStep) this.checkOutputReference(ref, path, targetStep);
    }
    if (step.id === undefined) return;
    if (target === step.id) {
      if (!mayReadSelf) this.add(path, `step '${step.id}' refers to its own result (${ref.text}) before it has one`, 'a step can read its own result only in undo or onFailure.fallback');
      return;
    }
    if (!dependsOn(this.graph, step.id, target, this.positions)) {
      this.add(path, `step '${step.id}' reads ${ref.text}, but '${target}' is not upstream of it`, `add '${target}' to the needs of '${step.id}', directly or through a step it needs`);
    }
  }

  private checkGate(gate: Obj, path: IssuePath, step: RawStep): void {
    const approvers = asList(gate.approvers).filter((a): a is string => typeof a === 'string');
    const required = typeof gate.required === 'number' ? gate.required : 1;
    const distinct = new Set(approvers);
    const hasRole = approvers.some((a) => a === '*' || a.startsWith('role:'));
    if (!hasRole && approvers.length > 0 && required > distinct.size) {
      this.add(
        [...path, 'required'],
        `gate '${step.id ?? step.index}' needs ${required} approvals but names only ${distinct.size} approver${distinct.size === 1 ? '' : 's'}`,
        `lower required to at most ${distinct.size}, add approvers, or allow a role such as 'role:maintainer'`,
      );
    }
    const deadlineText = asStr(gate.deadline);
    const deadline = deadlineText === undefined ? undefined : tryParseDuration(deadlineText);
    const reminders = asList(gate.reminders);
    if (deadlineText === undefined) {
      for (const field of ['reminders', 'escalate', 'onTimeout'] as const) {
        if (gate[field] !== undefined) this.add([...path, field], `${field} has no effect without a deadline`, 'add deadline: (e.g. deadline: 48h) or remove it');
      }
    } else if (deadline !== undefined) {
      reminders.forEach((reminder, i) => {
        const before = typeof reminder === 'string' ? tryParseDuration(reminder) : undefined;
        if (before === undefined) return;
        if (before >= deadline || before === 0) {
          this.add(
            [...path, 'reminders', i],
            before === 0 ? `reminder ${reminder as string} would be sent at the deadline itself` : `reminder ${reminder as string} is not shorter than the deadline ${deadlineText}`,
            `a reminder is sent this long before the deadline: use a duration greater than 0 and shorter than ${formatDuration(deadline)}`,
          );
        }
      });
    }
    if (deadline === 0) this.add([...path, 'deadline'], 'a deadline of 0 expires at once', 'use a positive duration such as 48h');
    const remind = asObj(gate.remind);
    const escalate = asObj(gate.escalate);
    if (remind) this.checkAction(remind, [...path, 'remind'], step, false);
    if (escalate) this.checkAction(escalate, [...path, 'escalate'], step, false);
  }

  private checkRetry(retry: Obj | undefined, path: IssuePath): void {
    const own = retry as RetrySpec | undefined;
    const defaults = asObj(asObj(this.raw.defaults)?.retry) as RetrySpec | undefined;
    if (own?.initialInterval === undefined && own?.maxInterval === undefined) return;
    const conflict = retryConflict(defaults, own);
    if (!conflict) return;
    const from = conflict.maxIntervalFrom === 'defaults' ? ' (from defaults.retry)' : '';
    this.add(
      [...path, conflict.maxIntervalFrom === 'step' ? 'maxInterval' : 'initialInterval'],
      `maxInterval ${conflict.maxInterval}${from} is shorter than initialInterval ${conflict.initialInterval}`,
      'make maxInterval at least as long as initialInterval, or leave maxInterval out (it then defaults to 1m or the initial interval, whichever is longer)',
    );
  }

  private checkSecrets(raw: Obj, at: (...rest: (string | number)[]) => IssuePath): void {
    const inputs = asObj(raw.with) ?? {};
    asList(raw.secret).forEach((key, i) => {
      if (typeof key === 'string' && !(key in inputs)) {
        this.add(at('secret', i), `secret '${key}' is not an input of this step`, didYouMean(key, Object.keys(inputs), 'a key of with: such as'));
      }
    });
  }
}

const DECLARED_TYPES: readonly string[] = ['string', 'number', 'boolean', 'list', 'object'];

/** A type the schema does not know is reported there; here it matches anything. */
function matchesType(value: unknown, type: string): boolean {
  return DECLARED_TYPES.includes(type) ? fitsType(value, type as ParamSpec['type']) : true;
}

function typeHint(type: string, value: unknown): string {
  if (type === 'number' && typeof value === 'string' && !Number.isNaN(Number(value))) return 'write the number without quotes';
  if (type === 'boolean' && (value === 'true' || value === 'false')) return 'write true or false without quotes';
  if (type === 'list') return 'write a list, e.g. [a, b]';
  if (type === 'string') return `quote it: '${String(value)}'`;
  return `change the default to a ${type}, or change type`;
}

function locate(findings: readonly Finding[], options: ValidateOptions): ValidationIssue[] {
  const issues = findings.map((finding, order) => {
    let line: number | undefined;
    if (options.lineOf) {
      for (let n = finding.path.length; n >= 0 && line === undefined; n--) line = options.lineOf(finding.path.slice(0, n) as (string | number)[]);
    }
    const issue: ValidationIssue = { path: formatPath(finding.path), message: finding.message, hint: finding.hint };
    if (options.file !== undefined) issue.file = options.file;
    if (line !== undefined) issue.line = line;
    return { issue, order };
  });
  issues.sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.order - b.order);
  return issues.map((i) => i.issue);
}

interface ExecutorCheck {
  known: KnownExecutors;
  /** Types registered with the workers (ValidateOptions.executorTypes). */
  types?: ReadonlySet<string>;
  mode: 'error' | 'warn';
}

const BUILTINS_ONLY = new KnownExecutors();

function executorCheck(options: ValidateOptions): ExecutorCheck {
  const known = options.catalog ? new KnownExecutors(options.catalog, true) : BUILTINS_ONLY;
  const types = options.executorTypes ? new Set(options.executorTypes) : undefined;
  const mode = options.unknownExecutors ?? (options.catalog || types ? 'error' : 'warn');
  return types ? { known, types, mode } : { known, mode };
}

/** Checks a pipeline definition; returns the typed pipeline, or every problem found. */
export function validatePipeline(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const parsed = PipelineSchema.safeParse(raw);
  const findings: Finding[] = parsed.success ? [] : schemaFindings(parsed.error, raw);
  const root = asObj(raw);
  let checker: Checker | undefined;
  if (root) {
    checker = new Checker(root, executorCheck(options));
    checker.run();
    findings.push(...checker.findings);
  }
  if (parsed.success && findings.length === 0) {
    const warnings = root ? locate([...(checker?.warnings ?? []), ...pipelineCredentialWarnings(root)], options) : [];
    return { ok: true, pipeline: parsed.data, warnings };
  }
  return { ok: false, issues: locate(findings, options) };
}

/** The typed pipeline; throws PipelineValidationError listing every problem. */
export function assertValidPipeline(raw: unknown, options: ValidateOptions = {}): Pipeline {
  const result = validatePipeline(raw, options);
  if (!result.ok) throw new PipelineValidationError(result.issues, `invalid pipeline${options.file ? ` ${options.file}` : ''}`);
  return result.pipeline;
}
