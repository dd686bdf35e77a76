import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONNECTION_PROPERTIES,
  loadConfig,
  UsageError,
  withConnectionOverrides,
  type GatewayConfig,
} from '../../src/config/index.ts';
import { machineLimits } from '../../src/config/machine-limits.ts';
import { PgError, SqlState } from '../../src/errors/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'jsm-pg-config-'));

function load(argv: string[] = [], env: NodeJS.ProcessEnv = {}): GatewayConfig {
  return loadConfig({ argv, env, cwd: dir });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function failure(fn: () => unknown): PgError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PgError);
    return err as PgError;
  }
  throw new Error('expected an error');
}

const SITE = 'https://example.atlassian.net';

describe('defaults', () => {
  it('pins every server default and enters demo mode without a URL', () => {
    const cfg = load();
    expect(cfg.server).toEqual({
      host: '127.0.0.1',
      port: 5432,
      tlsRequired: false,
      passthrough: false,
      // from this machine's memory and cores (test/config/machine-limits.test.ts)
      maxSessions: machineLimits().maxSessions,
      logLevel: 'info',
      poolSize: machineLimits().poolSize,
      demo: true,
      simScale: 'small',
      simPort: 0,
      metricsHost: '127.0.0.1',
      maxHandshakes: 200,
      authTimeout: 60,
      authFailureLimit: 10,
      authFailureWindow: 60,
      maxMessageSize: 67108864,
    });
    expect(cfg.explicit.size).toBe(0);
    expect(cfg.connection.Timeout).toBe(60);
    expect(cfg.connection.IncludeCustomFields).toBe(false);
  });

  it('is not in demo mode once a URL is set, unless --demo is given', () => {
    expect(load(['--url', SITE]).server.demo).toBe(false);
    expect(load(['--url', SITE, '--demo']).server.demo).toBe(true);
    expect(load([], { JSM_URL: SITE, JSM_PG_DEMO: 'yes' }).server.demo).toBe(true);
  });
});

describe('sources and precedence', () => {
  it('parses a connection string with case-insensitive names and typed values', () => {
    const cfg = load(['--connection', 'authscheme=apitoken;url=https://x.atlassian.net;USER=a;APIToken=t;includecustomfields=yes;timeout=30']);
    expect(cfg.connection).toMatchObject({
      AuthScheme: 'APIToken',
      URL: 'https://x.atlassian.net',
      User: 'a',
      APIToken: 't',
      IncludeCustomFields: true,
      Timeout: 30,
    });
    expect([...cfg.explicit].sort()).toEqual(['APIToken', 'AuthScheme', 'IncludeCustomFields', 'Timeout', 'URL', 'User']);
  });

  it('keeps ; inside single- or double-quoted values', () => {
    const cfg = load(['--connection', `Password='a;b''c';Other="x=1;y=""2""";User = bob `]);
    expect(cfg.connection.Password).toBe("a;b'c");
    expect(cfg.connection.Other).toBe('x=1;y="2"');
    expect(cfg.connection.User).toBe('bob');
  });

  it('orders flags > connection string > config file > environment > defaults', () => {
    const config = file('precedence.json', JSON.stringify({ connection: { User: 'file', Timeout: 20, Tables: 'F' }, server: { port: 7000 } }));
    const env = { JSM_USER: 'env', JSM_TIMEOUT: '10', JSM_TABLES: 'E', JSM_VIEWS: 'E', JSM_PG_PORT: '6000', JSM_PG_HOST: '0.0.0.0' };
    const cfg = load(['--config', config, '--connection', 'User=conn;Timeout=30', '--user', 'flag'], env);
    expect(cfg.connection.User).toBe('flag');
    expect(cfg.connection.Timeout).toBe(30);
    expect(cfg.connection.Tables).toBe('F');
    expect(cfg.connection.Views).toBe('E');
    expect(cfg.connection.MaxRows).toBe(-1);
    expect(cfg.server.port).toBe(7000);
    expect(cfg.server.host).toBe('0.0.0.0');
    expect(load(['--config', config, '--port', '7100'], env).server.port).toBe(7100);
  });

  it('lets later --connection strings win', () => {
    expect(load(['--connection', 'User=a', '--connection', 'user=b']).connection.User).toBe('b');
  });

  it('maps every property to its JSM_* environment variable', () => {
    for (const def of CONNECTION_PROPERTIES) {
      const raw = def.type === 'bool' ? 'true' : def.type === 'int' ? '7' : def.type === 'enum' ? def.values[0] : def.format === 'url' ? SITE : 'v';
      const cfg = load([], { [def.envVar]: raw });
      expect(cfg.explicit.has(def.name), def.envVar).toBe(true);
      expect(String((cfg.connection as Record<string, unknown>)[def.name]), def.envVar).toBe(raw);
    }
  });

  it('ignores empty and unrelated JSM_* variables', () => {
    const cfg = load([], { JSM_URL: '', JSM_SOMETHING_ELSE: 'x', JSM_PG_UNKNOWN: '1' });
    expect(cfg.connection.URL).toBe('');
    expect(cfg.explicit.size).toBe(0);
  });

  it('reads server options from JSM_PG_* variables and flags', () => {
    const env = { JSM_PG_MAX_SESSIONS: '5', JSM_PG_LOG_LEVEL: 'DEBUG', JSM_PG_POOL_SIZE: '0', JSM_PG_SIM_SCALE: 'Large', JSM_PG_SIM_PORT: '4000' };
    expect(load([], env).server).toMatchObject({ maxSessions: 5, logLevel: 'debug', poolSize: 0, simScale: 'large', simPort: 4000 });
    const flags = ['--host=::', '--port', '0', '--max-sessions', '9', '--log-level', 'warn', '--pool-size', '4', '--sim-scale', 'medium', '--sim-port', '1234'];
    expect(load(flags).server).toMatchObject({ host: '::', port: 0, maxSessions: 9, logLevel: 'warn', poolSize: 4, simScale: 'medium', simPort: 1234 });
  });

  it('has no metrics listener unless --metrics-port is given (0 picks a free port)', () => {
    expect(load().server.metricsPort).toBeUndefined();
    expect(load(['--metrics-port', '0']).server).toMatchObject({ metricsPort: 0, metricsHost: '127.0.0.1' });
    expect(load([], { JSM_PG_METRICS_PORT: '9464', JSM_PG_METRICS_HOST: '0.0.0.0' }).server).toMatchObject({ metricsPort: 9464, metricsHost: '0.0.0.0' });
    expect(() => load(['--metrics-port', '70000'])).toThrow(/--metrics-port/);
  });

  it('resolves server paths against the cwd, or the config file folder', () => {
    const cfg = load(['--users-file', 'users.json', '--tls-cert', 'c.pem', '--tls-key', '/abs/k.pem']);
    expect(cfg.server).toMatchObject({ usersFile: join(dir, 'users.json'), tlsCert: join(dir, 'c.pem'), tlsKey: '/abs/k.pem' });
    const config = file('paths.yaml', 'server:\n  usersFile: sub/u.json\n');
    expect(load(['--config', 'paths.yaml']).server.usersFile).toBe(join(dir, 'sub/u.json'));
    expect(load([], { JSM_PG_CONFIG: config }).server.usersFile).toBe(join(dir, 'sub/u.json'));
  });

  it('reads YAML config files, typed values and kebab-case server keys', () => {
    const config = file('cfg.yaml', [
      'connection:',
      '  authscheme: basic',
      `  url: ${SITE}`,
      '  IncludeCustomFields: true',
      '  OAuthVersion: 1.0',
      '  Tables: [Requests, Customers]',
      'server:',
      '  max-sessions: 3',
      '  demo: false',
    ].join('\n'));
    const cfg = load(['--config', config]);
    expect(cfg.connection).toMatchObject({ AuthScheme: 'Basic', URL: SITE, IncludeCustomFields: true, OAuthVersion: '1.0', Tables: 'Requests,Customers' });
    expect(cfg.server.maxSessions).toBe(3);
  });

  it('accepts a connection string as the config file connection section', () => {
    const config = file('conn.json', JSON.stringify({ connection: `URL=${SITE};User=x` }));
    expect(load(['--config', config]).connection).toMatchObject({ URL: SITE, User: 'x' });
  });

  it('accepts every boolean spelling', () => {
    for (const [raw, value] of [['true', true], ['FALSE', false], ['1', true], ['0', false], ['Yes', true], ['no', false]] as const) {
      expect(load([], { JSM_INCLUDE_CUSTOM_FIELDS: raw }).connection.IncludeCustomFields).toBe(value);
    }
    expect(load(['--include-custom-fields']).connection.IncludeCustomFields).toBe(true);
    expect(load(['--include-custom-fields=no']).connection.IncludeCustomFields).toBe(false);
    expect(load(['--include-custom-fields', 'false', '--demo', 'no', '--url', SITE]).connection.IncludeCustomFields).toBe(false);
    expect(load(['--demo', 'no', '--url', SITE]).server.demo).toBe(false);
  });
});

describe('errors', () => {
  it('rejects unknown properties, naming them, the source and the closest name', () => {
    const err = failure(() => load(['--connection', 'Pasword=hunter2']));
    expect(err.code).toBe(SqlState.InvalidParameterValue);
    expect(err.message).toContain('"Pasword"');
    expect(err.message).toContain('connection string');
    expect(err.message).toContain('Did you mean "Password"?');
    expect(err.message).not.toContain('hunter2');
    const fromFile = failure(() => load(['--config', file('bad.json', '{"connection":{"Timeout2":1}}')]));
    expect(fromFile.message).toMatch(/"Timeout2".*config file .*bad\.json.*"Timeout"/);
  });

  it('rejects bad values naming property and source, without echoing secrets', () => {
    expect(failure(() => load([], { JSM_TIMEOUT: 'soon' })).message).toMatch(/"soon".*"Timeout".*environment variable JSM_TIMEOUT.*integer/);
    expect(failure(() => load(['--timeout', '-5'])).message).toMatch(/"Timeout".*option --timeout/);
    expect(failure(() => load(['--connection', 'IncludeCustomFields=maybe'])).message).toMatch(/"IncludeCustomFields".*boolean/);
    expect(failure(() => load(['--connection', 'AuthScheme=Kerberos'])).message).toMatch(/"AuthScheme".*Auto, OAuth, APIToken, Basic, Crowd, OKTA/);
    expect(failure(() => load(['--url', 'ftp://example.com'])).message).toMatch(/"URL".*http/);
    expect(failure(() => load(['--url', 'not a url'])).message).toMatch(/"URL"/);
    expect(failure(() => load(['--page-size', '500'])).message).toMatch(/"PageSize".*between 1 and 100/);
    const secret = failure(() => load(['--config', file('secret.json', '{"connection":{"Password":{"x":"s3cr3t"}}}')]));
    expect(secret.message).toContain('"Password"');
    expect(secret.message).not.toContain('s3cr3t');
  });

  it('rejects bad server options and unknown config file keys', () => {
    expect(failure(() => load(['--port', '70000'])).message).toMatch(/--port.*between 0 and 65535/);
    expect(failure(() => load([], { JSM_PG_LOG_LEVEL: 'loud' })).message).toMatch(/--log-level.*JSM_PG_LOG_LEVEL/);
    expect(failure(() => load(['--sim-scale', 'huge'])).message).toMatch(/small, medium, large/);
    expect(failure(() => load(['--tls-cert', 'c.pem'])).message).toMatch(/--tls-cert and --tls-key/);
    expect(failure(() => load(['--tls-required'])).message).toMatch(/--tls-required needs --tls-cert and --tls-key/);
    const serverKey = failure(() => load(['--config', file('srv.json', '{"server":{"prot":1}}')]));
    expect(serverKey.code).toBe(SqlState.ConfigFileError);
    expect(serverKey.message).toMatch(/"prot".*"port"/);
    expect(failure(() => load(['--config', file('sect.json', '{"conection":{}}')])).message).toMatch(/"conection".*"connection"/);
  });

  it('reports unreadable or malformed config files as ConfigFileError without their content', () => {
    expect(failure(() => load(['--config', join(dir, 'missing.yaml')])).code).toBe(SqlState.ConfigFileError);
    const broken = failure(() => load(['--config', file('broken.json', '{"connection": {"Password": "p4ss"')]));
    expect(broken.code).toBe(SqlState.ConfigFileError);
    expect(broken.message).not.toContain('p4ss');
  });

  it('reports malformed connection strings', () => {
    expect(failure(() => load(['--connection', 'User'])).message).toMatch(/"User" has no "="/);
    const err = failure(() => load(['--connection', "Password='abc"]));
    expect(err.message).toMatch(/"Password".*unterminated/);
    expect(err.message).not.toContain('abc');
  });

  it('raises UsageError for unknown flags, missing values and stray arguments', () => {
    const unknown = failure(() => load(['--prot', '1']));
    expect(unknown).toBeInstanceOf(UsageError);
    expect(unknown.message).toContain('--prot');
    expect(unknown.message).toContain('--port');
    expect(failure(() => load(['--port']))).toBeInstanceOf(UsageError);
    expect(failure(() => load(['--url', '--demo']))).toBeInstanceOf(UsageError);
    expect(failure(() => load(['extra']))).toBeInstanceOf(UsageError);
  });
});

describe('immutability and overrides', () => {
  it('returns a deeply frozen config', () => {
    const cfg = load(['--url', SITE]);
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.server)).toBe(true);
    expect(Object.isFrozen(cfg.connection)).toBe(true);
    expect(() => (cfg.explicit as Set<string>).add('User')).toThrow(TypeError);
    expect(() => {
      (cfg.connection as { URL: string }).URL = 'x';
    }).toThrow(TypeError);
  });

  it('withConnectionOverrides validates, marks explicit and leaves the original alone', () => {
    const base = load(['--demo', '--port', '0']);
    const cfg = withConnectionOverrides(base, { authscheme: 'apitoken', URL: 'http://127.0.0.1:4000', User: 'agent@example.com', APIToken: 'agent-token' });
    expect(cfg.connection).toMatchObject({ AuthScheme: 'APIToken', URL: 'http://127.0.0.1:4000', APIToken: 'agent-token' });
    expect([...cfg.explicit].sort()).toEqual(['APIToken', 'AuthScheme', 'URL', 'User']);
    expect(cfg.server).toEqual(base.server);
    expect(base.connection.URL).toBe('');
    expect(Object.isFrozen(cfg.connection)).toBe(true);
    expect(failure(() => withConnectionOverrides(base, { Nope: 1 })).message).toContain('"Nope"');
    expect(failure(() => withConnectionOverrides(base, { Timeout: 'x' })).message).toContain('"Timeout"');
  });
});
