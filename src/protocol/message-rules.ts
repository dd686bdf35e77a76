/**
 * Which messages a connection accepts in each state, and how long they may be: the checks run on
 * every header before its body is read, and on every body before the session or the engine sees
 * it. Anything else is a protocol violation that ends the connection, as in PostgreSQL.
 */
import { PgError, SqlState } from '../errors/index.ts';
import type { FrameHeader } from './framing.ts';
import * as fe from './frontend-messages.ts';

/** PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
export const MAX_STARTUP_PACKET = 10_000;
/** PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH: the SASL messages before login. */
export const MAX_AUTH_MESSAGE = 65_535;
/** PostgreSQL's PQ_SMALL_MESSAGE_LIMIT: messages that carry neither SQL nor data. */
export const MAX_SMALL_MESSAGE = 10_000;
export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;

/** startup: untyped packets (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest); auth: SASL; ready: logged in. */
export type ConnectionPhase = 'startup' | 'auth' | 'ready';

interface Rule {
  /** Statement text or data: bounded by the configured maximum rather than MAX_SMALL_MESSAGE. */
  readonly large: boolean;
  readonly decode: (msg: Uint8Array) => unknown;
}

const C = fe.FrontendCode;
const empty = (what: string) => (msg: Uint8Array) => fe.readEmpty(msg, what);

/** The frontend messages of protocol 3.0 after login (PostgreSQL's PostgresMain accepts the same set). */
const AFTER_LOGIN = new Map<number, Rule>([
  [C.Query, { large: true, decode: fe.readQuery }],
  [C.Parse, { large: true, decode: fe.readParse }],
  [C.Bind, { large: true, decode: fe.readBind }],
  [C.CopyData, { large: true, decode: () => undefined }],
  [C.FunctionCall, { large: true, decode: fe.readFunctionCall }],
  [C.Execute, { large: false, decode: fe.readExecute }],
  [C.Describe, { large: false, decode: fe.readDescribe }],
  [C.Close, { large: false, decode: fe.readClose }],
  [C.CopyFail, { large: false, decode: fe.readCopyFail }],
  [C.Sync, { large: false, decode: empty('Sync') }],
  [C.Flush, { large: false, decode: empty('Flush') }],
  [C.Terminate, { large: false, decode: empty('Terminate') }],
  [C.CopyDone, { large: false, decode: empty('CopyDone') }],
]);

const typeName = (type: number) => (type >= 0x21 && type <= 0x7e ? `"${String.fromCharCode(type)}"` : `0x${type.toString(16).padStart(2, '0')}`);
const violation = (message: string) => new PgError(SqlState.ProtocolViolation, message);

/** Refuses, before its body is read, a message the connection may not receive in `phase`. */
export function checkHeader(phase: ConnectionPhase, header: FrameHeader, maxMessageSize: number): void {
  const { type, length } = header;
  if (phase === 'startup') {
    // A code (4 bytes) after the length is the least a startup-phase packet holds.
    if (type !== null || length < 8 || length > MAX_STARTUP_PACKET) throw violation('invalid length of startup packet');
    return;
  }
  if (type === null) throw violation('expected a typed message');
  if (phase === 'auth') {
    if (type !== C.Password) throw violation(`expected SASL response, got message type ${typeName(type)}`);
    if (length > MAX_AUTH_MESSAGE) throw violation('invalid SASL response length');
    return;
  }
  const rule = AFTER_LOGIN.get(type);
  if (!rule) throw violation(`invalid frontend message type ${typeName(type)}`);
  if (!rule.large) {
    if (length > MAX_SMALL_MESSAGE) throw violation(`invalid message length for message type ${typeName(type)}`);
  } else if (length > maxMessageSize) {
    throw new PgError(SqlState.ProgramLimitExceeded, `message of ${length} bytes exceeds the gateway's limit of ${maxMessageSize} bytes`, {
      hint: 'The limit is the server option --max-message-size.',
    });
  }
}

/** Refuses a logged-in client's message whose body does not match its type's layout. */
export function checkMessage(msg: Uint8Array): void {
  AFTER_LOGIN.get(msg[0]!)!.decode(msg);
}
