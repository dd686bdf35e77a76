/**
 * Just enough PKCS#12 to take the private key (and certificates) out of a .pfx/.p12 file:
 * Node's crypto can use a PFX for TLS but cannot hand out its key, which OAuth 1.0a signing
 * needs. The shrouded key bag is a PKCS#8 EncryptedPrivateKeyInfo, which crypto decrypts itself;
 * certificate bags encrypted with PBES2 (OpenSSL 3's default) are decrypted here.
 */
import { createDecipheriv, createHash, createPrivateKey, pbkdf2Sync, X509Certificate, type KeyObject } from 'node:crypto';

interface Tlv {
  tag: number;
  /** The whole element (tag + length + content). */
  raw: Buffer;
  content: Buffer;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  pbkdf2: '1.2.840.113549.1.5.12',
} as const;

const PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const CIPHER: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

export class Pkcs12Error extends Error {}

function readTlv(buf: Buffer, offset: number): Tlv & { next: number } {
  if (offset + 2 > buf.length) throw new Pkcs12Error('truncated DER');
  const tag = buf[offset]!;
  let length = buf[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    // Indefinite lengths (BER) do not occur in DER, which every current tool writes.
    if (bytes === 0 || bytes > 4) throw new Pkcs12Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[offset + 2 + i]!;
    header += bytes;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new Pkcs12Error('truncated DER');
  return { tag, raw: buf.subarray(offset, end), content: buf.subarray(offset + header, end), next: end };
}

function children(content: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < content.length; ) {
    const tlv = readTlv(content, offset);
    out.push(tlv);
    offset = tlv.next;
  }
  return out;
}

function oid(content: Buffer): string {
  const parts = [Math.floor(content[0]! / 40), content[0]! % 40];
  let value = 0;
  for (const byte of content.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

const integer = (content: Buffer): number => content.reduce((n, b) => n * 256 + b, 0);
const at = (list: Tlv[], i: number): Tlv => {
  const tlv = list[i];
  if (!tlv) throw new Pkcs12Error('unexpected PKCS#12 structure');
  return tlv;
};
/** [0] EXPLICIT: the one element inside a context tag. */
const explicit = (tlv: Tlv): Tlv => at(children(tlv.content), 0);

/** RFC 7292 appendix B: the PKCS#12 key derivation (SHA-1), password as BMPString with a final zero. */
function pkcs12Kdf(password: string, salt: Buffer, iterations: number, id: number, length: number): Buffer {
  const v = 64;
  const pass = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) pass.writeUInt16BE(password.charCodeAt(i), i * 2);
  // S and P repeated to a multiple of v bytes
  const fill = (b: Buffer): Buffer => {
    const n = v * Math.ceil(b.length / v);
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = b[i % b.length]!;
    return out;
  };
  let I = Buffer.concat([fill(salt), fill(pass)]);
  const D = Buffer.alloc(v, id);
  const out: Buffer[] = [];
  for (let got = 0; got < length; ) {
    let A = createHash('sha1').update(D).update(I).digest();
    for (let i = 1; i < iterations; i++) A = createHash('sha1').update(A).digest();
    out.push(A);
    got += A.length;
    const B = fill(A).subarray(0, v);
    const next = Buffer.alloc(I.length);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        next[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
    I = next;
  }
  return Buffer.concat(out).subarray(0, length);
}

/**
 * The certificate bags' encryption: PBES2 with PBKDF2 (OpenSSL 3's default; the password is
 * UTF-8, as OpenSSL uses it) or the PKCS#12 3DES scheme of older exports. RC2 (openssl -legacy)
 * needs OpenSSL's legacy provider, which Node does not load: those certificates are skipped.
 */
function decryptPbes2(algorithm: Tlv, data: Buffer, password: string): Buffer {
  const [algOid, params] = children(algorithm.content);
  if (algOid && params && oid(algOid.content) === OID.pbeSha1TripleDes) {
    const pbe = children(params.content);
    const salt = at(pbe, 0).content;
    const count = integer(at(pbe, 1).content);
    const key = pkcs12Kdf(password, salt, count, 1, 24);
    const iv = pkcs12Kdf(password, salt, count, 2, 8);
    const decipher = createDecipheriv('des-ede3-cbc', key, iv);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  }
  if (!algOid || oid(algOid.content) !== OID.pbes2 || !params) throw new Pkcs12Error('legacy');
  const [kdf, enc] = children(params.content).map((t) => children(t.content));
  if (!kdf || !enc || oid(at(kdf, 0).content) !== OID.pbkdf2) throw new Pkcs12Error('unsupported PBES2 key derivation');
  const kdfParams = children(at(kdf, 1).content);
  const salt = at(kdfParams, 0).content;
  const iterations = integer(at(kdfParams, 1).content);
  const prfTlv = kdfParams.find((t) => t.tag === 0x30);
  const prf = prfTlv ? PRF[oid(at(children(prfTlv.content), 0).content)] : 'sha1';
  const cipher = CIPHER[oid(at(enc, 0).content)];
  if (!prf || !cipher) throw new Pkcs12Error('unsupported PBES2 cipher');
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLength, prf);
  const decipher = createDecipheriv(cipher.name, key, at(enc, 1).content);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

export interface Pkcs12Contents {
  keys: KeyObject[];
  certificates: X509Certificate[];
}

function readBags(safeContents: Buffer, password: string, out: Pkcs12Contents): void {
  for (const bag of children(at(children(safeContents), 0).content)) {
    const [bagId, bagValue] = children(bag.content);
    if (!bagId || !bagValue) continue;
    const value = explicit(bagValue);
    switch (oid(bagId.content)) {
      case OID.keyBag:
        out.keys.push(createPrivateKey({ key: value.raw, format: 'der', type: 'pkcs8' }));
        break;
      case OID.shroudedKeyBag:
        out.keys.push(createPrivateKey({ key: value.raw, format: 'der', type: 'pkcs8', passphrase: password }));
        break;
      case OID.certBag: {
        const [certId, certValue] = children(value.content);
        if (certId && certValue && oid(certId.content) === OID.x509Certificate) {
          out.certificates.push(new X509Certificate(explicit(certValue).content));
        }
        break;
      }
    }
  }
}

/**
 * The keys and certificates of a PKCS#12 file. A wrong password fails while decrypting (the
 * error says so, without the password); the MAC is not checked separately.
 */
export function readPkcs12(der: Buffer, password: string): Pkcs12Contents {
  const out: Pkcs12Contents = { keys: [], certificates: [] };
  let skipped = false;
  const pfx = children(readTlv(der, 0).content);
  const authSafe = children(at(pfx, 1).content);
  if (oid(at(authSafe, 0).content) !== OID.data) throw new Pkcs12Error('not a password-integrity PKCS#12 file');
  const authenticatedSafe = explicit(at(authSafe, 1)).content;
  for (const info of children(readTlv(authenticatedSafe, 0).content)) {
    const [type, content] = children(info.content);
    if (!type || !content) continue;
    const kind = oid(type.content);
    if (kind === OID.data) {
      readBags(explicit(content).content, password, out);
    } else if (kind === OID.encryptedData) {
      const encryptedContentInfo = children(at(children(explicit(content).content), 1).content);
      const encrypted = at(encryptedContentInfo, 2);
      // [0] IMPLICIT OCTET STRING: primitive (0x80) or constructed (0xa0) from other encoders
      const data = encrypted.tag === 0x80 ? encrypted.content : Buffer.concat(children(encrypted.content).map((c) => c.content));
      let plain: Buffer;
      try {
        plain = decryptPbes2(at(encryptedContentInfo, 1), data, password);
      } catch (err) {
        if (err instanceof Pkcs12Error && err.message === 'legacy') {
          skipped = true;
          continue;
        }
        if (err instanceof Pkcs12Error) throw err;
        throw new Pkcs12Error('the password does not open it');
      }
      readBags(plain, password, out);
    }
  }
  if (skipped && !out.keys.length) {
    throw new Pkcs12Error('it is encrypted with RC2 (openssl pkcs12 -legacy), which this Node cannot read: re-export it without -legacy');
  }
  return out;
}
