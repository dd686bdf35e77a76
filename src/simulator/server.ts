/**
 * The request pipeline: admin API bypass, call logging, faults (rate limit,
 * latency, reset, 5xx, write errors, lost write responses), authentication,
 * experimental and XSRF gates, routing, and the response (optionally trickled).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, describeIdentity, type AuthResult } from './auth.ts';
import { CallLog, queryObject, type SimCall } from './call-log.ts';
import { ApiError, errorBody, forbidden, notFound, unauthorized } from './errors.ts';
import { isWriteCall, type FaultController } from './faults.ts';
import { sessionAuth, type JsmSessions } from './idp-jsm-sessions.ts';
import type { SimOAuth1Provider } from './oauth1-provider.ts';
import { readBody, parseFormBody, parseJsonBody, sendJson } from './http-io.ts';
import { parseAcceptLanguage } from './i18n.ts';
import type { SimUser } from './model.ts';
import type { Reply, RouteContext, Router } from './router.ts';
import type { SpecIndex } from './spec-index.ts';
import type { Store } from './store.ts';
import type { SimLogger } from './types.ts';

export interface SimulatorCore {
  store: Store;
  router: Router;
  spec: SpecIndex;
  faults: FaultController;
  calls: CallLog;
  logger?: SimLogger;
  /** Largest inline page of expanded collections (SimulatorOptions.inlinePageSize). */
  inlinePageSize?: number;
  /** JSESSIONIDs from SAML logins, when the simulator runs identity providers. */
  sessions?: JsmSessions;
  /** Jira's OAuth 1.0a provider (application links): token endpoints and signed API calls. */
  oauth1?: SimOAuth1Provider;
  origin(): string;
}

export type AdminHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Stands in for the viewer on routes that need no login; it can see nothing private. */
const ANONYMOUS: SimUser = {
  accountId: '',
  username: '',
  email: '',
  displayName: 'Anonymous',
  timeZone: 'UTC',
  locale: 'en_US',
  active: true,
  kind: 'customer',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const EXPERIMENTAL_REFUSAL = new ApiError(
  412,
  'This API is experimental. Experimental APIs are not guaranteed to be stable within the preview period. ' +
    "You must set the header 'X-ExperimentalApi: opt-in' to opt into using this API.",
  'sd.api.experimental.optin.required',
);

async function dispatch(core: SimulatorCore, req: IncomingMessage, url: URL, body: Buffer, auth: AuthResult): Promise<Reply> {
  const method = req.method ?? 'GET';
  const match = core.router.match(method, url.pathname);
  if (!match.route) {
    if (core.spec.defines(method, url.pathname)) {
      return { status: 501, body: errorBody(`The simulator does not implement ${method} ${url.pathname}.`, 'sd.api.simulator.not.implemented') };
    }
    if (match.pathKnown) return { status: 405, body: errorBody(`Method ${method} is not allowed here.`, 'sd.api.method.not.allowed') };
    throw notFound(`No resource at ${url.pathname}.`, 'sd.api.resource.not.found', [url.pathname]);
  }
  const route = match.route;
  if (auth === 'invalid' || (auth === 'missing' && !route.anonymous)) throw unauthorized();
  const header = (name: string) => String(req.headers[name] ?? '').toLowerCase();
  if (route.experimental && header('x-experimentalapi') !== 'opt-in') throw EXPERIMENTAL_REFUSAL;
  if (route.xsrf && header('x-atlassian-token') !== 'no-check') throw forbidden('XSRF check failed', 'sd.api.xsrf.check.failed');
  const user = typeof auth === 'string' ? undefined : auth.user;
  const ctx: RouteContext = {
    method,
    url,
    params: match.params,
    query: url.searchParams,
    headers: req.headers,
    user,
    view: { origin: core.origin(), lang: parseAcceptLanguage(req.headers['accept-language']), viewer: user ?? ANONYMOUS, store: core.store, inlinePageSize: core.inlinePageSize },
    json: () => parseJsonBody(body),
    form: () => parseFormBody(body, req.headers['content-type']),
  };
  return route.handler(ctx);
}

function toReply(err: unknown, core: SimulatorCore): Reply {
  if (err instanceof ApiError) return { status: err.status, body: err.body(), headers: err.headers };
  if (err instanceof URIError) return { status: 400, body: errorBody('The request path is not validly encoded.', 'sd.api.request.invalid') };
  core.logger?.info({ err: String(err) }, 'simulator handler failed');
  return { status: 500, body: errorBody('Internal server error.', 'sd.api.internal.error') };
}

/** What the pipeline does with a call: answer it, or destroy its socket without a byte (a reset). */
type Outcome = { reply: Reply } | { drop: true };

const simulatedFailure = (status: number, message: string): Reply => ({ status, body: errorBody(message, 'sd.api.simulated.failure') });

async function dispatchOrError(core: SimulatorCore, req: IncomingMessage, url: URL, body: Buffer, auth: AuthResult): Promise<Reply> {
  try {
    return await dispatch(core, req, url, body, auth);
  } catch (err) {
    return toReply(err, core);
  }
}

/** Rate limit, latency and the seeded fault decision, then the route; marks the call with any fault. */
async function handle(core: SimulatorCore, req: IncomingMessage, url: URL, call: SimCall, auth: AuthResult): Promise<Outcome> {
  const body = await readBody(req);
  const faults = core.faults.get();
  const token = core.faults.takeToken();
  if (!token.ok) {
    call.fault = 'rate-limit';
    return {
      reply: {
        status: 429,
        body: errorBody('Rate limit exceeded. Retry after the time given in the Retry-After header.', 'sd.api.rate.limit.exceeded'),
        headers: { 'Retry-After': String(token.retryAfterSeconds) },
      },
    };
  }
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  const decision = core.faults.decide(isWriteCall(call.method, url.pathname));
  switch (decision.kind) {
    case 'reset':
      call.fault = 'reset';
      return { drop: true };
    case 'error':
      call.fault = 'error';
      return { reply: simulatedFailure(decision.status, 'The service is temporarily unavailable (simulated).') };
    case 'write-error':
      // Answered before the route runs: nothing was applied, so a retry is safe.
      call.fault = 'write-error';
      return { reply: simulatedFailure(500, 'The write failed and was not applied (simulated).') };
    case 'lost-response': {
      const reply = await dispatchOrError(core, req, url, body, auth);
      // Only an applied write loses its answer; a refused one (4xx) changed nothing and answers as usual.
      if (reply.status >= 300) return { reply };
      call.fault = 'lost-response';
      return { drop: true };
    }
    case 'ok':
      return { reply: await dispatch(core, req, url, body, auth) };
  }
}

export function createRequestListener(core: SimulatorCore, admin: AdminHandler) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', core.origin());
    if (url.pathname.startsWith('/__sim/')) return admin(req, res, url);
    if (core.oauth1?.owns(url.pathname)) return core.oauth1.handle(req, res, url, core.store);
    const method = req.method ?? 'GET';
    const oauth1 = core.oauth1?.authenticate(req, url, core.store);
    // Without an Authorization header Jira looks at the session cookie (an SSO login's JSESSIONID).
    const auth = oauth1 ? oauth1.auth : !req.headers.authorization && core.sessions ? sessionAuth(core.store, core.sessions, req.headers.cookie) : authenticate(core.store, req.headers.authorization);
    const call: SimCall = {
      method,
      path: url.pathname,
      query: queryObject(url.searchParams),
      status: 0,
      identity: describeIdentity(auth),
      undefinedBySpec: core.spec.isUndefined(method, url.pathname, url.searchParams),
      at: new Date().toISOString(),
    };
    core.calls.add(call);
    let reply: Reply;
    try {
      const outcome = await handle(core, req, url, call, auth);
      if ('drop' in outcome) {
        // status stays 0: the client got no response at all.
        req.socket.destroy();
        return;
      }
      reply = outcome.reply;
    } catch (err) {
      reply = toReply(err, core);
    }
    call.status = reply.status;
    const headers = { ...reply.headers };
    if (call.identity) headers['X-AACCOUNTID'] = call.identity.accountId;
    if (reply.status === 401 && oauth1?.problem) headers['WWW-Authenticate'] = `OAuth realm="${core.origin()}", oauth_problem="${oauth1.problem}"`;
    await sendJson(res, reply.status, reply.body, headers, core.faults.get().slowBodyMs);
  };
}
