import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { closeSignal, PostgresConnection } from 'pg-gateway';
import type { Logger } from 'pino';
import { PgError, SqlState, toPgError } from '../errors/index.ts';
import * as be from '../protocol/backend-messages.ts';
import * as fe from '../protocol/frontend-messages.ts';
import { ScramExchange, type ScramVerifier } from './scram.ts';
import { tlsUpgrade } from './tls-upgrade.ts';

export interface SessionLike {
  readonly pid: number;
  readonly secret: number;
  handle(msg: Uint8Array): AsyncGenerator<Uint8Array>;
  cancel(): void;
  close(): Promise<void>;
}

export interface ConnectionContext {
  logger: Logger;
  tls?: { key: ArrayBuffer; cert: ArrayBuffer };
  /** Refuse startups that did not upgrade to TLS first. */
  tlsRequired?: boolean;
  /** tls-server-end-point data of the TLS certificate, for SCRAM-SHA-256-PLUS. */
  channelBinding?: Buffer;
  verifier(user: string): ScramVerifier | undefined;
  /** Reserves a session slot; false when the limit is reached. */
  admit(): boolean;
  /** Starts a session (acquires its engine); the returned startup messages follow AuthenticationOk. */
  openSession(params: Record<string, string>): Promise<{ session: SessionLike; startup: Uint8Array[] }>;
  sessionClosed(session: SessionLike | undefined): void;
  cancel(pid: number, secret: number): void;
}

type Phase = 'startup' | 'sasl-initial' | 'sasl-final' | 'ready' | 'closed';

/** One client socket: startup, SCRAM, cancel routing, then every message goes to its session. */
export async function serveConnection(socket: Socket, ctx: ConnectionContext): Promise<void> {
  let phase: Phase = 'startup';
  let params: Record<string, string> = {};
  let scram: ScramExchange | undefined;
  let overTls = false;
  let session: SessionLike | undefined;
  let admitted = false;
  const log = ctx.logger.child({ remote: `${socket.remoteAddress}:${socket.remotePort}` });

  const finish = () => {
    if (phase === 'closed') return;
    phase = 'closed';
    if (admitted) ctx.sessionClosed(session);
    session?.close().catch((err) => log.warn({ err }, 'session close failed'));
  };
  socket.on('close', finish);
  socket.on('error', (err) => log.debug({ err }, 'socket error'));

  function* fatal(err: PgError): Generator<Uint8Array | typeof closeSignal> {
    yield be.errorResponse(err, 'FATAL');
    yield closeSignal;
  }

  async function* onMessage(msg: Uint8Array, hasStarted: boolean): AsyncGenerator<Uint8Array | typeof closeSignal> {
    if (!hasStarted) {
      const code = fe.startupCode(msg);
      if (code === fe.StartupCode.GssEncRequest) return yield Buffer.from('N');
      if (code === fe.StartupCode.CancelRequest) {
        const { pid, secret } = fe.readCancelRequest(msg);
        ctx.cancel(pid, secret);
        return yield closeSignal;
      }
      if (code !== fe.StartupCode.Protocol3)
        return yield* fatal(new PgError(SqlState.ProtocolViolation, `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}`));
      params = fe.readStartupParams(msg);
      if (ctx.tlsRequired && !overTls)
        return yield* fatal(new PgError(SqlState.InvalidAuthorizationSpecification, 'this gateway accepts only TLS connections', { hint: 'Connect with sslmode=require (or verify-full).' }));
      if (!params.user) return yield* fatal(new PgError(SqlState.InvalidAuthorizationSpecification, 'no PostgreSQL user name specified in startup packet'));
      if (!ctx.admit())
        return yield* fatal(new PgError(SqlState.TooManyConnections, 'sorry, too many clients already'));
      admitted = true;
      scram = new ScramExchange(ctx.verifier(params.user), overTls ? ctx.channelBinding : undefined);
      phase = 'sasl-initial';
      return yield be.authenticationSasl(scram.mechanisms());
    }
    switch (phase) {
      case 'sasl-initial': {
        const { mechanism, data } = fe.readSaslInitial(msg);
        if (!scram!.mechanisms().includes(mechanism))
          return yield* fatal(new PgError(SqlState.InvalidAuthorizationSpecification, `unsupported SASL mechanism ${mechanism}`));
        phase = 'sasl-final';
        let serverFirst: string;
        try {
          serverFirst = scram!.serverFirstMessage(data, mechanism);
        } catch (err) {
          return yield* fatal(new PgError(SqlState.InvalidAuthorizationSpecification, (err as Error).message));
        }
        return yield be.authenticationSaslContinue(serverFirst);
      }
      case 'sasl-final': {
        const final = scram!.verifyClientFinal(fe.readSaslResponse(msg));
        if (!final) {
          log.info({ user: params.user }, 'password authentication failed');
          return yield* fatal(new PgError(SqlState.InvalidPassword, `password authentication failed for user "${params.user}"`));
        }
        yield be.authenticationSaslFinal(final);
        yield be.authenticationOk();
        try {
          const opened = await ctx.openSession(params);
          session = opened.session;
          if (phase !== 'sasl-final') {
            // the client went away while the engine was being handed out
            finish();
            return;
          }
          phase = 'ready';
          log.info({ user: params.user, database: params.database, application: params.application_name, pid: session.pid }, 'session started');
          for (const m of opened.startup) yield m;
        } catch (err) {
          log.error({ err }, 'session start failed');
          return yield* fatal(toPgError(err));
        }
        return;
      }
      case 'ready': {
        if (msg[0] === fe.FrontendCode.Terminate) return yield closeSignal;
        yield* session!.handle(msg);
        return;
      }
      default:
        return yield* fatal(new PgError(SqlState.ProtocolViolation, 'unexpected message'));
    }
  }

  const upgradeTls = tlsUpgrade((err) => {
    log.info({ err: err instanceof Error ? err.message : String(err) }, 'TLS handshake failed');
    socket.destroy();
  });
  new PostgresConnection(Duplex.toWeb(socket) as never, {
    tls: ctx.tls,
    onMessage(msg, state) {
      // Returning a non-empty iterable tells pg-gateway the message is handled; pg-gateway keeps framing and TLS.
      overTls = Boolean(state.tlsInfo);
      const out = onMessage(msg, state.hasStarted);
      return withFallback(out, msg, state.hasStarted);
    },
  }, { upgradeTls });

  async function* withFallback(out: AsyncGenerator<Uint8Array | typeof closeSignal>, msg: Uint8Array, hasStarted: boolean) {
    if (!hasStarted && fe.startupCode(msg) === fe.StartupCode.SslRequest) return; // pg-gateway answers S/N and upgrades
    let any = false;
    for await (const chunk of out) {
      any = true;
      yield chunk as Uint8Array;
    }
    // pg-gateway treats a message as handled when the generator yields or returns a value; returning
    // a non-buffer writes nothing (an empty write per buffered Parse/Bind/Execute would cost a socket write each).
    if (!any) return true;
  }
}
