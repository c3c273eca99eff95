import { renderAscii, renderDot, renderMermaid } from '../../src/definition/render';
import { assertValidPipeline } from '../../src/definition/validate';

const pipeline = assertValidPipeline({
  name: 'pr-review',
  steps: [
    { id: 'lint', uses: 'command' },
    { id: 'tests', name: 'Unit "tests"', uses: 'command' },
    { id: 'report', uses: 'report', needs: ['lint', 'tests'] },
    { id: 'approve', needs: ['report'], gate: { approvers: ['role:maintainer', 'ann'], required: 2 } },
    { id: 'merge', uses: 'http', needs: ['approve'] },
  ],
});

const states = { lint: 'succeeded', tests: 'failed', report: 'skipped', approve: 'awaiting_approval' };

describe('renderMermaid', () => {
  it('draws steps, gates as hexagons, and edges', () => {
    const text = renderMermaid(pipeline);
    expect(text.startsWith('flowchart TD\n')).toBe(true);
    expect(text).toContain('n0["lint<br/><small>command</small>"]');
    expect(text).toContain('n1["Unit #quot;tests#quot;<br/><small>command</small>"]');
    expect(text).toContain('n3{{"approve<br/><small>gate: 2 of role:maintainer, ann</small>"}}:::gate');
    expect(text).toContain('n0 --> n2');
    expect(text).toContain('n3 --> n4');
    expect(text.match(/-->/g)).toHaveLength(4);
  });

  it('overlays states as classes with markers', () => {
    const text = renderMermaid(pipeline, states);
    expect(text).toContain('n0["✔ lint<br/><small>command · succeeded</small>"]:::succeeded');
    expect(text).toContain(':::awaiting_approval');
    expect(text).toContain('classDef failed fill:#ffcdd2');
    expect(text).not.toContain('classDef running');
    expect(text).toContain('n4["merge<br/><small>http</small>"]\n');
  });
});

describe('renderDot', () => {
  it('draws a digraph with hexagon gates and state colours', () => {
    const text = renderDot(pipeline, states);
    expect(text.startsWith('digraph "pr-review" {')).toBe(true);
    expect(text).toContain('"lint" -> "report";');
    expect(text).toContain('"approve" [label="⏸ approve\\ngate: 2 of role:maintainer, ann\\nawaiting_approval", shape=hexagon');
    expect(text).toContain('"tests" [label="✘ Unit \\"tests\\"\\ncommand\\nfailed"');
    expect(text).toContain('fillcolor="#ffcdd2"');
    expect(text.trimEnd().endsWith('}')).toBe(true);
  });
});

describe('renderAscii', () => {
  it('lists levels top to bottom with needs', () => {
    expect(renderAscii(pipeline)).toBe(
      [
        'pr-review (5 steps, 4 levels)',
        'level 1 (2 in parallel)',
        '  · lint     command',
        '  · tests    command',
        'level 2',
        '  · report   report   ← lint, tests',
        'level 3',
        '  · approve  «gate»   ← report',
        'level 4',
        '  · merge    http     ← approve',
        '',
      ].join('\n'),
    );
  });

  it('shows each step state with a marker, pending by default', () => {
    const text = renderAscii(pipeline, states);
    expect(text).toContain('  ✔ lint     command  succeeded');
    expect(text).toContain('  ✘ tests    command  failed');
    expect(text).toContain('  ⤼ report   report   skipped            ← lint, tests');
    expect(text).toContain('  ⏸ approve  «gate»   awaiting_approval  ← report');
    expect(text).toContain('  · merge    http     pending            ← approve');
  });

  it('has a plain ASCII mode and optional colours', () => {
    const plain = renderAscii(pipeline, states, { symbols: 'ascii' });
    expect(plain).toContain('[v] lint');
    expect(plain).toContain('<- lint, tests');
    expect(/[^\x00-\x7f]/.test(plain.replace(/«gate»/g, ''))).toBe(false);
    expect(renderAscii(pipeline, states, { color: true })).toContain('\u001b[32msucceeded');
  });
});
