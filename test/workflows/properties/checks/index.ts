/** Every invariant, checked on one run: the checks made and the violations found. */
import type { ReviewCase } from '../model';
import type { Observation } from '../observation';
import { checkClosing } from './closing';
import { checkCompensation } from './compensation';
import { Facts } from './facts';
import { checkGates } from './gates';
import { checkOutcome } from './outcome';
import { checkRetries } from './retry';
import { checkTiming } from './timing';
import { Verdict, type Violation } from './verdict';

export type { Violation };

export interface RunVerdict {
  checks: number;
  violations: Violation[];
}

export function checkRun(c: ReviewCase, obs: Observation): RunVerdict {
  const v = new Verdict();
  const f = new Facts(c, obs);
  checkClosing(f, v);
  checkOutcome(f, v);
  checkGates(f, v);
  checkCompensation(f, v);
  checkRetries(f, v);
  checkTiming(f, v);
  for (const finding of obs.findings) v.check(finding.invariant, false, () => finding.detail);
  return { checks: v.checks + obs.driverChecks, violations: v.violations };
}
