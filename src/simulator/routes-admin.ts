/**
 * The unauthenticated admin API under /__sim/: call log, faults, dataset
 * export and reset. It bypasses faults and is not itself logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildDataset } from './dataset.ts';
import { ApiError } from './errors.ts';
import { parseJsonBody, readBody, sendJson } from './http-io.ts';
import type { AdminHandler, SimulatorCore } from './server.ts';
import type { SimFaults } from './types.ts';

type AdminReply = { status: number; body?: unknown };

async function route(core: SimulatorCore, reset: () => void, req: IncomingMessage, url: URL): Promise<AdminReply> {
  const key = `${req.method} ${url.pathname.replace(/\/$/, '')}`;
  switch (key) {
    case 'GET /__sim/calls':
      return { status: 200, body: core.calls.list() };
    case 'DELETE /__sim/calls':
      core.calls.clear();
      return { status: 204 };
    case 'GET /__sim/faults':
      return { status: 200, body: core.faults.get() };
    case 'PUT /__sim/faults': {
      try {
        core.faults.set(parseJsonBody(await readBody(req)) as Partial<SimFaults>);
      } catch (err) {
        if (err instanceof RangeError) return { status: 400, body: { error: err.message } };
        throw err;
      }
      core.logger?.info({ faults: core.faults.get() }, 'simulator faults changed');
      return { status: 200, body: core.faults.get() };
    }
    case 'GET /__sim/dataset':
      return { status: 200, body: buildDataset(core.store, core.origin()) };
    case 'POST /__sim/reset':
      reset();
      return { status: 204 };
    default:
      return { status: 404, body: { error: `No admin endpoint ${key}.` } };
  }
}

export function createAdminHandler(core: SimulatorCore, reset: () => void): AdminHandler {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    let reply: AdminReply;
    try {
      reply = await route(core, reset, req, url);
    } catch (err) {
      reply = err instanceof ApiError ? { status: err.status, body: { error: err.message } } : { status: 500, body: { error: String(err) } };
    }
    await sendJson(res, reply.status, reply.body, {}, 0);
  };
}
