import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFormat, loadPipelineFile, parsePipelineText, readPipelineFile } from '../../src/definition/load';
import { PipelineValidationError } from '../../src/definition/issues';

const yamlText = `# a comment
name: review
steps:
  - id: lint
    uses: comand
    needs: [report]
  - id: report
    uses: report
    needs:
      - lint
      - tset
    timeout:
      startToClose: 5 minutes
`;

describe('parsePipelineText', () => {
  it('gives YAML issues their file and line', () => {
    const result = parsePipelineText(yamlText, { file: 'review.yaml', executorTypes: ['command', 'report'] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.line, i.path])).toEqual([
      [5, 'steps[0].uses'],
      [6, 'steps[0].needs[0]'],
      [11, 'steps[1].needs[1]'],
      [13, 'steps[1].timeout.startToClose'],
    ]);
    expect(result.issues.every((i) => i.file === 'review.yaml')).toBe(true);
  });

  it('points an unknown field at its own line', () => {
    const result = parsePipelineText('name: r\nsteps:\n  - id: a\n    uses: x\n    neds: [b]\n', { file: 'r.yaml' });
    expect(!result.ok && result.issues[0]).toMatchObject({ line: 5, path: 'steps[0].neds' });
  });

  it('points a missing field at the object that lacks it', () => {
    const result = parsePipelineText('name: r\nsteps:\n  - uses: x\n', { file: 'r.yaml' });
    expect(!result.ok && result.issues[0]).toMatchObject({ line: 3, path: 'steps[0].id', message: "missing required field 'id'" });
  });

  it('reports YAML syntax errors with their line', () => {
    const result = parsePipelineText('name: r\nsteps:\n  - id: a\n    uses: [a, b\n  - id: c\n', { file: 'bad.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ file: 'bad.yaml', line: 5, message: expect.stringMatching(/^invalid YAML: Flow sequence/) });
  });

  it('reports duplicate keys', () => {
    const result = parsePipelineText('name: r\nname: s\nsteps: []\n', { file: 'dup.yaml' });
    expect(!result.ok && result.issues[0]).toMatchObject({ line: 2, hint: 'remove or rename the repeated key' });
  });

  it('parses JSON with line numbers', () => {
    const json = JSON.stringify({ name: 'r', steps: [{ id: 'a', uses: 'x' }, { id: 'b', uses: 'x', needs: ['c'] }] }, null, 2);
    const result = parsePipelineText(json, { file: 'r.json' });
    expect(!result.ok && result.issues[0]).toMatchObject({ path: 'steps[1].needs[0]', line: 12 });
  });

  it('reports JSON syntax errors with their line', () => {
    const result = parsePipelineText('{\n  "name": "r",\n  "steps": [\n}', { file: 'r.json' });
    expect(!result.ok && result.issues[0]).toMatchObject({ line: 4, message: expect.stringMatching(/^invalid JSON: /) });
  });

  it('returns the pipeline when valid', () => {
    const result = parsePipelineText('name: r\nversion: 1.0\nsteps:\n  - id: a\n    uses: x\n');
    expect(result.ok && result.pipeline).toEqual({ name: 'r', version: '1', steps: [{ id: 'a', uses: 'x' }] });
  });

  it('detects the format from the extension or the text', () => {
    expect(detectFormat('{}', 'a.yaml')).toBe('yaml');
    expect(detectFormat('name: x', 'a.json')).toBe('json');
    expect(detectFormat('  {"a": 1}')).toBe('json');
    expect(detectFormat('a: 1')).toBe('yaml');
  });
});

describe('loadPipelineFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipelines-'));

  it('reads, validates and locates issues in a file', () => {
    const file = join(dir, 'p.yml');
    writeFileSync(file, 'name: p\nsteps:\n  - id: a\n    uses: x\n    needs: [a]\n');
    const result = loadPipelineFile(file);
    expect(!result.ok && result.issues).toEqual([
      { file, line: 5, path: 'steps[0].needs[0]', message: 'dependency cycle: a -> a', hint: 'remove one of these needs so the steps can run in order' },
    ]);
    expect(() => readPipelineFile(file)).toThrow(PipelineValidationError);
  });

  it('explains a missing file', () => {
    const result = loadPipelineFile(join(dir, 'missing.yaml'));
    expect(!result.ok && result.issues[0]?.message).toBe('cannot read the pipeline file: file not found');
  });
});
