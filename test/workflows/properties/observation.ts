/** What the driver saw of one run: the answers to every message, the outcome, the activities, the histories. */
import type { GateStatus, ReviewStatus } from '../../../workflows/types';
import type { StepEvent } from '../../helpers/recording-activities';
import type { Message } from './model';

/**
 * The public status, plus the fields the lifecycle rewrite adds. All of them optional: the checks use
 * them when present and never require them.
 */
export type ObservedStatus = ReviewStatus & {
  phase?: 'running' | 'settling' | 'retry_window' | 'compensating' | 'closed';
  paused?: boolean;
  /** The decided outcome (named `decided` by some versions). */
  outcome?: 'completed' | 'failed' | 'rejected' | 'cancelled';
  decided?: 'completed' | 'failed' | 'rejected' | 'cancelled';
  notices?: string[];
  /** Oldest transitions left out to keep the status small. */
  transitionsDropped?: number;
};

export type Answer =
  /** An update returned a value. */
  | 'ack'
  /** An update failed with WorkflowUpdateFailedError. */
  | 'refused'
  /** A signal or cancel request the server accepted. */
  | 'sent'
  /** The review had already closed. */
  | 'closed'
  /** Anything else (timeouts, transport errors): the effect is unknown. */
  | 'error';

export interface MessageRecord {
  index: number;
  phase: 'script' | 'resolve';
  message: Message;
  /** Server time just before the status query that precedes the message. */
  queriedAt: number;
  /** The status right before the message (undefined when the query failed). */
  pre?: ObservedStatus;
  /** Server time just before the message was sent. */
  sentAt: number;
  answer: Answer;
  gate?: GateStatus;
  rerun?: string[];
  detail?: string;
}

export type ClientOutcome =
  | { kind: 'completed' | 'rejected'; status: ObservedStatus }
  /** result() resolved with a status whose state is neither completed nor rejected. */
  | { kind: 'resolved-other'; status: ObservedStatus }
  | { kind: 'failed'; status?: ObservedStatus; failureType?: string; detailsState?: string }
  | { kind: 'cancelled' }
  | { kind: 'unexpected'; error: string }
  /** The review did not close by itself (the driver terminated it, saying why). */
  | { kind: 'open'; detail: string };

export interface RunHistory {
  runId: string;
  eventTypes: string[];
  taskFailures: string[];
  /** Why the run's history did not replay on the code under test (non-determinism), when it did not. */
  replayError?: string;
  /** Workflow tasks the test server kept for rejected updates (see histories.ts): replay cannot reproduce their clock. */
  emptyTasks: number;
}

/** Something the driver itself found while resolving the review (checked as an invariant). */
export interface DriverFinding {
  invariant: string;
  detail: string;
}

export interface Observation {
  workflowId: string;
  /** Server time when the review was started. */
  startedAt: number;
  messages: MessageRecord[];
  outcome: ClientOutcome;
  /** The status query after the review closed (or at the end, when it did not). */
  final?: ObservedStatus;
  finalQueryError?: string;
  events: StepEvent[];
  runs: RunHistory[];
  findings: DriverFinding[];
  /** Checks the driver made while the review ran (those that need polling). */
  driverChecks: number;
  wallMs: number;
}
