/** Reading request bodies and writing JSON responses, optionally trickled to simulate a slow network. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, ApiError } from './errors.ts';

/** Above the 60-file attachment limit of real sites, below anything harmful to the host. */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'The request body is too large.', 'sd.api.request.too.large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // falls through to the 400 below
  }
  throw badRequest('The request body is not a valid JSON object.', 'sd.api.request.body.invalid');
}

export async function parseFormBody(body: Buffer, contentType: string | undefined): Promise<FormData> {
  try {
    return await new Request('http://simulator.invalid/', { method: 'POST', headers: { 'content-type': contentType ?? '' }, body }).formData();
  } catch {
    throw badRequest('The request is not valid multipart/form-data.', 'sd.api.attachment.multipart.invalid');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Sends status, headers and JSON body. With slowBodyMs > 0 the headers go out
 * at once (with the full Content-Length) and the body follows in ten slices.
 */
export async function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
  slowBodyMs: number,
): Promise<void> {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...(payload.length > 0 ? { 'Content-Type': 'application/json;charset=UTF-8' } : {}),
    'Content-Length': String(payload.length),
    ...headers,
  });
  if (slowBodyMs <= 0 || payload.length === 0) {
    res.end(payload);
    return;
  }
  const step = Math.ceil(payload.length / Math.min(10, payload.length));
  const slices = Math.ceil(payload.length / step);
  const started = Date.now();
  // The last slice goes out at the deadline (a client has the body only once every byte arrived);
  // deadlines rather than fixed sleeps keep timer jitter from delivering it early.
  for (let i = 0; i < slices; i++) {
    await sleep(started + (slices === 1 ? slowBodyMs : (i * slowBodyMs) / (slices - 1)) - Date.now());
    if (res.destroyed) return;
    res.write(payload.subarray(i * step, (i + 1) * step));
  }
  res.end();
}
