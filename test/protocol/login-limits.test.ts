import { describe, expect, it } from 'vitest';
import { FailedLogins, LoginLimits, Slots } from '../../src/server/login-limits.ts';

describe('Slots', () => {
  it('hands out at most max slots; a release gives one back once, however often it is called', () => {
    const slots = new Slots(2);
    const a = slots.take()!;
    const b = slots.take()!;
    expect(slots.take()).toBeUndefined();
    a();
    a();
    expect(slots.inUse).toBe(1);
    expect(slots.take()).toBeDefined();
    expect(slots.take()).toBeUndefined();
    b();
    expect(slots.inUse).toBe(1);
  });
});

describe('FailedLogins', () => {
  it('refuses an address after the limit within the window, with 53300 and how long to wait; others are not affected', () => {
    let now = 1_000_000;
    const f = new FailedLogins(3, 60_000, () => now);
    for (let i = 0; i < 2; i++) f.record('10.0.0.1');
    expect(f.refusal('10.0.0.1')).toBeUndefined();
    f.record('10.0.0.1');
    now += 15_000;
    expect(f.refusal('10.0.0.1')).toMatchObject({ code: '53300', message: 'too many failed login attempts from 10.0.0.1; try again in 45 s' });
    expect(f.refusal('10.0.0.2')).toBeUndefined();
  });

  it('forgets an address when its window ends', () => {
    let now = 0;
    const f = new FailedLogins(1, 60_000, () => now);
    f.record('::1');
    expect(f.refusal('::1')).toBeDefined();
    now = 60_000;
    expect(f.refusal('::1')).toBeUndefined();
    f.record('::1');
    expect(f.refusal('::1')).toBeDefined();
  });

  it('a limit of 0 never refuses', () => {
    const f = new FailedLogins(0, 60_000);
    for (let i = 0; i < 100; i++) f.record('10.0.0.1');
    expect(f.refusal('10.0.0.1')).toBeUndefined();
  });

  it('remembers a bounded number of addresses: a spray of addresses does not grow memory without end', () => {
    const f = new FailedLogins(1, 60_000, () => 0);
    for (let i = 0; i < 20_000; i++) f.record(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    // the oldest were forgotten, the newest are still refused
    expect(f.refusal('10.0.0.0')).toBeUndefined();
    expect(f.refusal(`10.0.${(19_999 >> 8) & 255}.${19_999 & 255}`)).toBeDefined();
  });
});

describe('LoginLimits.sessionRefusal', () => {
  const opts = { maxSessions: 2, maxHandshakes: 10, authFailureLimit: 0, authFailureWindowMs: 60_000 };

  it('refuses with 53300 once every --max-sessions slot is taken, and not after one is given back', () => {
    const limits = new LoginLimits({ ...opts, freeMemoryMb: () => 10_000 });
    const a = limits.sessions.take()!;
    expect(limits.sessionRefusal()).toBeUndefined();
    limits.sessions.take();
    expect(limits.sessionRefusal()).toMatchObject({ code: '53300', message: 'sorry, too many clients already', fields: { hint: expect.stringContaining('at most 2 sessions') } });
    a();
    expect(limits.sessionRefusal()).toBeUndefined();
  });

  it('refuses with 53300 while the machine has too little memory free for another engine', () => {
    let free = 100;
    const limits = new LoginLimits({ ...opts, freeMemoryMb: () => free });
    expect(limits.sessionRefusal()).toMatchObject({ code: '53300', message: expect.stringMatching(/^sorry, too many clients already: 100 MB of memory free/) });
    free = 4096;
    expect(limits.sessionRefusal()).toBeUndefined();
  });
});
