// `jsm-pg user add|list|remove`: manage the gateway users file.
import { resolve } from 'node:path';
import { addUserHint, addUserToFile, readUsersFile, removeUserFromFile, validateUserName } from '../auth/index.ts';
import { SERVER_ENV_PREFIX, UsageError } from '../config/index.ts';
import { renderUserHelp } from './help.ts';
import type { CliIo } from './io.ts';
import { readNewPassword } from './password-input.ts';

const USERS_FILE_FLAG = '--users-file';
/** The user's own JSM connection string is read from this environment variable: never from the command line, which other users can read. */
const CONNECTION_ENV_FLAG = '--connection-env';
const USERS_FILE_ENV = `${SERVER_ENV_PREFIX}USERS_FILE`;
const ACTIONS = ['add', 'list', 'remove'] as const;
type Action = (typeof ACTIONS)[number];

interface UserArgs {
  action: Action;
  name?: string;
  usersFile: string;
  /** The user's own JSM connection properties (add only). */
  connection?: string;
}

function parseUserArgs(argv: readonly string[], io: CliIo): UserArgs {
  const [action, ...rest] = argv;
  if (!ACTIONS.includes(action as Action)) {
    throw new UsageError(
      action === undefined ? 'missing user action (add, list or remove)' : `unknown user action "${action}"`,
      'Run "jsm-pg user --help" for usage.',
    );
  }
  const positional: string[] = [];
  let usersFile = io.env[USERS_FILE_ENV] || undefined;
  let connection: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (action === 'add' && (arg === CONNECTION_ENV_FLAG || arg.startsWith(`${CONNECTION_ENV_FLAG}=`))) {
      const variable = arg === CONNECTION_ENV_FLAG ? rest[++i] : arg.slice(CONNECTION_ENV_FLAG.length + 1);
      if (!variable) throw new UsageError(`option ${CONNECTION_ENV_FLAG} needs the name of an environment variable`);
      connection = io.env[variable];
      if (!connection) throw new UsageError(`environment variable ${variable} (${CONNECTION_ENV_FLAG}) is not set or empty`);
    } else if (/^--connection(=|$)/.test(arg)) {
      throw new UsageError(
        'a user\'s JSM connection is never accepted on the command line (it holds credentials other users could read)',
        `Put it in an environment variable and pass ${CONNECTION_ENV_FLAG} NAME.`,
      );
    } else if (arg === USERS_FILE_FLAG) {
      usersFile = rest[++i];
      if (usersFile === undefined) throw new UsageError(`option ${USERS_FILE_FLAG} needs a value`);
    } else if (arg.startsWith(`${USERS_FILE_FLAG}=`)) {
      usersFile = arg.slice(USERS_FILE_FLAG.length + 1);
    } else if (/^--?(password|pass|pw|pwd)(=|$)/i.test(arg)) {
      throw new UsageError(
        'passwords are never accepted on the command line (other users could read them)',
        'Pipe the password on standard input, or run the command in a terminal to be prompted.',
      );
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg.split('=')[0]} for "jsm-pg user ${action}"`, 'Run "jsm-pg user --help" for usage.');
    } else {
      positional.push(arg);
    }
  }
  if (!usersFile) throw new UsageError(`"jsm-pg user ${action}" needs ${USERS_FILE_FLAG} PATH (or ${USERS_FILE_ENV})`);
  const wantsName = action !== 'list';
  if (positional.length !== (wantsName ? 1 : 0)) {
    throw new UsageError(wantsName ? `"jsm-pg user ${action}" takes exactly one user NAME` : `unexpected argument "${positional[0]}"`);
  }
  return { action: action as Action, name: positional[0], usersFile: resolve(io.cwd, usersFile), connection };
}

export async function runUserCommand(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0) {
    io.stderr.write(renderUserHelp());
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(renderUserHelp());
    return 0;
  }
  const args = parseUserArgs(argv, io);
  switch (args.action) {
    case 'add': {
      const name = validateUserName(args.name ?? '');
      const password = await readNewPassword(io.stdin, io.stderr);
      const { replaced } = await addUserToFile(args.usersFile, name, password, args.connection);
      const own = args.connection ? ', reading JSM with its own connection properties' : '';
      io.stdout.write(`${replaced ? 'Updated' : 'Added'} user "${name}"${own} in ${args.usersFile}\n`);
      return 0;
    }
    case 'list': {
      const data = await readUsersFile(args.usersFile);
      const names = Object.keys(data?.users ?? {}).sort();
      if (names.length === 0) io.stderr.write(`No users in ${args.usersFile}. ${addUserHint(args.usersFile)}\n`);
      for (const name of names) io.stdout.write(`${name}${data!.users[name]!.connection ? '\t(own JSM connection)' : ''}\n`);
      return 0;
    }
    case 'remove': {
      const name = args.name ?? '';
      await removeUserFromFile(args.usersFile, name);
      io.stdout.write(`Removed user "${name}" from ${args.usersFile}\n`);
      return 0;
    }
  }
}
