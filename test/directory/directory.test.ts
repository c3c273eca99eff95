import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryFrom, DirectoryError, directoryFromEnv, fileDirectory, loadDirectory, parseDirectory, resolveRoles } from '../../src/directory';

const YAML = `
roles:
  maintainer:
    users: [alice, Bob]
    teams: [acme/core]
  security:
    users: [carol]
    teams: [Acme/Sec]
teams:
  acme/core: [dave, erin]
  acme/sec: [erin]
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'directory-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('directory of approvers', () => {
  test('roles from users and teams, logins and teams compared without case', () => {
    const directory = parseDirectory(YAML, 'people.yaml');
    expect(directory.rolesOf('alice')).toEqual(['maintainer']);
    expect(directory.rolesOf('BOB')).toEqual(['maintainer']);
    expect(directory.rolesOf('erin')).toEqual(['maintainer', 'security']);
    expect(directory.rolesOf('mallory')).toEqual([]);
  });

  test('JSON files read as JSON', () => {
    const path = join(dir, 'people.json');
    writeFileSync(path, JSON.stringify({ roles: { editor: { users: ['ann'] } } }));
    expect(loadDirectory(path).rolesOf('ann')).toEqual(['editor']);
  });

  test('claimed roles must be held; none claimed means the directory decides', () => {
    const directory = parseDirectory(YAML, 'people.yaml');
    expect(resolveRoles(directory, 'alice')).toEqual(['maintainer']);
    expect(resolveRoles(directory, 'erin', ['security'])).toEqual(['security']);
    expect(() => resolveRoles(directory, 'alice', ['maintainer', 'security'])).toThrow(
      /alice claims role security, but the directory \(people\.yaml\) gives alice only: maintainer/,
    );
    expect(() => resolveRoles(directory, 'mallory', ['maintainer'])).toThrow(/gives mallory no role/);
  });

  test('bad files are refused with the file, the path and how to fix it', () => {
    expect(() => parseDirectory('roles:\n  maintainer:\n    teams: [acme/nobody]\n', 'd.yaml')).toThrow(
      /d\.yaml:\n {2}roles\.maintainer\.teams: team acme\/nobody has no members list; add it under teams:/,
    );
    expect(() => parseDirectory('roles:\n  maintainer:\n    user: [alice]\n', 'd.yaml')).toThrow(/roles\.maintainer: .*user.*allowed: roles, teams at the top; users, teams in a role/s);
    expect(() => parseDirectory('roles:\n  maintainer:\n    users: ["a b"]\n', 'd.yaml')).toThrow(/roles\.maintainer\.users\.0: expected a GitHub login/);
    expect(() => parseDirectory('roles: {}\nteams:\n  core: [a]\n', 'd.yaml')).toThrow(/teams\.core: bad name: expected a GitHub team as org\/team-slug/);
    expect(() => parseDirectory('{', 'd.json')).toThrow(/invalid directory d\.json: not JSON/);
    expect(() => directoryFrom({})).toThrow(DirectoryError);
    expect(() => loadDirectory(join(dir, 'missing.yaml'))).toThrow(/cannot read the directory file .*missing\.yaml \(REVIEW_DIRECTORY_FILE\): no such file/);
  });

  test('a file directory follows its file; a broken file refuses lookups until fixed', () => {
    const path = join(dir, 'live.yaml');
    writeFileSync(path, 'roles:\n  maintainer:\n    users: [alice]\n');
    const directory = fileDirectory(path);
    expect(directory.rolesOf('alice')).toEqual(['maintainer']);
    writeFileSync(path, 'roles:\n  maintainer:\n    users: [alice, bob]\n');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(directory.rolesOf('bob')).toEqual(['maintainer']);
    writeFileSync(path, 'roles: [oops]\n');
    utimesSync(path, new Date(), new Date(Date.now() + 10_000));
    expect(() => directory.rolesOf('bob')).toThrow(/invalid directory/);
    expect(directoryFromEnv({})).toBeUndefined();
    expect(directoryFromEnv({ REVIEW_DIRECTORY_FILE: join(dir, 'people.json') })?.rolesOf('ann')).toEqual(['editor']);
  });
});
