import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A user's SCRAM-SHA-256 verifier, as pg-gateway's createScramSha256Data produces it (base64 fields). */
export interface ScramVerifier { salt: string; iterations: number; storedKey: string; serverKey: string }

/**
 * Server side of SCRAM-SHA-256 (RFC 5802/7677) without channel binding. Written here rather than
 * used from pg-gateway so that a wrong password yields SQLSTATE 28P01, as PostgreSQL sends.
 */
export class ScramExchange {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';

  /** `verifier` is undefined for an unknown user: the exchange runs with a decoy and fails at the proof. */
  constructor(private readonly verifier: ScramVerifier | undefined) {}

  serverFirstMessage(clientFirst: string): string {
    // gs2 header: "n,," or "y,," (client supports binding, server does not offer it)
    const parts = clientFirst.split(',');
    if (!['n', 'y'].includes(parts[0] ?? '')) throw new Error('channel binding is not supported');
    this.clientFirstBare = parts.slice(2).join(',');
    const clientNonce = this.clientFirstBare.split(',').find((p) => p.startsWith('r='))?.slice(2);
    if (!clientNonce) throw new Error('malformed SCRAM client-first message');
    this.nonce = clientNonce + randomBytes(18).toString('base64');
    const salt = this.verifier?.salt ?? randomBytes(16).toString('base64');
    const iterations = this.verifier?.iterations ?? 4096;
    this.serverFirst = `r=${this.nonce},s=${salt},i=${iterations}`;
    return this.serverFirst;
  }

  /** Returns the server-final message, or null when the proof is wrong. */
  verifyClientFinal(clientFinal: string): string | null {
    const attrs = new Map(clientFinal.split(',').map((kv) => [kv.slice(0, 1), kv.slice(2)] as const));
    const proof = attrs.get('p');
    if (!proof || attrs.get('r') !== this.nonce || !this.verifier) return null;
    const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const storedKey = Buffer.from(this.verifier.storedKey, 'base64');
    const clientSignature = createHmac('sha256', storedKey).update(authMessage).digest();
    const proofBytes = Buffer.from(proof, 'base64');
    if (proofBytes.length !== clientSignature.length) return null;
    const clientKey = Buffer.alloc(proofBytes.length);
    for (let i = 0; i < proofBytes.length; i++) clientKey[i] = proofBytes[i]! ^ clientSignature[i]!;
    const check = createHash('sha256').update(clientKey).digest();
    if (!timingSafeEqual(check, storedKey)) return null;
    const serverSignature = createHmac('sha256', Buffer.from(this.verifier.serverKey, 'base64')).update(authMessage).digest('base64');
    return `v=${serverSignature}`;
  }
}
