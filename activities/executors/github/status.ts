/** action: status — a commit status (works with a plain token). */
import type { ExecutorContext } from '../../executor';
import type { GitHubClient } from './client';
import type { StatusInputType } from './schema';
import { cutCodePoints } from './text';

/** GitHub refuses longer descriptions with a 422. */
export const MAX_STATUS_DESCRIPTION = 140;

interface Status {
  id: number;
  state: string;
  context: string;
  description: string | null;
}

export async function commitStatus(input: StatusInputType, client: GitHubClient, ctx: ExecutorContext) {
  const body: Record<string, unknown> = { state: input.state, context: input.context };
  if (input.description !== undefined) body.description = cutCodePoints(input.description, MAX_STATUS_DESCRIPTION);
  if (input.target_url !== undefined) body.target_url = input.target_url;
  ctx.heartbeat({ phase: 'github-status', state: input.state });
  const { data } = await client.request<Status>('POST', `/repos/${input.repository}/statuses/${input.sha}`, body);
  ctx.logger.info({ event: 'github.status', state: data.state, context: data.context }, `commit status ${data.context}: ${data.state}`);
  return { action: 'status' as const, id: data.id, state: data.state, context: data.context, description: data.description ?? null };
}
