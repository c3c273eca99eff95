/** The address a server of the project listens on, from a setting (an environment variable or a flag), and why listening there failed. */
import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

const HOST_PORT = /^(\[[^\]]+\]|[^:\s[\]]+):(\d+)$/;

/**
 * What is wrong with `value` as host:port (`[::1]:8088` too; a port up to 65535, 0 for any free one), and
 * what to write; undefined when nothing is. `ipOnly`: the host must be an IP address (no localhost).
 */
export function listenAddressProblem(value: string, example: string, ipOnly = false): string | undefined {
  const match = HOST_PORT.exec(value.trim());
  let why: string | undefined;
  if (!match) why = 'write host:port';
  else if (Number(match[2]) > 65535) why = `its port ${match[2]} is above 65535`;
  else if (ipOnly && isIP((match[1] as string).replace(/^\[|\]$/g, '')) === 0) why = `name an IP address, not the host name '${match[1] as string}'`;
  return why === undefined ? undefined : `'${value}' is not an address to listen on: ${why}, e.g. ${example}`;
}

/** host:port from the setting named `setting`, or an error naming it and what to write. */
export function parseListenAddress(value: string, setting: string, example: string, ipOnly = false): ListenAddress {
  const problem = listenAddressProblem(value, example, ipOnly);
  if (problem) throw new Error(`${setting} ${problem}`);
  const match = HOST_PORT.exec(value.trim()) as RegExpExecArray;
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

const THIS_MACHINE = 'an address of this machine, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)';

/** Why a server could not listen at `address` (given by `setting`) and what to give `setting` instead; other errors as they are. */
export function listenError(error: unknown, setting: string, address: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const match = HOST_PORT.exec(address.trim());
  const [host, port] = match ? [match[1] as string, Number(match[2])] : [address, Number.NaN];
  const bare = host.replace(/^\[|\]$/g, '');
  const next = `${host}:${port === 65535 || !Number.isFinite(port) ? 8089 : port + 1}`;
  const causes: Record<string, string> = {
    EADDRINUSE: `another program is using port ${port}; give ${setting} a free port, e.g. ${next}`,
    EACCES: `this user may not listen on port ${port}; give ${setting} a port from 1024 up`,
    EADDRNOTAVAIL: `${bare} is not an address of this machine; give ${setting} ${THIS_MACHINE}`,
    ENOTFOUND: `no host named '${bare}' is known here; give ${setting} ${THIS_MACHINE}`,
  };
  const cause = typeof code === 'string' ? causes[code] : undefined;
  if (cause === undefined) return error instanceof Error ? error : new Error(String(error));
  return new Error(`cannot listen on ${address} (${setting}): ${cause}`);
}
