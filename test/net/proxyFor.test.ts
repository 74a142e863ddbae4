import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { bypassesProxy, proxyFor, proxyPasswords } from '../../src/net/proxy.js';

const route = (target: string, env: NodeJS.ProcessEnv) => proxyFor(new URL(target), env);

describe('proxyFor: the proxy variables as curl, Go and undici read them', () => {
  it('takes HTTPS_PROXY for an https:// server and HTTP_PROXY for an http:// one, lower case first', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', HTTP_PROXY: 'http://plain:3128', http_proxy: 'http://lower:3128' };
    expect(route('https://gw.example:9091', env)).toMatchObject({ variable: 'HTTPS_PROXY', shown: 'http://secure:3128/' });
    expect(route('http://gw.example:9091', env)).toMatchObject({ variable: 'http_proxy', shown: 'http://lower:3128/' });
    expect(route('http://gw.example:9091', {})).toBeUndefined();
    expect(route('https://gw.example', { HTTP_PROXY: 'http://plain:3128' })).toBeUndefined();
  });

  it('reads a proxy without a scheme as http://, and shows its credentials redacted', () => {
    const found = route('http://gw.example', { HTTP_PROXY: 'user:pa55word@proxy.internal:3128' });
    expect(found?.url.href).toBe('http://user:pa55word@proxy.internal:3128/');
    expect(found?.shown).toBe('http://REDACTED@proxy.internal:3128/');
  });

  it('refuses a proxy it cannot use, its password redacted (78)', () => {
    expect(() => route('http://gw', { HTTP_PROXY: 'socks5://u:secret-pw@proxy:1080' })).toThrow(ConfigError);
    expect(() => route('http://gw', { HTTP_PROXY: 'socks5://u:secret-pw@proxy:1080' })).toThrow(/HTTP_PROXY must be an http:\/\/ proxy.*REDACTED/);
    expect(() => route('http://gw', { HTTP_PROXY: 'http://u:secret-pw@[bad' })).toThrow(/not a valid proxy URL/);
    expect(() => route('http://gw', { HTTP_PROXY: 'http://u:secret-pw@[bad' })).not.toThrow(/secret-pw/);
  });

  it('NO_PROXY: * for all, a name for itself and its subdomains, a port for that port only, blanks or commas between', () => {
    const target = (url: string) => new URL(url);
    expect(bypassesProxy(target('http://gw.example:9091'), '*')).toBe(true);
    for (const entry of ['gw.example', '.example', 'example', '*.example', 'other, gw.example', 'other gw.example:9091', 'GW.Example']) {
      expect(bypassesProxy(target('http://gw.example:9091'), entry), entry).toBe(true);
    }
    for (const entry of ['', 'w.example', 'gw.example:80', 'xample', 'gw.example.org']) {
      expect(bypassesProxy(target('http://gw.example:9091'), entry), entry).toBe(false);
    }
    expect(bypassesProxy(target('https://127.0.0.1'), '127.0.0.1:443')).toBe(true);
    expect(bypassesProxy(target('http://[::1]:9091'), '::1')).toBe(true);
    expect(bypassesProxy(target('http://[::1]:9091'), '[::1]:9091')).toBe(true);
    expect(route('http://127.0.0.1:9091', { HTTP_PROXY: 'http://p:3128', no_proxy: 'localhost,127.0.0.1' })).toBeUndefined();
  });

  it('finds the passwords of every proxy variable, for the log’s redaction', () => {
    expect(proxyPasswords({ HTTPS_PROXY: 'http://a:p%40ss@p:1', http_proxy: 'b:q@p:2', HTTP_PROXY: 'http://p:3' })).toEqual([
      { username: 'a', password: 'p@ss' },
      { username: 'b', password: 'q' },
    ]);
  });
});
