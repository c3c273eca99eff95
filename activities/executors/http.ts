import { z } from 'zod';
import { HttpOutputSchema } from '../../src/definition/executor-outputs';
import { defineExecutor } from '../executor';
import { DurationMsSchema } from '../lib/duration-input';
import { httpCall, readText, statusError } from '../lib/http';

const HttpInput = z
  .object({
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
    url: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string(), z.string()).default({}),
    json: z.unknown().optional().describe('Sent as the JSON body'),
    body: z.string().optional().describe('Sent as the raw body'),
    timeout: DurationMsSchema.default(30_000),
    expectStatus: z
      .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)])
      .optional()
      .describe('Statuses that count as success (default: any 2xx or 3xx)'),
    includeHeaders: z.boolean().default(false),
    maxBodyBytes: z.number().int().min(1).max(8 * 1024 * 1024).default(1024 * 1024),
  })
  .refine((input) => input.json === undefined || input.body === undefined, {
    message: 'give either `json` or `body`, not both',
    path: ['body'],
  });

const HttpOutput = HttpOutputSchema;

export const httpExecutor = defineExecutor({
  type: 'http',
  description: 'Calls an HTTP service; 5xx, 408, 429 and network errors retry, other 4xx fail at once; the response is the output',
  input: HttpInput,
  output: HttpOutput,
  async run(input, ctx) {
    const headers: Record<string, string> = { ...input.headers };
    let body = input.body;
    if (input.json !== undefined) {
      body = JSON.stringify(input.json);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    ctx.heartbeat({ url: input.url, phase: 'request' });
    const response = await httpCall({ method: input.method, url: input.url, headers, body, timeoutMs: input.timeout }, ctx.signal);
    const { text, truncated } = await readText(response, input.maxBodyBytes);
    const expected = input.expectStatus === undefined ? undefined : [input.expectStatus].flat();
    const ok = expected ? expected.includes(response.status) : response.status < 400;
    const output: z.input<typeof HttpOutput> = { status: response.status };
    if (input.includeHeaders) output.headers = Object.fromEntries(response.headers.entries());
    if (isJson(response) && !truncated && text.length > 0) {
      try {
        output.json = JSON.parse(text) as unknown;
      } catch {
        output.text = text;
      }
    } else if (text.length > 0) output.text = text;
    if (truncated) output.truncated = true;
    ctx.logger.info({ event: 'http.response', method: input.method, status: response.status }, `${input.method} answered ${response.status}`);
    if (!ok) throw statusError(input.method, input.url, response, text, output);
    return output;
  },
  summarize: (output) => `HTTP ${output.status}`,
});

function isJson(response: Response): boolean {
  return /[/+]json\b/i.test(response.headers.get('content-type') ?? '');
}
