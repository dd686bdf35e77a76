// `jsm-pg --help`: generated from the option tables and the property registry so the
// text lists every flag and connection property and cannot fall behind them.
import {
  CONFIG_ENV_VAR,
  CONFIG_FLAG,
  CONNECTION_FLAG,
  CONNECTION_PROPERTIES,
  formatPropertyValue,
  isSensitive,
  PROPERTY_CATEGORIES,
  SERVER_OPTIONS,
  type PropertyDef,
} from '../config/index.ts';

const WIDTH = 88;

function wrap(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(pad + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(pad + line);
  return lines.join('\n');
}

function serverSection(): string {
  return SERVER_OPTIONS.map((o) => {
    const head = `  ${o.flag}${o.valueName ? ` ${o.valueName}` : ''}`;
    const dflt = o.default === undefined ? '' : ` Default: ${formatPropertyValue(o.default)}.`;
    return `${head}\n${wrap(`${o.description}${dflt} Env: ${o.envVar}. Config file: server.${o.key}.`, 6)}`;
  }).join('\n');
}

function propertyEntry(def: PropertyDef): string {
  const dflt = formatPropertyValue(def.default);
  const flag = `${def.flag}${def.type === 'bool' ? '[=BOOL]' : ' VALUE'}`;
  const head = `  ${def.name}  (${flag}, ${def.envVar})  default: ${dflt === '' ? '(empty)' : dflt}`;
  const facts = [
    def.description,
    def.type === 'int' || def.type === 'bool' ? `Type: ${def.type}.` : '',
    def.values.length > 0 ? `Values: ${def.values.join(', ')}.` : '',
    isSensitive(def) ? 'Sensitive: never logged; prefer the environment or the config file to the command line.' : '',
  ].filter(Boolean);
  return `${head}\n${wrap(facts.join(' '), 6)}`;
}

function propertySection(): string {
  return PROPERTY_CATEGORIES.map((category) => {
    const defs = CONNECTION_PROPERTIES.filter((d) => d.category === category);
    return `${category}:\n${defs.map(propertyEntry).join('\n')}`;
  }).join('\n\n');
}

export function renderHelp(): string {
  return `jsm-pg — a PostgreSQL server that exposes Jira Service Management as SQL.

Usage:
  jsm-pg [serve] [options]                    start the gateway (the default command)
  jsm-pg simulator [options]                  run only the Jira Service Management simulator
  jsm-pg user add NAME --users-file PATH      add or replace a gateway user; the password is
                                              read from standard input, or prompted for twice;
                                              --connection-env VAR gives the user its own JSM
                                              connection properties (read from that variable)
  jsm-pg user list --users-file PATH          list gateway users
  jsm-pg user remove NAME --users-file PATH   remove a gateway user
  jsm-pg help | --help | -h                   show this text
  jsm-pg --version | -V                       print the version

With no URL configured, serve starts in demo mode: an embedded simulator with
generated data, and the gateway user demo / demo.

Configuration sources, highest precedence first:
  command-line flags > ${CONNECTION_FLAG} string > config file > environment > defaults

General options:
  ${CONFIG_FLAG} PATH
      JSON or YAML file with a "connection" section (property names, or one connection
      string) and a "server" section (the server options below, camelCase). Env: ${CONFIG_ENV_VAR}.
  ${CONNECTION_FLAG} STRING
      Connection properties as "Name=Value;Name=Value". Names are case-insensitive; quote
      values containing ";" with ' or ". May be repeated; later values win.

Server options:
${serverSection()}

Connection properties (set in the connection string or config file by name, or with the\nflag or environment variable shown):

${propertySection()}

Examples:
  jsm-pg --demo
  jsm-pg user add alice --users-file ./users.json
  JSM_API_TOKEN=... jsm-pg --users-file ./users.json \\
      --connection "AuthScheme=APIToken;URL=https://yoursite.atlassian.net;User=me@example.com"
  jsm-pg --config ./jsm-pg.yaml --port 6432 --include-custom-fields
  psql "postgresql://demo:demo@127.0.0.1:5432/jsm"
`;
}

export function renderUserHelp(): string {
  return `Usage:
  jsm-pg user add NAME --users-file PATH [--connection-env VAR]
  jsm-pg user list --users-file PATH
  jsm-pg user remove NAME --users-file PATH

The users file holds SCRAM-SHA-256 verifiers only and is written with mode 0600.
"user add" reads the password from the first line of standard input when it is not a
terminal (e.g. printf '%s\\n' "$PW" | jsm-pg user add alice --users-file users.json),
and otherwise prompts for it twice without echo. Passwords are never accepted as
arguments. --users-file defaults to the JSM_PG_USERS_FILE environment variable.

--connection-env VAR stores the connection string in environment variable VAR as the
user's own JSM connection properties (e.g. User=alice@example.com;APIToken=…): that user
then reads JSM as that identity instead of the gateway's (URL and other properties not
given are the gateway's). Without it, "user add" keeps the connection the user had.
`;
}
