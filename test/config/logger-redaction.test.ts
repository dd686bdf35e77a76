import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CONNECTION_PROPERTIES, isSensitive, loadConfig } from '../../src/config/index.ts';
import { createLogger, defaultLogFormat, prettyLine, redactConnectionString, redactText, type LogFormat } from '../../src/observability/logger.ts';

function captureAs(level = 'trace', format: LogFormat = 'json') {
  let text = '';
  const destination = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: createLogger({ level, destination, format }), output: () => text };
}

const SECRETS = CONNECTION_PROPERTIES.filter(isSensitive).map((d, i) => [d, `s3cret-${i}-value`] as const);

describe.each(['json', 'pretty'] as const)('createLogger (%s)', (format) => {
  const capture = (level = 'trace') => captureAs(level, format);
  it('never writes secrets held in structured fields', () => {
    const { logger, output } = capture();
    const connection = Object.fromEntries(SECRETS.map(([d, v]) => [d.name, v]));
    logger.info({ password: 'p-top', apiToken: 'p-api', token: 'p-tok', authorization: 'Bearer p-auth', cookie: 'p-cookie' }, 'top');
    logger.info({ connection }, 'nested');
    logger.info({ config: { connection } }, 'deeper');
    logger.info({ req: { headers: { authorization: 'Basic p-basic', cookie: 'p-c2', 'set-cookie': 'p-c3', accept: 'json' } } }, 'http');
    logger.info({ headers: { authorization: 'p-h' } }, 'headers');
    const text = output();
    for (const [, secret] of SECRETS) expect(text).not.toContain(secret);
    for (const leaked of ['p-top', 'p-api', 'p-tok', 'p-auth', 'p-cookie', 'p-basic', 'p-c2', 'p-c3', 'p-h']) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain('"accept":"json"');
  });

  it('scrubs secrets typed into messages and error messages', () => {
    const { logger, output } = capture();
    logger.warn('connecting with APIToken=tok-1;User=bob to https://bob:pw-2@example.com');
    logger.error({ err: new Error('bad Password=pw-3') }, 'failed');
    logger.error(new Error('token=pw-4'));
    logger.error({ err: 'AuthKey=pw-5' }, 'thrown string');
    logger.info('Error: apitoken=pw-6 (context)');
    const text = output();
    for (const leaked of ['tok-1', 'pw-2', 'pw-3', 'pw-4', 'pw-5', 'pw-6']) expect(text).not.toContain(leaked);
    expect(text).toContain('User=bob');
  });

  it('does not leak a whole loaded config', () => {
    const cfg = loadConfig({
      argv: ['--connection', "URL=https://x.atlassian.net;APIToken='t;1';OAuthClientSecret=cs-9"],
      env: { JSM_PASSWORD: 'env-pw' },
    });
    const { logger, output } = capture();
    logger.info({ config: cfg }, 'loaded');
    logger.info(cfg, 'flat');
    const text = output();
    for (const leaked of ['t;1', 'cs-9', 'env-pw']) expect(text).not.toContain(leaked);
    expect(text).toContain('https://x.atlassian.net');
  });

  it('honours the level', () => {
    const { logger, output } = capture('warn');
    logger.info('quiet');
    expect(output()).toBe('');
  });

  it('writes each key once, the process id included', () => {
    const { logger, output } = capture();
    logger.child({ backendPid: 4242 }).info({ user: 'alice' }, 'session started');
    const [line] = output().split('\n');
    expect(line).toContain('session started');
    expect(line).toContain(format === 'json' ? '"backendPid":4242' : 'backendPid=4242');
    expect(line!.match(/"?pid"?[:=]/g) ?? []).toHaveLength(format === 'json' ? 1 : 0);
  });
});

describe('pretty log lines', () => {
  it('put time, level and message first, then the fields, and the stack below', () => {
    const { logger, output } = captureAs('trace', 'pretty');
    logger.warn({ path: '/tmp/users file.json', users: 2, nested: { a: 1 } }, 'users file not reloaded');
    logger.error({ err: new Error('boom Password=pw-9') }, 'failed');
    const [first, second, ...stack] = output().trimEnd().split('\n');
    expect(first).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN  users file not reloaded path="\/tmp\/users file.json" users=2 nested=\{"a":1\}$/);
    expect(second).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR failed err="boom Password=\[redacted\]"$/);
    expect(stack[0]).toMatch(/^ {4}Error: boom Password=\[redacted\]$/);
    expect(output()).not.toContain('pw-9');
  });

  it('passes through what is not JSON, and defaults to pretty only on a terminal', () => {
    expect(prettyLine('plain text')).toBe('plain text\n');
    expect(defaultLogFormat({ isTTY: true })).toBe('pretty');
    expect(defaultLogFormat({ isTTY: false })).toBe('json');
    expect(defaultLogFormat({})).toBe('json');
  });
});

describe('redactConnectionString', () => {
  it('replaces sensitive values and keeps the rest', () => {
    expect(redactConnectionString("AuthScheme=APIToken;URL=https://x;User=a;APIToken='t;1'")).toBe(
      'AuthScheme=APIToken;URL=https://x;User=a;APIToken=[redacted]',
    );
    expect(redactConnectionString('password=a;OAUTHACCESSTOKEN=b;MFAPassCode=c;x-api-key=d')).toBe(
      'password=[redacted];OAUTHACCESSTOKEN=[redacted];MFAPassCode=[redacted];x-api-key=[redacted]',
    );
    expect(redactConnectionString("Other='a=b;c'")).toBe("Other='a=b;c'");
  });

  it('redacts everything after an unterminated quote', () => {
    const out = redactConnectionString("User='bob;Password=hunter2");
    expect(out).not.toContain('hunter2');
  });

  it('redacts every sensitive registry property', () => {
    const input = SECRETS.map(([d, v]) => `${d.name}=${v}`).join(';');
    const out = redactConnectionString(input);
    for (const [, secret] of SECRETS) expect(out).not.toContain(secret);
  });
});

describe('redactText', () => {
  it('keeps ordinary text intact', () => {
    expect(redactText('listening on 127.0.0.1:5432 user=demo')).toBe('listening on 127.0.0.1:5432 user=demo');
    expect(redactText('token: abc')).toBe('token: [redacted]');
  });
});
