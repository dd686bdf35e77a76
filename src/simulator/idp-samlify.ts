/**
 * samlify, loaded with require and typed here for the few calls the simulator makes: its own type
 * declarations pull in @xmldom/xmldom's, which add the DOM library to the whole program (and break
 * Node's FormData and Blob types elsewhere).
 */
import { createRequire } from 'node:module';

export interface SamlServiceProvider {
  entityMeta: { getAssertionConsumerService(binding: string): string | string[]; getEntityID(): string };
  parseLoginResponse(idp: SamlIdentityProvider, binding: 'post', req: { body: Record<string, string> }): Promise<{ extract: Record<string, unknown> }>;
}

export interface SamlIdentityProvider {
  createLoginResponse(
    sp: SamlServiceProvider,
    requestInfo: object,
    binding: 'post',
    user: { email: string },
    options: { customTagReplacement: (template: string) => { id: string; context: string } },
  ): Promise<{ context: string }>;
}

interface Samlify {
  IdentityProvider(settings: Record<string, unknown>): SamlIdentityProvider;
  ServiceProvider(settings: Record<string, unknown>): SamlServiceProvider;
  setSchemaValidator(validator: { validate(xml: string): Promise<unknown> }): void;
  SamlLib: { defaultLoginResponseTemplate: { context: string }; replaceTagsByValue(template: string, values: Record<string, string>): string };
  Constants: {
    namespace: { binding: { post: string; redirect: string }; format: { emailAddress: string } };
    StatusCode: { Success: string };
  };
}

export const samlify = createRequire(import.meta.url)('samlify') as Samlify;
