/**
 * Lines and columns of values in a JSON text, so an error about a file a person edits points at
 * the place to fix (JSON.parse keeps no positions; jsonc-parser's syntax tree does).
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export type JsonPath = readonly (string | number)[];

export interface JsonPosition {
  /** 1-based, as editors count. */
  readonly line: number;
  readonly column: number;
}

export interface ParsedJson {
  readonly value: unknown;
  readonly tree: Node;
  readonly text: string;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: JsonPosition,
  ) {
    super(message);
  }
}

/** Strict JSON (no comments, no trailing commas, as JSON.parse reads it); the first syntax error is thrown with its position. */
export function parseJson(text: string): ParsedJson {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first || !tree) {
    const offset = first?.offset ?? 0;
    throw new JsonSyntaxError(first ? `JSON syntax error: ${describeParseError(printParseErrorCode(first.error))}` : 'the file is empty', positionOf(text, offset));
  }
  return { value: nodeValue(tree), tree, text };
}

/**
 * Where the value at `path` is; for a key the value lacks (a required one left out) the closest
 * enclosing value, and for `key` true the property's name rather than its value (an unknown key).
 */
export function locate(parsed: ParsedJson, path: JsonPath, key = false): JsonPosition {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(parsed.tree, [...path.slice(0, n)]);
    if (!node) continue;
    const property = node.parent?.type === 'property' ? node.parent : undefined;
    const at = key && n === path.length && property ? property.children![0]! : node;
    return positionOf(parsed.text, at.offset);
  }
  return { line: 1, column: 1 };
}

export function positionOf(text: string, offset: number): JsonPosition {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Plain values from the tree (what JSON.parse gives; a repeated key keeps its last value, as there). */
function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v) Object.defineProperty(out, String(k.value), { value: nodeValue(v), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** jsonc-parser's codes (`InvalidSymbol`, `CommaExpected`) in words. */
function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
