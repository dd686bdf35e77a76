// Password entry for `jsm-pg user add`: the first line of a pipe, or a no-echo prompt
// on a terminal. Passwords never travel through argv, where `ps` would show them.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { PgError, SqlState } from '../errors/index.ts';

function inputError(message: string, hint?: string): PgError {
  return new PgError(SqlState.InvalidParameterValue, message, hint ? { hint } : {});
}

interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

/** The first line of `input` (without its line ending); stops reading after it. */
export function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const finish = (): void => {
      input.removeListener('data', onData);
      input.removeListener('end', finish);
      input.removeListener('error', onError);
      input.pause();
      const newline = buffered.indexOf('\n');
      resolve((newline === -1 ? buffered : buffered.slice(0, newline)).replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string): void => {
      buffered += chunk.toString();
      if (buffered.includes('\n')) finish();
    };
    const onError = (err: Error): void => reject(err);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.once('end', finish);
    input.once('error', onError);
  });
}

/** Ask once on a terminal with echo off; Ctrl-C or Ctrl-D abandon the command. */
export function promptHidden(prompt: string, input: InputStream, output: NodeJS.WritableStream): Promise<string> {
  // readline echoes what is typed to its output; a sink output keeps the password off screen.
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  // The interface switches the terminal to raw mode; prompting only afterwards means
  // nothing typed early is echoed by the terminal driver itself.
  const rl = createInterface({ input, output: sink, terminal: true });
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      output.write('\n');
      rl.close();
      fn();
    };
    rl.question('', (answer) => settle(() => resolve(answer)));
    rl.on('SIGINT', () => settle(() => reject(inputError('password entry cancelled'))));
    rl.on('close', () => settle(() => reject(inputError('no password entered'))));
  });
}

/** A new password: piped (first line) or typed twice on a terminal. Never empty. */
export async function readNewPassword(input: InputStream, output: NodeJS.WritableStream): Promise<string> {
  let password: string;
  if (input.isTTY) {
    password = await promptHidden('Password: ', input, output);
    const again = await promptHidden('Repeat password: ', input, output);
    if (password !== again) throw inputError('the passwords do not match');
  } else {
    password = await readFirstLine(input);
  }
  if (password === '') {
    throw inputError('no password given', 'Pipe the password on standard input, or run the command in a terminal to be prompted.');
  }
  return password;
}
