// Name derivations shared by the property registry, the server options and the CLI,
// so that env var names, flags and "did you mean" hints are computed one way only.

/** Words of a PascalCase seed name; "OAuth" stays one word (OAUTH, not O_AUTH). */
export function nameWords(name: string): string[] {
  return name
    .replace(/OAuth/g, 'Oauth')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** `IncludeCustomFields` → `INCLUDE_CUSTOM_FIELDS`. */
export function upperSnake(name: string): string {
  return nameWords(name).join('_').toUpperCase();
}

/** `APIToken` → `api-token` (flag spelling). */
export function kebab(name: string): string {
  return nameWords(name).join('-');
}

/** `SSOLoginURL` → `ssoLoginUrl` (the sys_connection_props PropertyName column). */
export function camel(name: string): string {
  const [first = '', ...rest] = nameWords(name);
  return first + rest.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = above;
    }
  }
  return prev[b.length];
}

/**
 * The candidate closest to `input` (case-insensitive), or undefined when nothing is
 * close enough for the suggestion to be more helpful than noise.
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    const score = hay.startsWith(needle) || needle.startsWith(hay) ? 1 : editDistance(needle, hay);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return bestScore <= limit ? best : undefined;
}

/** ` Did you mean "X"?` or the empty string — appended to error messages. */
export function didYouMean(input: string, candidates: Iterable<string>, format = (s: string) => `"${s}"`): string {
  const guess = closestName(input, candidates);
  return guess === undefined ? '' : ` Did you mean ${format(guess)}?`;
}
