/**
 * The people a gate's approvers name: logins as written, and the members of each `role:<name>` as the
 * directory file (REVIEW_DIRECTORY_FILE) lists them, directly or through teams. `*` names nobody in
 * particular, so it gets no link.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DirectoryFileSchema, type DirectoryFile } from '../directory/directory';

/** Members of each role in a directory file, lower-cased as the directory compares them. */
export type RoleMembers = ReadonlyMap<string, readonly string[]>;

export function roleMembersOf(file: DirectoryFile): RoleMembers {
  const teams = new Map(Object.entries(file.teams ?? {}).map(([team, members]) => [team.toLowerCase(), members]));
  const out = new Map<string, string[]>();
  for (const [role, spec] of Object.entries(file.roles)) {
    const members = [...(spec.users ?? []), ...(spec.teams ?? []).flatMap((team) => teams.get(team.toLowerCase()) ?? [])];
    out.set(role, [...new Set(members.map((m) => m.toLowerCase()))]);
  }
  return out;
}

/** Reads a directory file's role members; a file that cannot be read or parsed is an error naming it. */
export function loadRoleMembers(path: string): RoleMembers {
  let document: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    document = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new Error(`cannot read the directory file ${path} (REVIEW_DIRECTORY_FILE): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const parsed = DirectoryFileSchema.safeParse(document);
  if (!parsed.success) throw new Error(`invalid directory ${path} (REVIEW_DIRECTORY_FILE): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return roleMembersOf(parsed.data);
}

/** Each person a gate's approvers name, once, in the order they are named. */
export function approverLogins(approvers: readonly string[], roles: RoleMembers | undefined): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (login: string): void => {
    const key = login.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push(login);
  };
  for (const approver of approvers) {
    if (approver === '*') continue;
    if (approver.startsWith('role:')) for (const member of roles?.get(approver.slice(5)) ?? []) add(member);
    else add(approver);
  }
  return out;
}
