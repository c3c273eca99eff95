import { z } from 'zod';
import { outputJsonSchema, type ExecutorCatalogEntry } from '../src/definition/executor-catalog';
import type { Executor } from './executor';
import { builtinExecutors } from './executors';

export interface ExecutorDescription {
  type: string;
  description: string;
  /** JSON Schema of the step's `with`. */
  input: Record<string, unknown>;
  /** JSON Schema of the step's output; absent when the executor declares none (anything). */
  output?: Record<string, unknown>;
}

/** Executors by type name: the built-ins plus whatever a worker registers. */
export class ExecutorRegistry {
  private readonly executors = new Map<string, Executor>();

  constructor(executors: Iterable<Executor> = []) {
    for (const executor of executors) this.register(executor);
  }

  register(executor: Executor): this {
    const existing = this.executors.get(executor.type);
    if (existing) {
      throw new Error(
        `an executor of type "${executor.type}" is already registered (${existing.description}); choose another type name`,
      );
    }
    this.executors.set(executor.type, executor);
    return this;
  }

  get(type: string): Executor | undefined {
    return this.executors.get(type);
  }

  has(type: string): boolean {
    return this.executors.has(type);
  }

  /** Registered type names, sorted. */
  types(): string[] {
    return [...this.executors.keys()].sort();
  }

  describe(): ExecutorDescription[] {
    return this.types().map((type) => {
      const executor = this.executors.get(type) as Executor;
      const description: ExecutorDescription = {
        type,
        description: executor.description,
        input: z.toJSONSchema(executor.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      };
      if (executor.output) description.output = outputJsonSchema(executor.output);
      return description;
    });
  }

  /** The entries of the executor catalog a worker writes at start-up (REVIEW_EXECUTOR_CATALOG). */
  catalogEntries(): ExecutorCatalogEntry[] {
    return this.describe();
  }
}

/** A registry with every built-in executor and then `extra`. */
export function createRegistry(extra: Iterable<Executor> = []): ExecutorRegistry {
  const registry = new ExecutorRegistry(builtinExecutors);
  for (const executor of extra) registry.register(executor);
  return registry;
}
