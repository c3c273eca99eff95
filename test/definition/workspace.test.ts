import { validatePipeline, type ValidationIssue } from '../../src/definition/validate';

type Raw = Record<string, unknown>;

const checkout = { id: 'checkout', uses: 'checkout', with: { repository: 'https://example.com/acme/widgets.git', sha: 'a'.repeat(40) } };
const pipeline = (...steps: Raw[]): Raw => ({ name: 'pr', steps: [checkout, ...steps] });

function issues(raw: Raw): ValidationIssue[] {
  const result = validatePipeline(raw);
  return result.ok ? [] : result.issues;
}

describe('workspace:', () => {
  it('is accepted on a step that needs the checkout, directly or through another step', () => {
    const result = validatePipeline(
      pipeline(
        { id: 'install', uses: 'command', needs: ['checkout'], workspace: 'checkout', timeout: { scheduleToStart: '30s' } },
        { id: 'test', uses: 'command', needs: ['install'], workspace: 'checkout' },
      ),
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.pipeline.steps[1]).toMatchObject({ workspace: 'checkout', timeout: { scheduleToStart: '30s' } });
  });

  it('must name a step, with a suggestion for a typo', () => {
    expect(issues(pipeline({ id: 'test', uses: 'command', needs: ['checkout'], workspace: 'chekout' }))).toEqual([
      expect.objectContaining({ path: 'steps[1].workspace', message: "workspace 'chekout' of step 'test' is not a step of this pipeline", hint: "did you mean 'checkout'?" }),
    ]);
  });

  it('must name a checkout step', () => {
    expect(issues(pipeline({ id: 'lint', uses: 'command', needs: ['checkout'] }, { id: 'test', uses: 'command', needs: ['lint'], workspace: 'lint' }))).toEqual([
      expect.objectContaining({ path: 'steps[2].workspace', message: "workspace 'lint' of step 'test' is not a checkout step (it is uses: command)", hint: "use a checkout step such as 'checkout'" }),
    ]);
  });

  it('must be upstream of the step', () => {
    expect(issues(pipeline({ id: 'test', uses: 'command', workspace: 'checkout' }))).toEqual([
      expect.objectContaining({
        path: 'steps[1].workspace',
        message: "step 'test' runs in the workspace of 'checkout' but does not need it",
        hint: "add 'checkout' to the needs of 'test', directly or through a step it needs",
      }),
    ]);
  });

  it('is refused on gates and on the checkout itself', () => {
    expect(issues(pipeline({ id: 'ok', gate: { approvers: ['a'] }, needs: ['checkout'], workspace: 'checkout' }))[0]).toMatchObject({
      path: 'steps[1].workspace',
      message: "step 'ok' is a gate and cannot run in a workspace",
    });
    expect(issues({ name: 'pr', steps: [{ ...checkout, workspace: 'checkout' }] })[0]).toMatchObject({ message: "step 'checkout' names itself as its workspace" });
  });

  it('says how to add a checkout when there is none', () => {
    expect(issues({ name: 'pr', steps: [{ id: 'test', uses: 'command', workspace: 'src' }] })[0]).toMatchObject({
      message: "workspace 'src' of step 'test' is not a step of this pipeline",
      hint: expect.stringContaining('add a step with uses: checkout'),
    });
  });

  it('scheduleToStart is a duration', () => {
    expect(issues(pipeline({ id: 'test', uses: 'command', needs: ['checkout'], workspace: 'checkout', timeout: { scheduleToStart: 'soon' } }))[0]).toMatchObject({
      path: 'steps[1].timeout.scheduleToStart',
    });
  });
});
