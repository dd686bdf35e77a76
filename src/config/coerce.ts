// zod schemas that turn text (flags, env, connection strings) or typed YAML/JSON values
// into booleans, integers, enum members and URLs. Shared by connection properties and
// server options so both accept exactly the same spellings.
import { z } from 'zod';

const TRUE_WORDS = ['true', '1', 'yes'];
const FALSE_WORDS = ['false', '0', 'no'];

/** Whether `text` is one of the accepted boolean spellings. */
export function isBoolWord(text: string): boolean {
  const word = text.trim().toLowerCase();
  return TRUE_WORDS.includes(word) || FALSE_WORDS.includes(word);
}

export const BOOL_HINT = 'expected a boolean (true/false/1/0/yes/no)';

export const boolSchema = z.union([z.boolean(), z.number(), z.string()]).transform((v, ctx) => {
  const word = String(v).trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: BOOL_HINT });
  return z.NEVER;
});

export function intSchema(bounds: { min?: number; max?: number } = {}) {
  const range =
    bounds.min !== undefined && bounds.max !== undefined
      ? ` between ${bounds.min} and ${bounds.max}`
      : bounds.min !== undefined
        ? ` of at least ${bounds.min}`
        : bounds.max !== undefined
          ? ` of at most ${bounds.max}`
          : '';
  const message = `expected an integer${range}`;
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const text = String(v).trim();
    const n = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
    const inRange =
      Number.isSafeInteger(n) &&
      (bounds.min === undefined || n >= bounds.min) &&
      (bounds.max === undefined || n <= bounds.max);
    if (inRange) return n;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    return z.NEVER;
  });
}

/**
 * Case-insensitive enum that normalises to the canonical spelling. Numbers are matched
 * numerically because YAML reads `OAuthVersion: 2.0` as the number 2.
 */
export function enumSchema<const V extends string>(values: readonly V[]) {
  const message = `expected one of ${values.join(', ')}`;
  return z.union([z.string(), z.number()]).transform((v, ctx): V => {
    const hit =
      typeof v === 'number'
        ? values.find((c) => Number(c) === v)
        : values.find((c) => c.toLowerCase() === v.trim().toLowerCase());
    if (hit !== undefined) return hit;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    return z.NEVER;
  });
}

/** Free text; YAML scalars are stringified and lists (e.g. Tables) joined with commas. */
export const stringSchema = z
  .union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))])
  .transform((v) => (Array.isArray(v) ? v.join(',') : String(v)).trim());

/** Empty (unset) or an absolute http(s) URL. */
export const urlSchema = stringSchema.superRefine((v, ctx) => {
  if (v === '') return;
  let ok = false;
  try {
    const url = new URL(v);
    ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    ok = false;
  }
  if (!ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected an http:// or https:// URL' });
});

/** First issue message of a failed parse, phrased for a human. */
export function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid value';
  return issue.code === z.ZodIssueCode.invalid_union ? 'unsupported value type' : issue.message;
}
