import type { Executor } from '../executor';
import { linksExecutor } from './checks/links';
import { markdownLintExecutor } from './checks/markdown-lint';
import { readabilityExecutor } from './checks/readability';
import { seoExecutor } from './checks/seo';
import { spellingExecutor } from './checks/spelling';
import { checkoutExecutor } from './checkout';
import { commandExecutor } from './command';
import { echoExecutor } from './echo';
import { failExecutor } from './fail';
import { githubExecutor } from './github';
import { httpExecutor } from './http';
import { notifyExecutor } from './notify';
import { reportExecutor } from './report';

export {
  checkoutExecutor,
  commandExecutor,
  echoExecutor,
  failExecutor,
  githubExecutor,
  httpExecutor,
  linksExecutor,
  markdownLintExecutor,
  notifyExecutor,
  readabilityExecutor,
  reportExecutor,
  seoExecutor,
  spellingExecutor,
};

export const builtinExecutors: readonly Executor[] = [
  commandExecutor,
  httpExecutor,
  notifyExecutor,
  githubExecutor,
  reportExecutor,
  markdownLintExecutor,
  readabilityExecutor,
  spellingExecutor,
  linksExecutor,
  seoExecutor,
  echoExecutor,
  failExecutor,
  checkoutExecutor,
];
