import { listenAddressProblem, listenError, parseListenAddress } from '../../src/http/listen-address';

describe('listen addresses', () => {
  it('takes host:port, [IPv6]:port and port 0; refuses the rest, naming the setting and an example', () => {
    expect(parseListenAddress(' 0.0.0.0:8787 ', 'X', '0.0.0.0:8787')).toEqual({ host: '0.0.0.0', port: 8787 });
    expect(parseListenAddress('[::1]:0', 'X', '0.0.0.0:8787')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress('localhost:80', 'X', '0.0.0.0:8787')).toEqual({ host: 'localhost', port: 80 });
    expect(() => parseListenAddress('abc', 'REVIEW_X', '127.0.0.1:1')).toThrow("REVIEW_X 'abc' is not an address to listen on: write host:port, e.g. 127.0.0.1:1");
    expect(() => parseListenAddress('127.0.0.1:99999', '--listen', '127.0.0.1:1')).toThrow("--listen '127.0.0.1:99999' is not an address to listen on: its port 99999 is above 65535");
    expect(() => parseListenAddress('127.0.0.1:123456', '--listen', '127.0.0.1:1')).toThrow('its port 123456 is above 65535');
    expect(listenAddressProblem('localhost:9464', '127.0.0.1:9464', true)).toContain("name an IP address, not the host name 'localhost'");
    expect(listenAddressProblem('[::1]:9464', '127.0.0.1:9464', true)).toBeUndefined();
  });

  it('says why listening failed and what to do, for the errors a setting causes; others pass as they are', () => {
    const error = (code: string) => Object.assign(new Error(`listen ${code}`), { code });
    expect(listenError(error('EADDRINUSE'), 'REVIEW_X', '127.0.0.1:1').message).toBe('cannot listen on 127.0.0.1:1 (REVIEW_X): another program is using port 1; give REVIEW_X a free port, e.g. 127.0.0.1:2');
    expect(listenError(error('EADDRNOTAVAIL'), 'REVIEW_X', '10.9.9.9:1').message).toBe(
      'cannot listen on 10.9.9.9:1 (REVIEW_X): 10.9.9.9 is not an address of this machine; give REVIEW_X an address of this machine, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)',
    );
    expect(listenError(error('ENOTFOUND'), 'REVIEW_X', 'nohost:1').message).toContain("no host named 'nohost' is known here");
    expect(listenError(error('EACCES'), 'REVIEW_X', '[::1]:80').message).toContain('this user may not listen on port 80; give REVIEW_X a port from 1024 up');
    const other = error('EPIPE');
    expect(listenError(other, 'REVIEW_X', 'a:1')).toBe(other);
  });
});
