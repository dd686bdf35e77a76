// Subcommand dispatch and the mapping from errors to exit codes:
// 0 success, 1 runtime/configuration failure, 2 bad command-line usage.
import { didYouMean, UsageError } from '../config/index.ts';
import { PgError } from '../errors/index.ts';
import { redactText } from '../observability/logger.ts';
import { renderHelp } from './help.ts';
import { packageVersion, type CliIo } from './io.ts';
import { runServe } from './serve.ts';
import { runUserCommand } from './user-command.ts';

const COMMANDS = ['serve', 'simulator', 'user', 'help', 'version'];
const HELP_FLAGS = ['--help', '-h'];
const VERSION_FLAGS = ['--version', '-V'];

interface SimulatorCliModule {
  runSimulatorCommand(argv: string[]): Promise<void>;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  const command = first === undefined || first.startsWith('-') ? 'serve' : first;
  const args = command === first ? rest : argv;
  switch (command) {
    case 'help':
      io.stdout.write(renderHelp());
      return 0;
    case 'version':
      io.stdout.write(`jsm-pg ${packageVersion()}\n`);
      return 0;
    case 'user':
      return runUserCommand(args, io);
    case 'simulator': {
      const { runSimulatorCommand }: SimulatorCliModule = await import('../simulator/cli.ts');
      await runSimulatorCommand([...args]);
      return 0;
    }
    case 'serve':
      if (args.some((a) => HELP_FLAGS.includes(a))) return dispatch(['help'], io);
      if (args.some((a) => VERSION_FLAGS.includes(a))) return dispatch(['version'], io);
      return runServe(args, io);
    default:
      throw new UsageError(`unknown command "${command}".${didYouMean(command, COMMANDS)}`);
  }
}

function report(err: unknown, io: CliIo): number {
  if (err instanceof PgError) {
    // Messages are written to be secret-free; the scrub is a second line of defence.
    io.stderr.write(`jsm-pg: ${redactText(err.message)}\n`);
    if (err.fields.hint) io.stderr.write(`hint: ${redactText(err.fields.hint)}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`jsm-pg: unexpected error: ${redactText(message)}\n`);
  return 1;
}

/** Run the CLI; resolves with the exit code (a started server keeps the process alive). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    return report(err, io);
  }
}
