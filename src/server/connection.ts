import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { PgError, SqlState, toPgError } from '../errors/index.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import * as be from '../protocol/backend-messages.ts';
import { foreignProtocol } from '../protocol/foreign-protocol.ts';
import { FrameReader } from '../protocol/framing.ts';
import * as fe from '../protocol/frontend-messages.ts';
import { checkHeader, checkMessage, type ConnectionPhase } from '../protocol/message-rules.ts';
import { tooManyClients, type LoginLimits, type Release } from './login-limits.ts';
import { ScramExchange, type ScramVerifier } from './scram.ts';
import { StatementClock } from './statement-clock.ts';
import { upgradeToTls } from './tls-upgrade.ts';

export interface SessionLike {
  readonly pid: number;
  readonly secret: number;
  handle(msg: Uint8Array): AsyncGenerator<Uint8Array>;
  /** The session ended itself (its engine stopped, after a FATAL it sent): the connection closes. */
  readonly ended: boolean;
  cancel(): void;
  close(): Promise<void>;
}

export interface ConnectionContext {
  logger: Logger;
  /** Present when the gateway has a certificate: SSLRequest is then answered 'S'. */
  tls?: SecureContext;
  /** Refuse startups that did not upgrade to TLS first. */
  tlsRequired?: boolean;
  /** tls-server-end-point data of the TLS certificate, for SCRAM-SHA-256-PLUS. */
  channelBinding?: Buffer;
  /** Largest Query, Parse, Bind, CopyData or FunctionCall message accepted, in bytes. */
  maxMessageSize: number;
  /** A connection that has not authenticated by then is closed. */
  authTimeoutMs: number;
  limits: LoginLimits;
  /** The user's verifier; may first re-read the users file (a user added while the gateway runs). */
  verifier(user: string): ScramVerifier | undefined | Promise<ScramVerifier | undefined>;
  /**
   * Passthrough logins (--passthrough): the user name and password are a JSM login, checked
   * against JSM; resolves to what openSession gets, throws 28P01 when JSM rejects them.
   */
  passthrough?(user: string, password: string): Promise<unknown>;
  /** Starts a session (acquires its engine); the returned startup messages follow AuthenticationOk. */
  openSession(params: Record<string, string>, login?: unknown): Promise<{ session: SessionLike; startup: Uint8Array[] }>;
  cancel(pid: number, secret: number): void;
  /** With --metrics-port: statements are counted and timed here, on the wire. */
  metrics?: GatewayMetrics;
}

type Phase = 'startup' | 'sasl-initial' | 'sasl-final' | 'password' | 'ready' | 'closed';

const RULES: Record<Exclude<Phase, 'closed'>, ConnectionPhase> = { startup: 'startup', 'sasl-initial': 'auth', 'sasl-final': 'auth', password: 'auth', ready: 'ready' };

/** Bytes read ahead while a message is being handled; beyond it the socket is paused (TCP pushes back on the client). */
const READ_AHEAD = 256 * 1024;
/** After a FATAL error, how long the client may keep sending (discarded) before the socket is destroyed: closing with unread input would reset the connection and could lose the error. */
const LINGER_MS = 2000;

const violation = (message: string) => new PgError(SqlState.ProtocolViolation, message);

/** Serves one client socket until it closes; never throws and never rejects. */
export function serveConnection(socket: Socket, ctx: ConnectionContext): void {
  new ClientConnection(socket, ctx).start();
}

/**
 * One client: startup-phase packets (TLS and GSSAPI negotiation, cancel, startup), SCRAM, then the
 * session. Every byte passes the framing and message rules before anything acts on it.
 */
class ClientConnection {
  private phase: Phase = 'startup';
  private stream: Socket | TLSSocket;
  private readonly reader: FrameReader;
  private readonly address: string;
  private readonly log: Logger;
  private sslDone = false;
  /** Between the 'S' answer and the end of the TLS handshake: nothing readable can be sent then. */
  private tlsHandshaking = false;
  private gssDone = false;
  private params: Record<string, string> = {};
  private scram?: ScramExchange;
  private session?: SessionLike;
  private clock?: StatementClock;
  private releaseHandshake?: Release;
  private releaseSession?: Release;
  private authTimer?: NodeJS.Timeout;
  private lingerTimer?: NodeJS.Timeout;
  private wake?: () => void;
  private busy = false;
  private paused = false;
  /** For the session-end line: when the session started, Query and Execute messages it ran, how it ended. */
  private sessionStart = 0;
  private queries = 0;
  private ending?: { reason: 'terminate' | 'fatal' | 'engine stopped'; code?: string };

  constructor(private readonly socket: Socket, private readonly ctx: ConnectionContext) {
    this.stream = socket;
    this.address = socket.remoteAddress ?? 'unknown';
    this.log = ctx.logger.child({ remote: `${this.address}:${socket.remotePort}` });
    this.reader = new FrameReader((header) => checkHeader(RULES[this.phase as Exclude<Phase, 'closed'>], header, ctx.maxMessageSize));
  }

  start(): void {
    // The raw socket closes in every case, TLS or not.
    this.socket.on('close', () => this.finish());
    this.listen(this.socket);
    this.releaseHandshake = this.ctx.limits.handshakes.take();
    if (!this.releaseHandshake) {
      this.log.info({ limit: this.ctx.limits.handshakes.max }, 'connection refused: too many connections logging in');
      this.close(be.errorResponse(new PgError(SqlState.TooManyConnections, 'sorry, too many connections are logging in at once'), 'FATAL'));
      return;
    }
    this.authTimer = setTimeout(() => this.authTimeout(), this.ctx.authTimeoutMs);
    void this.pump();
  }

  private listen(stream: Socket | TLSSocket): void {
    stream.on('data', this.onData);
    stream.on('error', (err) => this.log.debug({ err: err.message }, 'socket error'));
  }

  private readonly onData = (chunk: Buffer) => {
    if (this.phase === 'closed') return; // lingering after a FATAL error: discard
    this.reader.push(chunk);
    if (this.busy && !this.paused && this.reader.buffered > READ_AHEAD) {
      this.stream.pause();
      this.paused = true;
    }
    this.notify();
  };

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Handles messages one at a time, in order, each only once it is whole and has passed the rules. */
  private async pump(): Promise<void> {
    while (this.phase !== 'closed') {
      let msg: Buffer | undefined;
      try {
        msg = this.reader.next();
      } catch (err) {
        this.refuseBytes(err);
        return;
      }
      if (!msg) {
        if (this.paused) {
          this.paused = false;
          this.stream.resume();
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      this.busy = true;
      try {
        await this.dispatch(msg);
      } catch (err) {
        this.fail(err);
      }
      this.busy = false;
    }
  }

  private dispatch(msg: Buffer): Promise<void> | void {
    switch (this.phase) {
      case 'startup': return this.onStartupPacket(msg);
      case 'sasl-initial': return this.onSaslInitial(msg);
      case 'sasl-final': return this.onSaslFinal(msg);
      case 'password': return this.onPassword(msg);
      case 'ready': return this.onMessage(msg);
    }
  }

  /** A header the rules refused. The first bytes of a connection may not be PostgreSQL at all. */
  private refuseBytes(err: unknown): void {
    const foreign = this.phase === 'startup' ? foreignProtocol(this.reader.peek(8)) : undefined;
    if (foreign) {
      this.log.info({ reason: foreign }, 'connection closed: not a PostgreSQL client');
      this.phase = 'closed';
      this.stream.destroy();
      return;
    }
    this.fail(err);
  }

  /** Ends the connection with a FATAL ErrorResponse. Only unexpected failures are logged with their stack. */
  private fail(err: unknown): void {
    const pgErr = toPgError(err);
    this.ending ??= { reason: 'fatal', code: pgErr.code };
    if (err instanceof PgError) this.log.info({ code: pgErr.code, reason: pgErr.message }, 'connection closed');
    else this.log.error({ err }, 'connection failed');
    this.close(be.errorResponse(pgErr, 'FATAL'));
  }

  private onStartupPacket(msg: Buffer): Promise<void> | void {
    const packet = fe.readStartupPacket(msg);
    switch (packet.kind) {
      case 'ssl':
        if (this.sslDone) throw violation('SSLRequest after encryption negotiation');
        this.sslDone = true;
        if (!this.ctx.tls) return this.write(Buffer.from('N'));
        // Bytes that came with the request would be read as if they had been encrypted (CVE-2021-23214).
        if (this.reader.buffered > 0) throw violation('received unencrypted data after SSL request');
        this.write(Buffer.from('S'));
        this.startTls(this.ctx.tls);
        return;
      case 'gssenc':
        if (this.gssDone || this.overTls) throw violation('GSSENCRequest after encryption negotiation');
        this.gssDone = true;
        return this.write(Buffer.from('N'));
      case 'cancel':
        this.ctx.cancel(packet.pid, packet.secret);
        return this.close();
      case 'startup':
        return this.onStartup(packet.minor, packet.params);
    }
  }

  private get overTls(): boolean {
    return this.stream !== this.socket;
  }

  private startTls(secureContext: SecureContext): void {
    this.socket.off('data', this.onData);
    this.tlsHandshaking = true;
    const tls = upgradeToTls(this.socket, secureContext, (reason) => this.log.info({ reason }, 'TLS handshake failed'));
    tls.once('secure', () => (this.tlsHandshaking = false));
    this.stream = tls;
    this.listen(tls);
  }

  private async onStartup(minor: number, params: Record<string, string>): Promise<void> {
    if (this.ctx.tlsRequired && !this.overTls)
      throw new PgError(SqlState.InvalidAuthorizationSpecification, 'this gateway accepts only TLS connections', { hint: 'Connect with sslmode=require (or verify-full).' });
    if (!params.user) throw new PgError(SqlState.InvalidAuthorizationSpecification, 'no PostgreSQL user name specified in startup packet');
    const refusal = this.ctx.limits.failures.refusal(this.address) ?? this.ctx.limits.sessionRefusal();
    if (refusal) throw refusal;
    this.params = params;
    const unknownOptions = Object.keys(params).filter((k) => k.startsWith('_pq_.'));
    if (minor > 0 || unknownOptions.length > 0) this.write(be.negotiateProtocolVersion(0, unknownOptions));
    if (this.ctx.passthrough) {
      this.phase = 'password';
      this.reader.typed = true;
      this.write(be.authenticationCleartextPassword());
      return;
    }
    const verifier = await this.ctx.verifier(params.user);
    if (this.phase === 'closed') return; // the client went away while the users file was read
    this.scram = new ScramExchange(verifier, this.overTls ? this.ctx.channelBinding : undefined);
    this.phase = 'sasl-initial';
    this.reader.typed = true;
    this.write(be.authenticationSasl(this.scram.mechanisms()));
  }

  private onSaslInitial(msg: Buffer): void {
    const { mechanism, data } = fe.readSaslInitial(msg);
    const scram = this.scram!;
    if (!scram.mechanisms().includes(mechanism))
      throw new PgError(SqlState.InvalidAuthorizationSpecification, `unsupported SASL mechanism ${mechanism}`);
    let serverFirst: string;
    try {
      serverFirst = scram.serverFirstMessage(data, mechanism);
    } catch (err) {
      throw new PgError(SqlState.InvalidAuthorizationSpecification, (err as Error).message);
    }
    this.phase = 'sasl-final';
    this.write(be.authenticationSaslContinue(serverFirst));
  }

  private async onSaslFinal(msg: Buffer): Promise<void> {
    // Checked again here: guesses started in parallel before the address reached the limit stop too.
    const refusal = this.ctx.limits.failures.refusal(this.address);
    if (refusal) throw refusal;
    const final = this.scram!.verifyClientFinal(fe.readSaslResponse(msg));
    const user = this.params.user;
    if (!final) {
      this.ctx.limits.failures.record(this.address);
      throw new PgError(SqlState.InvalidPassword, `password authentication failed for user "${user}"`);
    }
    // SASL final, AuthenticationOk and the startup messages leave in one write (one wake-up of the client, not a dozen)
    this.stream.cork();
    try {
      this.write(be.authenticationSaslFinal(final));
      await this.loggedIn();
    } finally {
      this.uncork();
    }
  }

  /** Undoes a cork() unless end() already flushed the stream (a FATAL on the way). */
  private uncork(): void {
    if (this.stream.writableCorked > 0) this.stream.uncork();
  }

  /** A passthrough login: the password goes to JSM, which says whether the user is who they claim. */
  private async onPassword(msg: Buffer): Promise<void> {
    const refusal = this.ctx.limits.failures.refusal(this.address);
    if (refusal) throw refusal;
    const password = fe.readPasswordMessage(msg);
    const user = this.params.user!;
    let login: unknown;
    try {
      login = await this.ctx.passthrough!(user, password);
    } catch (err) {
      if (err instanceof PgError && err.code === SqlState.InvalidPassword) this.ctx.limits.failures.record(this.address);
      throw err;
    }
    if (this.phase === 'closed') return;
    this.stream.cork();
    try {
      await this.loggedIn(login);
    } finally {
      this.uncork();
    }
  }

  private async loggedIn(login?: unknown): Promise<void> {
    const user = this.params.user;
    clearTimeout(this.authTimer);
    this.releaseHandshake?.();
    // The session slot is taken only now: clients that never authenticate cannot lock others out.
    this.releaseSession = this.ctx.limits.sessions.take();
    if (!this.releaseSession) throw tooManyClients(this.ctx.limits.sessions.max);
    this.write(be.authenticationOk());
    const { session, startup } = await this.ctx.openSession(this.params, login);
    if (this.phase === 'closed') {
      // the client went away while the engine was being handed out
      await session.close();
      return;
    }
    this.session = session;
    if (this.ctx.metrics) this.clock = new StatementClock(this.ctx.metrics);
    this.phase = 'ready';
    this.sessionStart = performance.now();
    this.log.info({ user, database: this.params.database, application: this.params.application_name, backendPid: session.pid }, 'session started');
    for (const m of startup) this.write(m);
  }

  private async onMessage(msg: Buffer): Promise<void> {
    checkMessage(msg);
    if (msg[0] === fe.FrontendCode.Terminate) {
      this.ending ??= { reason: 'terminate' };
      return this.close();
    }
    if (msg[0] === fe.FrontendCode.Query || msg[0] === fe.FrontendCode.Execute) this.queries++;
    this.clock?.received(msg[0]!);
    for await (const out of this.session!.handle(msg)) {
      if (this.phase === 'closed') return;
      this.clock?.sent(out);
      if (out.length > 0 && !this.stream.write(out)) await this.drained();
    }
    if (this.session?.ended) {
      this.ending ??= { reason: 'engine stopped' };
      return this.close();
    }
  }

  private write(bytes: Uint8Array): void {
    if (this.phase !== 'closed') this.stream.write(bytes);
  }

  private drained(): Promise<void> {
    const stream = this.stream;
    return new Promise((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
    });
  }

  private authTimeout(): void {
    if (this.phase === 'closed') return;
    this.log.info({ phase: this.phase, timeoutMs: this.ctx.authTimeoutMs }, 'connection closed: authentication timeout');
    if (this.tlsHandshaking) return void this.stream.destroy();
    this.close(be.errorResponse(violation('canceling authentication due to timeout'), 'FATAL'));
  }

  /** Sends `last` (if any), ends the connection and gives back its slots now, not when the client closes. */
  private close(last?: Uint8Array): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.releaseSlots();
    this.notify();
    if (this.paused) this.stream.resume();
    if (last) this.stream.end(last);
    else this.stream.end();
    this.lingerTimer = setTimeout(() => this.stream.destroy(), LINGER_MS);
  }

  private releaseSlots(): void {
    clearTimeout(this.authTimer);
    this.releaseHandshake?.();
    this.releaseSession?.();
  }

  private finish(): void {
    this.phase = 'closed';
    this.releaseSlots();
    clearTimeout(this.lingerTimer);
    this.notify();
    const session = this.session;
    this.session = undefined;
    if (session) {
      // 'disconnect': the socket closed without a Terminate (client gone, network, gateway shutdown)
      const { reason, code } = this.ending ?? { reason: 'disconnect' };
      const durationMs = Math.round(performance.now() - this.sessionStart);
      this.log.info({ user: this.params.user, backendPid: session.pid, durationMs, queries: this.queries, reason, code }, 'session ended');
    }
    session?.close().catch((err) => this.log.warn({ err }, 'session close failed'));
  }
}
