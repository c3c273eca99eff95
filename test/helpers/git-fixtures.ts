/** Real git repositories for tests: a source repository with commits and a branch, and a bare "origin". */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gitIn } from '../../src/demo/sample-repo';

export { gitIn };

const run = promisify(execFile);

export interface GitFixture {
  dir: string;
  /** Bare repository (`<dir>/served/origin.git`), as a server would hold it. */
  origin: string;
  /** Directory holding `origin.git`, for an HTTP server's project root. */
  served: string;
  /** Commits on main, oldest first. */
  main: string[];
  /** A commit on a branch that was deleted: reachable only through refs/pull/1/head. */
  pull: string;
  /** Adds a commit to main in the source and pushes it to the origin. */
  commit(file: string, content: string): Promise<string>;
}

export async function gitFixture(): Promise<GitFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'checkout-fixture-'));
  const src = join(dir, 'src');
  const served = join(dir, 'served');
  const origin = join(served, 'origin.git');
  await run('mkdir', ['-p', src, served]);
  await gitIn(src, 'init', '-q', '-b', 'main');
  const main: string[] = [];
  const commit = async (file: string, content: string) => {
    await writeFile(join(src, file), content);
    await gitIn(src, 'add', file);
    await gitIn(src, 'commit', '-q', '-m', `edit ${file}`);
    return gitIn(src, 'rev-parse', 'HEAD');
  };
  main.push(await commit('README.md', '# widgets\n'));
  main.push(await commit('index.js', 'module.exports = 1;\n'));
  await gitIn(src, 'checkout', '-q', '-b', 'feature');
  const pull = await commit('feature.js', 'module.exports = "feature";\n');
  await gitIn(src, 'checkout', '-q', 'main');
  await gitIn(dir, 'clone', '-q', '--bare', src, origin);
  await gitIn(origin, 'update-ref', 'refs/pull/1/head', pull);
  await gitIn(origin, 'branch', '-D', 'feature');
  await gitIn(src, 'branch', '-D', 'feature');
  return {
    dir,
    origin,
    served,
    main,
    pull,
    commit: async (file, content) => {
      const sha = await commit(file, content);
      await gitIn(src, 'push', '-q', origin, 'main');
      return sha;
    },
  };
}
