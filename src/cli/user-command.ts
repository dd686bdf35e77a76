// `jsm-pg user add|list|remove`: manage the gateway users file.
import { resolve } from 'node:path';
import { addUserHint, addUserToFile, readUsersFile, removeUserFromFile, validateUserName } from '../auth/index.ts';
import { SERVER_ENV_PREFIX, UsageError } from '../config/index.ts';
import { renderUserHelp } from './help.ts';
import type { CliIo } from './io.ts';
import { readNewPassword } from './password-input.ts';

const USERS_FILE_FLAG = '--users-file';
const USERS_FILE_ENV = `${SERVER_ENV_PREFIX}USERS_FILE`;
const ACTIONS = ['add', 'list', 'remove'] as const;
type Action = (typeof ACTIONS)[number];

interface UserArgs {
  action: Action;
  name?: string;
  usersFile: string;
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
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === USERS_FILE_FLAG) {
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
  return { action: action as Action, name: positional[0], usersFile: resolve(io.cwd, usersFile) };
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
      const { replaced } = await addUserToFile(args.usersFile, name, password);
      io.stdout.write(`${replaced ? 'Updated' : 'Added'} user "${name}" in ${args.usersFile}\n`);
      return 0;
    }
    case 'list': {
      const data = await readUsersFile(args.usersFile);
      const names = Object.keys(data?.users ?? {}).sort();
      if (names.length === 0) io.stderr.write(`No users in ${args.usersFile}. ${addUserHint(args.usersFile)}\n`);
      for (const name of names) io.stdout.write(`${name}\n`);
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
