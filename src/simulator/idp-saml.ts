/**
 * SAML 2.0 for the simulated IdPs and the simulated JSM: samlify builds the IdPs' signed login
 * responses and parses and verifies them where JSM consumes them. Responses are IdP-initiated
 * (no AuthnRequest), as Okta sends them from an app's embed link: without InResponseTo.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { validateXML } from 'xmllint-wasm';
import { samlify, type SamlIdentityProvider as IdentityProvider, type SamlServiceProvider as ServiceProvider } from './idp-samlify.ts';

const SCHEMA_FILES = ['saml-schema-protocol-2.0.xsd', 'datatypes.dtd', 'saml-schema-assertion-2.0.xsd', 'xmldsig-core-schema.xsd', 'XMLSchema.dtd', 'xenc-schema.xsd'];

let schemas: { fileName: string; contents: string }[] | undefined;

/** The SAML schemas shipped by @authenio/samlify-xmllint-wasm, read once. */
function samlSchemas(): { fileName: string; contents: string }[] {
  if (!schemas) {
    const pkg = createRequire(import.meta.url).resolve('@authenio/samlify-xmllint-wasm/package.json');
    const dir = join(dirname(pkg), 'build', 'schemas');
    schemas = SCHEMA_FILES.map((fileName) => ({ fileName, contents: readFileSync(join(dir, fileName), 'utf8') }));
  }
  return schemas;
}

/**
 * samlify refuses to parse anything without a schema validator. This is the one of
 * @authenio/samlify-xmllint-wasm (libxml2 compiled to WebAssembly: no native build on Node 20) minus its
 * console output, so a refused response shows only in the reply.
 */
async function validate(xml: string): Promise<string> {
  const [schema, ...preload] = samlSchemas();
  const result = await validateXML({ xml: [{ fileName: 'response.xml', contents: xml }], extension: 'schema', schema: [schema!.contents], preload });
  if (!result.valid) throw new Error(`the SAML document does not match the SAML 2.0 schema: ${result.errors.map((e) => e.message).join('; ')}`);
  return 'SUCCESS_VALIDATE_XML';
}

let configured = false;
function configure(): void {
  if (!configured) {
    samlify.setSchemaValidator({ validate });
    configured = true;
  }
}

const POST = samlify.Constants.namespace.binding.post;
const REDIRECT = samlify.Constants.namespace.binding.redirect;

// The default template answers an AuthnRequest; an IdP-initiated response has no InResponseTo
// (an empty one is not a valid NCName and fails the schema).
// Tag values are XML-escaped, so the AuthnStatement goes into the template itself.
const IDP_INITIATED_TEMPLATE = samlify.SamlLib.defaultLoginResponseTemplate.context
  .replace(/ InResponseTo="\{InResponseTo\}"/g, '')
  .replace(
    '{AuthnStatement}',
    '<saml:AuthnStatement AuthnInstant="{IssueInstant}" SessionIndex="{SessionIndex}"><saml:AuthnContext>' +
      '<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>' +
      '</saml:AuthnContext></saml:AuthnStatement>',
  );

export interface SamlIdp {
  entityId: string;
  /** The IdP as the JSM side sees it: entity ID and signing certificate, no key. */
  trusted: IdentityProvider;
  /** A signed, base64 SAMLResponse asserting `nameId` to `sp`. */
  loginResponse(sp: ServiceProvider, nameId: string): Promise<string>;
}

export function samlIdp(entityId: string, ssoUrl: string, signingKey: string, signingCert: string): SamlIdp {
  configure();
  const base = { entityID: entityId, signingCert, singleSignOnService: [{ Binding: REDIRECT, Location: ssoUrl }], singleLogoutService: [{ Binding: REDIRECT, Location: ssoUrl }] };
  const signer = samlify.IdentityProvider({ ...base, privateKey: signingKey, loginResponseTemplate: { context: IDP_INITIATED_TEMPLATE, attributes: [] } });
  const trusted = samlify.IdentityProvider(base);
  return {
    entityId,
    trusted,
    async loginResponse(sp, nameId) {
      const acs = sp.entityMeta.getAssertionConsumerService('post') as string;
      const now = new Date();
      const later = new Date(now.getTime() + 5 * 60_000).toISOString();
      const values = {
        ID: `_${randomUUID()}`,
        AssertionID: `_${randomUUID()}`,
        Destination: acs,
        Audience: sp.entityMeta.getEntityID(),
        SubjectRecipient: acs,
        Issuer: entityId,
        IssueInstant: now.toISOString(),
        StatusCode: samlify.Constants.StatusCode.Success,
        ConditionsNotBefore: now.toISOString(),
        ConditionsNotOnOrAfter: later,
        SubjectConfirmationDataNotOnOrAfter: later,
        NameIDFormat: samlify.Constants.namespace.format.emailAddress,
        NameID: nameId,
        SessionIndex: `_${randomUUID()}`,
      };
      // No attributes: samlify renders an empty AttributeStatement for none, which the schema refuses.
      const replace = (template: string) => ({
        id: values.ID,
        context: samlify.SamlLib.replaceTagsByValue(template.replace(/<saml:AttributeStatement>\s*<\/saml:AttributeStatement>|\{AttributeStatement\}/, ''), values),
      });
      const ctx = await signer.createLoginResponse(sp, {}, 'post', { email: nameId }, { customTagReplacement: replace });
      return ctx.context;
    },
  };
}

/**
 * JSM as a SAML service provider: its entity ID is its base URL, its ACS the exchange URL (one: with
 * several, samlify would write them all into the response's Destination).
 */
export function jsmServiceProvider(origin: string, acsPath: string): ServiceProvider {
  configure();
  return samlify.ServiceProvider({
    entityID: origin,
    assertionConsumerService: [{ Binding: POST, Location: `${origin}${acsPath}` }],
    wantAssertionsSigned: true,
  });
}

export type { IdentityProvider as SamlTrustedIdp, ServiceProvider as SamlServiceProvider };

/** Parses and verifies a posted SAMLResponse against the trusted IdPs; the asserted NameID, or why not. */
export async function consumeLoginResponse(sp: ServiceProvider, idps: readonly SamlIdp[], samlResponse: string): Promise<{ nameId: string; assertionId: string; issuer: string } | { refused: string }> {
  let reason = 'no identity provider is trusted';
  for (const idp of idps) {
    try {
      const { extract } = await sp.parseLoginResponse(idp.trusted, 'post', { body: { SAMLResponse: samlResponse } });
      const nameId = typeof extract.nameID === 'string' ? extract.nameID : '';
      const assertion = extract.response as Record<string, string> | undefined;
      return { nameId, assertionId: String(assertion?.id ?? ''), issuer: idp.entityId };
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
  }
  return { refused: reason };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '+': '&#x2b;', '=': '&#x3d;' };
const escapeHtml = (s: string) => s.replace(/[&<>"'+=]/g, (c) => ESCAPES[c]!);

/** The self-submitting page an IdP answers with (Okta escapes + and = in the base64 value, as here). */
export function autoPostForm(action: string, samlResponse: string, relayState = ''): string {
  return `<!DOCTYPE html><html><head><title>Signing in</title></head><body onload="document.forms[0].submit()">` +
    `<form id="appForm" method="POST" action="${escapeHtml(action)}">` +
    `<input name="SAMLResponse" type="hidden" value="${escapeHtml(samlResponse)}"/>` +
    `<input name="RelayState" type="hidden" value="${escapeHtml(relayState)}"/>` +
    `</form></body></html>`;
}
