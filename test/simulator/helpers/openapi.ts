/**
 * Validates simulator responses against Atlassian's OpenAPI file: finds the
 * operation for method + path, picks the response schema for the status, and
 * compiles it with ajv (the spec's components are registered under $id "spec").
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { SPEC_PATH } from '../../../src/simulator/spec-index.ts';

interface SpecOperation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as {
  paths: Record<string, Record<string, SpecOperation>>;
  components: Record<string, unknown>;
};

/** Local refs become refs into the registered "spec" document. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `spec${v}` : rewriteRefs(v)]),
  );
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
ajv.addFormat('double', { type: 'number', validate: () => true });
ajv.addFormat('binary', true);
ajv.addFormat('byte', true);
ajv.addSchema({ $id: 'spec', components: spec.components });

const templates = Object.keys(spec.paths).map((template) => ({
  template,
  regex: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
  params: (template.match(/\{/g) ?? []).length,
}));
templates.sort((a, b) => a.params - b.params);

const cache = new Map<string, ValidateFunction | null>();

/** The spec operation for a call, or undefined when the spec does not define it. */
export function findOperation(method: string, path: string): { template: string; op: SpecOperation } | undefined {
  for (const t of templates) {
    const op = spec.paths[t.template][method.toLowerCase()];
    if (op && t.regex.test(path)) return { template: t.template, op };
  }
  return undefined;
}

/**
 * Compiled validator for the response, or null when the spec declares no body.
 * Statuses the spec omits for an operation (412, 429, 502/503 from the fault
 * injector, ...) carry the ErrorResponse shape every documented error uses.
 */
export function responseValidator(method: string, path: string, status: number): ValidateFunction | null {
  const found = findOperation(method, path);
  if (!found) throw new Error(`The spec defines no ${method} ${path}`);
  const key = `${method} ${found.template} ${status}`;
  if (!cache.has(key)) {
    const declared = found.op.responses[String(status)] ?? found.op.responses.default;
    let schema: unknown;
    if (declared) schema = declared.content?.['application/json']?.schema;
    else if (status >= 400) schema = { $ref: '#/components/schemas/ErrorResponse' };
    else throw new Error(`The spec declares no ${status} for ${method} ${found.template}`);
    const usable = schema !== null && schema !== undefined && Object.keys(schema as object).length > 0;
    cache.set(key, usable ? ajv.compile(rewriteRefs(schema) as object) : null);
  }
  return cache.get(key)!;
}

/** Throws with ajv's error list when the body does not match its schema. Returns whether a schema applied. */
export function assertMatchesSpec(method: string, path: string, status: number, body: unknown): boolean {
  const validate = responseValidator(method, path, status);
  if (!validate) return false;
  if (!validate(body)) {
    throw new Error(`${method} ${path} ${status} does not match the spec: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  }
  return true;
}
