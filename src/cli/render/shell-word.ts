/** `text` as one word of a shell command: as it is when it is safe, single-quoted otherwise. */
export function shellWord(text: string): string {
  return /^[\w.@%+=:,/-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
