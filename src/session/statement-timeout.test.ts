import { describe, expect, it } from 'vitest';
import { settingMilliseconds, statementDeadline } from './statement-timeout.ts';

describe('statement timeout', () => {
  it('reads time settings as current_setting() shows them', () => {
    expect(settingMilliseconds('0')).toBe(0);
    expect(settingMilliseconds('1500')).toBe(1500);
    expect(settingMilliseconds('1500ms')).toBe(1500);
    expect(settingMilliseconds('5s')).toBe(5000);
    expect(settingMilliseconds('2min')).toBe(120_000);
    expect(settingMilliseconds('1h')).toBe(3_600_000);
    expect(settingMilliseconds(null)).toBe(0);
    expect(settingMilliseconds('soon')).toBe(0);
  });

  it('takes the tighter of Timeout and statement_timeout, each with its own message', () => {
    expect(statementDeadline(0, '0')).toBeUndefined();
    expect(statementDeadline(30_000, '0')!.ms).toBe(30_000);
    expect(statementDeadline(30_000, '0')!.error().message).toBe('canceling statement due to Timeout (30 s)');
    const pg = statementDeadline(30_000, '2s')!;
    expect(pg.ms).toBe(2000);
    expect(pg.error().message).toBe('canceling statement due to statement timeout');
    expect(pg.error().code).toBe('57014');
    expect(statementDeadline(1000, '2s')!.ms).toBe(1000);
  });
});
