/**
 * What Atlassian's OpenAPI file defines: which path templates, methods and
 * query parameters exist, and which operations are experimental. The call log
 * uses it to flag calls the real API would not understand. The platform
 * endpoints the simulator serves are known too, although the file lacks them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileTemplate } from './router.ts';

export const SPEC_PATH = fileURLToPath(new URL('./spec/jsm-servicedeskapi.openapi.json', import.meta.url));

interface KnownOperation {
  method: string;
  template: string;
  regex: RegExp;
  params: number;
  query: Set<string>;
  experimental: boolean;
}

const PLATFORM_OPERATIONS: Array<[method: string, template: string, query: string[]]> = [
  ['GET', '/rest/api/2/myself', ['expand']],
  ['GET', '/rest/api/3/myself', ['expand']],
  ['GET', '/rest/api/2/serverInfo', ['doHealthCheck']],
  ['GET', '/rest/api/3/serverInfo', ['doHealthCheck']],
  ['GET', '/rest/api/3/users/search', ['startAt', 'maxResults']],
  ['GET', '/rest/api/2/users/search', ['startAt', 'maxResults']],
  ['GET', '/rest/api/2/user/search', ['username', 'query', 'startAt', 'maxResults', 'includeActive', 'includeInactive']],
  // The SAML consumer servlets an SSO login posts the IdP's response to (SSOExchangeUrl).
  ['POST', '/plugins/servlet/samlconsumer', []],
  ['POST', '/plugins/servlet/samlsso', []],
];

const HTTP_METHODS = ['get', 'post', 'put', 'delete', 'patch'];

interface SpecOperationJson {
  parameters?: Array<{ in: string; name: string }>;
  'x-experimental'?: boolean;
}

export class SpecIndex {
  private static loaded: SpecIndex | undefined;
  private readonly operations: KnownOperation[] = [];

  static load(): SpecIndex {
    SpecIndex.loaded ??= new SpecIndex(JSON.parse(readFileSync(SPEC_PATH, 'utf8')));
    return SpecIndex.loaded;
  }

  private constructor(spec: { paths: Record<string, Record<string, SpecOperationJson>> }) {
    for (const [template, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!HTTP_METHODS.includes(method)) continue;
        const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        this.register(method.toUpperCase(), template, query, op['x-experimental'] === true);
      }
    }
    for (const [method, template, query] of PLATFORM_OPERATIONS) this.register(method, template, query, false);
    this.operations.sort((a, b) => a.params - b.params);
  }

  private register(method: string, template: string, query: string[], experimental: boolean): void {
    const { regex, keys } = compileTemplate(template);
    this.operations.push({ method, template, regex, params: keys.length, query: new Set(query), experimental });
  }

  isExperimental(method: string, template: string): boolean {
    return this.operations.some((o) => o.method === method && o.template === template && o.experimental);
  }

  defines(method: string, path: string): boolean {
    return this.find(method, path) !== undefined;
  }

  /** True when the path, the method or any query parameter is not in the spec (nor a known platform endpoint). */
  isUndefined(method: string, path: string, query: URLSearchParams): boolean {
    const op = this.find(method, path);
    if (!op) return true;
    return [...query.keys()].some((name) => !op.query.has(name));
  }

  private find(method: string, path: string): KnownOperation | undefined {
    return this.operations.find((o) => o.method === method && o.regex.test(path));
  }
}
