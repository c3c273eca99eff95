/**
 * The directory of approvers: which roles each person holds, read from a file the operator keeps
 * (REVIEW_DIRECTORY_FILE). Roles are granted to GitHub logins directly or through GitHub teams
 * (`org/team`, with their members listed in the same file). Logins and team names are compared
 * without regard to case, as GitHub does.
 *
 * ```yaml
 * roles:
 *   maintainer:
 *     users: [alice, bob]
 *     teams: [acme/core]
 *   security:
 *     users: [carol]
 * teams:
 *   acme/core: [dave, erin]
 * ```
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?(?:\[bot\])?$/;
const TEAM = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const Login = z.string().max(100).regex(LOGIN, { message: 'expected a GitHub login such as octocat (letters, digits, -, _ and .)' });
const TeamName = z.string().max(200).regex(TEAM, { message: 'expected a GitHub team as org/team-slug, e.g. acme/core' });

const RoleSchema = z
  .object({
    users: z.array(Login).max(10_000).optional(),
    teams: z.array(TeamName).max(1_000).optional(),
  })
  .strict();

export const DirectoryFileSchema = z
  .object({
    roles: z.record(z.string().max(100).regex(NAME, { message: 'a role name is letters, digits, -, _ and . (matched against role:<name> approvers)' }), RoleSchema),
    teams: z.record(TeamName, z.array(Login).max(10_000)).optional(),
  })
  .strict();
export type DirectoryFile = z.infer<typeof DirectoryFileSchema>;

/** A problem in a directory file, naming the file and the path inside it. */
export class DirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryError';
  }
}

/** Who holds which role. */
export interface Directory {
  /** Where the directory was read from (a file path, or a description), for messages. */
  readonly source: string;
  /** The roles the directory gives this login, sorted; none for an unknown login. */
  rolesOf(login: string): string[];
}

/** Why `by` may not claim `claimed`, or undefined when every claimed role is one the directory gives. */
export function unheldRoles(directory: Directory, by: string, claimed: readonly string[]): string[] {
  const held = new Set(directory.rolesOf(by));
  return claimed.filter((role) => !held.has(role));
}

/**
 * The roles a decision by `by` carries: those the directory gives when none are claimed, the claimed ones
 * when the directory gives every one of them; otherwise an error saying what the directory says.
 */
export function resolveRoles(directory: Directory, by: string, claimed?: readonly string[]): string[] {
  const held = directory.rolesOf(by);
  if (claimed === undefined) return held;
  const missing = unheldRoles(directory, by, claimed);
  if (missing.length === 0) return [...claimed];
  throw new DirectoryError(
    `${by} claims role${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, but the directory (${directory.source}) gives ${by} ` +
      `${held.length > 0 ? `only: ${held.join(', ')}` : 'no role'}; decide without claiming roles (they are taken from the directory), ` +
      `or add ${by} to ${missing.length > 1 ? 'those roles' : 'that role'} in the directory`,
  );
}

function issuesOf(error: z.ZodError, source: string): string {
  const lines = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    const hint = issue.code === 'unrecognized_keys' ? ' (allowed: roles, teams at the top; users, teams in a role)' : '';
    const inner = issue.code === 'invalid_key' ? (issue as { issues?: { message: string }[] }).issues?.map((i) => i.message).join('; ') : undefined;
    return `  ${where}: ${inner ? `bad name: ${inner}` : issue.message}${hint}`;
  });
  return `invalid directory ${source}:\n${lines.join('\n')}`;
}

/** A directory from an already parsed document; `source` names it in messages. */
export function directoryFrom(document: unknown, source = 'directory'): Directory {
  const parsed = DirectoryFileSchema.safeParse(document);
  if (!parsed.success) throw new DirectoryError(issuesOf(parsed.error, source));
  const file = parsed.data;
  const teams = new Map<string, string[]>();
  for (const [team, members] of Object.entries(file.teams ?? {})) teams.set(team.toLowerCase(), members.map((m) => m.toLowerCase()));
  const byLogin = new Map<string, Set<string>>();
  const grant = (login: string, role: string): void => {
    const key = login.toLowerCase();
    const roles = byLogin.get(key) ?? new Set<string>();
    roles.add(role);
    byLogin.set(key, roles);
  };
  const problems: string[] = [];
  for (const [role, spec] of Object.entries(file.roles)) {
    for (const user of spec.users ?? []) grant(user, role);
    for (const team of spec.teams ?? []) {
      const members = teams.get(team.toLowerCase());
      if (members === undefined) {
        problems.push(`  roles.${role}.teams: team ${team} has no members list; add it under teams: (${team}: [login, ...])`);
        continue;
      }
      for (const member of members) grant(member, role);
    }
  }
  if (problems.length > 0) throw new DirectoryError(`invalid directory ${source}:\n${problems.join('\n')}`);
  return {
    source,
    rolesOf(login: string): string[] {
      return [...(byLogin.get(login.toLowerCase()) ?? [])].sort();
    },
  };
}

/** Parses a directory file's text: JSON for `.json`, YAML otherwise (YAML also reads JSON). */
export function parseDirectory(text: string, source = 'directory'): Directory {
  let document: unknown;
  try {
    document = extname(source).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new DirectoryError(`invalid directory ${source}: not ${extname(source).toLowerCase() === '.json' ? 'JSON' : 'YAML'} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
  return directoryFrom(document, source);
}

/** Reads a directory file once. */
export function loadDirectory(path: string): Directory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new DirectoryError(`cannot read the directory file ${path} (REVIEW_DIRECTORY_FILE): ${reason}`);
  }
  return parseDirectory(text, path);
}

/**
 * A directory that follows its file: read at once (so a bad file is reported at start-up), and read
 * again when the file changes. A file that becomes invalid makes every lookup fail with its error
 * until it is fixed: decisions are refused rather than judged against a directory nobody meant.
 */
export function fileDirectory(path: string): Directory {
  const stamp = (): string => {
    try {
      const stat = statSync(path);
      return `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return 'missing';
    }
  };
  let seen = stamp();
  let current: Directory | Error = loadDirectory(path);
  return {
    source: path,
    rolesOf(login: string): string[] {
      const now = stamp();
      if (now !== seen) {
        seen = now;
        try {
          current = loadDirectory(path);
        } catch (error) {
          current = error instanceof Error ? error : new DirectoryError(String(error));
        }
      }
      if (current instanceof Error) throw current;
      return current.rolesOf(login);
    },
  };
}

/** The directory named by REVIEW_DIRECTORY_FILE, or undefined when it is not set (the trusting mode). */
export function directoryFromEnv(env: Record<string, string | undefined> = process.env): Directory | undefined {
  const path = env.REVIEW_DIRECTORY_FILE?.trim();
  return path ? fileDirectory(path) : undefined;
}
