/** Parses a one-dimensional PostgreSQL array literal such as {a,"b c","d\"e",NULL}. */
export function parsePgArray(text: string): (string | null)[] {
  if (!text.startsWith('{') || !text.endsWith('}')) throw new Error(`not an array literal: ${text}`);
  const out: (string | null)[] = [];
  const s = text.slice(1, -1);
  let i = 0;
  while (i < s.length) {
    if (s[i] === '"') {
      let v = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\') i++;
        v += s[i++];
      }
      i++; // closing quote
      out.push(v);
    } else {
      let j = i;
      while (j < s.length && s[j] !== ',') j++;
      const raw = s.slice(i, j).trim();
      out.push(raw.toUpperCase() === 'NULL' ? null : raw);
      i = j;
    }
    if (s[i] === ',') i++;
  }
  return out;
}
