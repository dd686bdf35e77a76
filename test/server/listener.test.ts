import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listen } from '../../src/server/listener.ts';

describe('listen: the port bound before the gateway is ready', () => {
  it('holds connections that arrive before serve() and hands them over with what they sent', async () => {
    const listener = await listen('127.0.0.1', 0);
    try {
      const client = connect(listener.port, '127.0.0.1');
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      client.write('early bytes');
      await new Promise((r) => setTimeout(r, 50));
      const received = new Promise<string>((resolve) => {
        listener.serve((socket: Socket) => socket.once('data', (d: Buffer) => resolve(d.toString())));
      });
      expect(await received).toBe('early bytes');
      client.destroy();
    } finally {
      await listener.close();
    }
  });

  it('a port in use is an error that names it and suggests --port', async () => {
    const first = await listen('127.0.0.1', 0);
    try {
      await expect(listen('127.0.0.1', first.port)).rejects.toMatchObject({
        message: `cannot listen on 127.0.0.1:${first.port}: port ${first.port} is already in use (another PostgreSQL server or jsm-pg?)`,
        fields: { hint: expect.stringContaining('--port') },
      });
    } finally {
      await first.close();
      await first.close(); // closing twice is harmless
    }
  });
});
