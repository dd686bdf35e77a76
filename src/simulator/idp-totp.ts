/** RFC 6238 time-based one-time passwords (HMAC-SHA1, 30 s, 6 digits), as Okta Verify shows them. */
import { createHmac } from 'node:crypto';

const STEP_SECONDS = 30;

/** The passcode of the step containing `atMs` for a shared secret (raw bytes given as a string). */
export function totp(secret: string, atMs = Date.now()): string {
  const counter = Math.floor(atMs / 1000 / STEP_SECONDS);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', Buffer.from(secret, 'utf8')).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** Accepts the current step and one either side, for clock drift (Okta allows the same). */
export function totpMatches(secret: string, passCode: string, atMs = Date.now()): boolean {
  return [-1, 0, 1].some((d) => totp(secret, atMs + d * STEP_SECONDS * 1000) === passCode);
}
