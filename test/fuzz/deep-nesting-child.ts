/**
 * Child process for deep-nesting.test.ts: parses a deeply nested pipeline document from call sites at
 * growing stack depths (as a server or CLI would, from inside its own frames) and prints "survived".
 */
import { parsePipelineText } from '../../src/definition/load';

const depth = Number(process.argv[2] ?? 1000);
const format = (process.argv[3] ?? 'yaml') as 'yaml' | 'json';
const json = `{"name":"deep","steps":[{"id":"a","uses":"echo","with":{"value":${'['.repeat(depth)}"leaf"${']'.repeat(depth)}}}]}`;

function atDepth(frames: number, fn: () => unknown): unknown {
  return frames === 0 ? fn() : atDepth(frames - 1, fn);
}

const outcomes = new Set<string>();
for (let frames = 0; frames < 8000; frames += 50) {
  const result = atDepth(frames, () => parsePipelineText(json, { format })) as { ok: boolean; issues?: { message: string }[] };
  outcomes.add(result.ok ? 'accepted' : `rejected: ${result.issues?.[0]?.message ?? ''}`);
}
process.stdout.write(`${JSON.stringify({ survived: true, outcomes: [...outcomes] })}\n`);
