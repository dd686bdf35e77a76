// SCRAM-SHA-256 verifiers (RFC 5802/7677, as PostgreSQL stores them). Creation is
// delegated to pg-gateway so the gateway's handshake and our files agree on encoding.
import { createHash, createHmac, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { createScramSha256Data, type ScramSha256Data } from 'pg-gateway';

export type { ScramSha256Data };

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';
/** PostgreSQL's default iteration count. */
export const SCRAM_ITERATIONS = 4096;

const pbkdf2Async = promisify(pbkdf2);

// RFC 4013 tables B.1 (mapped to nothing) and C.1.2 (non-ASCII spaces).
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/g;
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;

/**
 * The SASLprep mapping + NFKC step PostgreSQL applies before hashing, so that a
 * non-ASCII password typed into psql (libpq also normalises) still matches.
 */
export function saslPrep(password: string): string {
  return password.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC');
}

/** A fresh salted verifier for `password`; the password itself is not retained. */
export function createVerifier(password: string): Promise<ScramSha256Data> {
  return createScramSha256Data(saslPrep(password), SCRAM_ITERATIONS);
}

/**
 * Whether `password` matches the verifier, by recomputing StoredKey =
 * H(HMAC(SaltedPassword, "Client Key")). Used by tests and by anything that receives a
 * cleartext password over TLS; the wire handshake itself never sees the password.
 */
export async function verifyPassword(data: ScramSha256Data, password: string): Promise<boolean> {
  const salted = await pbkdf2Async(saslPrep(password), Buffer.from(data.salt, 'base64'), data.iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const expected = Buffer.from(data.storedKey, 'base64');
  return expected.length === storedKey.length && timingSafeEqual(expected, storedKey);
}
