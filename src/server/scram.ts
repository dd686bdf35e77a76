import { createHash, createHmac, randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';

/** A user's SCRAM-SHA-256 verifier, as pg-gateway's createScramSha256Data produces it (base64 fields). */
export interface ScramVerifier { salt: string; iterations: number; storedKey: string; serverKey: string }

export const SCRAM = 'SCRAM-SHA-256';
export const SCRAM_PLUS = 'SCRAM-SHA-256-PLUS';

/**
 * tls-server-end-point channel binding data (RFC 5929): the hash of the server certificate (DER).
 * SHA-256, which RFC 5929 prescribes for certificates signed with MD5, SHA-1 or SHA-256.
 */
export function tlsServerEndPoint(certPem: string | Buffer): Buffer {
  const der = new X509Certificate(certPem).raw;
  return createHash('sha256').update(der).digest();
}

/**
 * Server side of SCRAM-SHA-256 and SCRAM-SHA-256-PLUS (RFC 5802/7677, tls-server-end-point
 * binding). Written here rather than used from pg-gateway so that a wrong password yields
 * SQLSTATE 28P01, as PostgreSQL sends, and so that channel_binding=require clients can connect.
 */
export class ScramExchange {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private gs2Header = '';

  /**
   * `verifier` is undefined for an unknown user: the exchange runs with a decoy and fails at the proof.
   * `binding` is the connection's channel binding data when it runs over TLS (PLUS is then offered).
   */
  constructor(private readonly verifier: ScramVerifier | undefined, private readonly binding?: Buffer) {}

  /** Mechanisms to advertise: PLUS only over TLS, and listed first as PostgreSQL does. */
  mechanisms(): string[] {
    return this.binding ? [SCRAM_PLUS, SCRAM] : [SCRAM];
  }

  serverFirstMessage(clientFirst: string, mechanism: string = SCRAM): string {
    const parts = clientFirst.split(',');
    const flag = parts[0] ?? '';
    // p=tls-server-end-point with PLUS; n (no binding) or y (client could bind) without. A 'y' while
    // PLUS was offered means someone removed it on the way: refuse, as RFC 5802 asks.
    const ok = mechanism === SCRAM_PLUS ? flag === 'p=tls-server-end-point' && !!this.binding : flag === 'n' || (flag === 'y' && !this.binding);
    if (!ok) throw new Error('channel binding negotiation failed');
    this.gs2Header = `${parts[0]},${parts[1] ?? ''},`;
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
    const cbind = Buffer.concat([Buffer.from(this.gs2Header), this.gs2Header.startsWith('p=') ? this.binding! : Buffer.alloc(0)]);
    if (attrs.get('c') !== cbind.toString('base64')) return null;
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
