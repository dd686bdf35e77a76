import { writeFile } from 'node:fs/promises';

/**
 * libpq sends a GSSENCRequest (with gssencmode=prefer, its default) only when the GSSAPI library
 * says initiator credentials exist. Without a KDC, the way to get there is a credential cache that
 * holds an unexpired ticket-granting ticket: MIT Kerberos accepts the cache without contacting
 * anyone, and the ticket's bytes are never used because the gateway answers the request with N.
 * This writes such a cache in MIT's FILE ccache format, version 4 (big-endian), see
 * https://web.mit.edu/kerberos/krb5-latest/doc/formats/ccache_file_format.html
 */
export async function writeFakeTgtCache(path: string, opts: { user?: string; realm?: string; lifetimeSeconds?: number } = {}): Promise<void> {
  const user = opts.user ?? 'demo';
  const realm = opts.realm ?? 'JSM-PG.TEST';
  const now = Math.floor(Date.now() / 1000);
  const end = now + (opts.lifetimeSeconds ?? 3600);

  const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
  };
  const counted = (data: Buffer | string) => {
    const b = typeof data === 'string' ? Buffer.from(data) : data;
    return Buffer.concat([u32(b.length), b]);
  };
  const KRB5_NT_PRINCIPAL = 1;
  const KRB5_NT_SRV_INST = 2;
  const principal = (type: number, components: string[]) => Buffer.concat([u32(type), u32(components.length), counted(realm), ...components.map(counted)]);
  const client = principal(KRB5_NT_PRINCIPAL, [user]);
  const tgs = principal(KRB5_NT_SRV_INST, ['krbtgt', realm]);
  const AES256_CTS_HMAC_SHA1 = 18;

  const credential = Buffer.concat([
    client,
    tgs,
    u16(AES256_CTS_HMAC_SHA1), // keyblock: enctype, then the key
    counted(Buffer.alloc(32)),
    u32(now), // authtime
    u32(now), // starttime
    u32(end), // endtime
    u32(end), // renew_till
    Buffer.from([0]), // is_skey
    u32(0x40e10000), // ticket flags: forwardable, renewable, initial, pre-authent
    u32(0), // addresses
    u32(0), // authdata
    counted(Buffer.from('not a real ticket')),
    counted(Buffer.alloc(0)), // second ticket
  ]);
  const header = Buffer.concat([u16(0x0504), u16(0)]); // version 4, no header tags
  await writeFile(path, Buffer.concat([header, client, credential]), { mode: 0o600 });
}
