/**
 * The language level the workflow bundle is compiled to. The SDK's bundler compiles TypeScript with swc
 * for ES2017, which turns object spread, class fields and optional chaining into helper calls that run on
 * every workflow task; workers run on Node 20, whose V8 runs them natively, and the project's TypeScript
 * already targets ES2022 (tsconfig.json), so the workflow code behaves the same either way.
 */
import type { BundleOptions } from '@temporalio/worker';

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
type RuleSetRule = Extract<NonNullable<NonNullable<WebpackConfig['module']>['rules']>[number], object>;

export const WORKFLOW_BUNDLE_TARGET = 'es2022';

interface SwcUse {
  loader?: string;
  options?: { jsc?: Record<string, unknown> } & Record<string, unknown>;
}

function retargeted(rule: RuleSetRule): RuleSetRule {
  const use = rule.use as SwcUse | undefined;
  if (!use || typeof use !== 'object' || Array.isArray(use) || !String(use.loader).includes('swc-loader')) return rule;
  return { ...rule, use: { ...use, options: { ...use.options, jsc: { ...use.options?.jsc, target: WORKFLOW_BUNDLE_TARGET } } } } as RuleSetRule;
}

/** A `webpackConfigHook` that compiles the workflow code for WORKFLOW_BUNDLE_TARGET (other rules are kept as they are). */
export function targetNode20(config: WebpackConfig): WebpackConfig {
  const rules = config.module?.rules?.map((rule) => (rule && typeof rule === 'object' ? retargeted(rule as RuleSetRule) : rule));
  return rules ? { ...config, module: { ...config.module, rules } } : config;
}
