// Secret scrubbing for anything that may reach a log line or an error message.
import { CONNECTION_PROPERTIES, findProperty, isSensitive, tokenizeConnectionString } from '../config/index.ts';

export const REDACTED = '[redacted]';

/** Field names that hold secrets whatever the registry says (HTTP headers, generic names). */
export const SECRET_FIELD_NAMES: readonly string[] = Object.freeze([
  'password',
  'passwd',
  'apiToken',
  'token',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'secret',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  ...CONNECTION_PROPERTIES.filter(isSensitive).flatMap((d) => [d.name, d.propertyName]),
]);

// For names the registry does not know (MFAPassCode, x-api-key, ...): err on redacting.
const SECRET_NAME_PATTERN = /pass(word|wd|code)?|pwd|secret|token|verifier|auth[-_]?key|api[-_]?key|cookie|authorization|credential/i;

/** Whether a property/field/header name denotes a secret. Registry names are authoritative. */
export function isSecretName(name: string): boolean {
  const def = findProperty(name);
  return def ? isSensitive(def) : SECRET_NAME_PATTERN.test(name);
}

function quote(value: string): string {
  return /[;'"]/.test(value) || value !== value.trim() ? `'${value.replace(/'/g, "''")}'` : value;
}

/**
 * `AuthScheme=APIToken;APIToken=abc` → `AuthScheme=APIToken;APIToken=[redacted]`.
 * Tolerates malformed input; a value with an unterminated quote may have swallowed the
 * rest of the string (other secrets included), so it is always redacted.
 */
export function redactConnectionString(s: string): string {
  return tokenizeConnectionString(s)
    .map((t) => {
      if (t.problem === 'missing-equals') return t.name;
      const secret = t.problem === 'unterminated-quote' || isSecretName(t.name);
      return `${t.name}=${secret ? REDACTED : quote(t.value)}`;
    })
    .join(';');
}

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s/@]*@/gi;
const KEY_VALUE = /([A-Za-z][\w-]*)(\s*[=:]\s*)('(?:[^']|'')*'?|"(?:[^"]|"")*"?|[^\s;&,]+)/g;

/**
 * Scrub free text (log messages): passwords in URLs and `secretName=value` pairs.
 * Structured fields are handled by the logger's redact paths instead.
 */
export function redactText(text: string): string {
  return text
    .replace(URL_USERINFO, `$1:${REDACTED}@`)
    .replace(KEY_VALUE, (_whole, key: string, sep: string, value: string) =>
      // A harmless key can still be followed by a secret pair ("Error: token=..."), so look inside.
      isSecretName(key) ? `${key}${sep}${REDACTED}` : `${key}${sep}${redactText(value)}`,
    );
}
