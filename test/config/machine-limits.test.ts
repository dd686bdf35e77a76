import { describe, expect, it } from 'vitest';
import { machineLimits } from '../../src/config/machine-limits.ts';

const GB = 2 ** 30;

describe('machineLimits: --max-sessions and --pool-size defaults', () => {
  it('sizes sessions by memory (128 MB each within 75% of it, after the gateway and the warm engines) and warm engines by cores, or an eighth of the sessions when more', () => {
    expect(machineLimits({ totalBytes: 2 * GB, cores: 2 })).toEqual({ maxSessions: 8, poolSize: 2, budgetMb: 1280 });
    expect(machineLimits({ totalBytes: 8 * GB, cores: 8 })).toEqual({ maxSessions: 38, poolSize: 8, budgetMb: 5888 });
    expect(machineLimits({ totalBytes: 24 * GB, cores: 2 })).toMatchObject({ maxSessions: 142 - 16, poolSize: 16 });
    expect(machineLimits({ totalBytes: 12 * GB, cores: 2 })).toMatchObject({ maxSessions: 70 - 8, poolSize: 8 });
  });

  it('never plans more engines than the memory holds, however many cores', () => {
    for (const gb of [0.5, 1, 2, 4, 16, 64]) {
      for (const cores of [1, 2, 4, 16, 64]) {
        const { maxSessions, poolSize, budgetMb } = machineLimits({ totalBytes: gb * GB, cores });
        expect(poolSize).toBeGreaterThanOrEqual(1);
        expect(poolSize).toBeLessThanOrEqual(16);
        expect(poolSize).toBeLessThanOrEqual(Math.max(1, Math.floor(budgetMb / 128 / 4)));
        expect(maxSessions).toBeGreaterThanOrEqual(1);
        expect(maxSessions).toBeLessThanOrEqual(1000);
        if (budgetMb >= 2 * 128) expect((maxSessions + poolSize) * 128).toBeLessThanOrEqual(budgetMb);
      }
    }
  });

  it('caps sessions at 1000 and warm engines at 16 on a large machine', () => {
    expect(machineLimits({ totalBytes: 512 * GB, cores: 128 })).toMatchObject({ maxSessions: 1000, poolSize: 16 });
  });
});
