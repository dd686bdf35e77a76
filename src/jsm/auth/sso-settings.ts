/**
 * The SSO connection properties (seed 003, "SSO"): SSOLoginURL, SSOExchangeUrl, SSOAppName,
 * SSOAppPassword and SSOProperties, the last a semicolon-separated list of the identity provider's
 * own settings (Okta: APIToken, MFAType, MFAPassCode, MFARememberDevice).
 */
import { PgError, SqlState } from '../../errors/index.ts';

/** What JsmCredentials carries for AuthScheme Crowd or OKTA: the raw properties, checked here. */
export interface SsoProperties {
  loginUrl?: string;
  exchangeUrl?: string;
  appName?: string;
  appPassword?: string;
  /** SSOProperties as typed: `MFAType=OktaVerify;MFAPassCode=123456`. */
  properties?: string;
}

export type MfaType = 'OktaVerify' | 'SMS' | 'Email';

export interface OktaExtras {
  /** An Okta API token: the gateway acts as a trusted application (Authorization: SSWS). */
  apiToken?: string;
  mfaType?: MfaType;
  mfaPassCode?: string;
  mfaRememberDevice: boolean;
}

const MFA_TYPES: Record<string, MfaType> = { oktaverify: 'OktaVerify', sms: 'SMS', email: 'Email' };
const KNOWN = ['APIToken', 'MFAType', 'MFAPassCode', 'MFARememberDevice'];

const refuse = (message: string, hint?: string) => new PgError(SqlState.InvalidAuthorizationSpecification, message, hint ? { hint } : {});

/** `a=1;b='x;y'` → a: 1, b: x;y; names case-insensitive (as connection properties are). */
export function splitSsoProperties(text: string): Map<string, { name: string; value: string }> {
  const out = new Map<string, { name: string; value: string }>();
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    const semi = text.indexOf(';', i);
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      // A piece without '=' (other than empty ones between ';;') is a mistake worth saying.
      const piece = text.slice(i, semi < 0 ? undefined : semi).trim();
      if (piece !== '') throw refuse('the SSOProperties connection property is not a list of name=value pairs separated by ";"');
      if (semi < 0) break;
      i = semi + 1;
      continue;
    }
    const name = text.slice(i, eq).trim();
    let j = eq + 1;
    while (text[j] === ' ') j++;
    let value: string;
    const quote = text[j];
    if (quote === "'" || quote === '"') {
      // Quoted: may hold ';', a doubled quote stands for one.
      let k = j + 1;
      value = '';
      while (k < text.length) {
        if (text[k] === quote) {
          if (text[k + 1] === quote) {
            value += quote;
            k += 2;
            continue;
          }
          break;
        }
        value += text[k++];
      }
      const next = text.indexOf(';', k);
      i = next < 0 ? text.length : next + 1;
    } else {
      const next = text.indexOf(';', j);
      value = text.slice(j, next < 0 ? undefined : next).trim();
      i = next < 0 ? text.length : next + 1;
    }
    out.set(name.toLowerCase(), { name, value });
  }
  return out;
}

/** Okta's entries of SSOProperties; an unknown name is refused (a typo would otherwise be ignored). */
export function oktaExtras(properties: string | undefined): OktaExtras {
  const entries = splitSsoProperties(properties ?? '');
  for (const { name } of entries.values()) {
    if (!KNOWN.some((k) => k.toLowerCase() === name.toLowerCase())) {
      throw refuse(`SSOProperties names ${JSON.stringify(name)}, which AuthScheme OKTA does not use`, `The SSOProperties AuthScheme OKTA reads are ${KNOWN.join(', ')}`);
    }
  }
  const get = (name: string) => {
    const v = entries.get(name.toLowerCase())?.value;
    return v === undefined || v === '' ? undefined : v;
  };
  const type = get('MFAType');
  const mfaType = type === undefined ? undefined : MFA_TYPES[type.toLowerCase()];
  if (type !== undefined && !mfaType) {
    throw refuse(`MFAType ${JSON.stringify(type)} in SSOProperties is not one Okta supports here`, 'Use OktaVerify, Email or SMS');
  }
  const remember = get('MFARememberDevice');
  if (remember !== undefined && !/^(true|false)$/i.test(remember)) {
    throw refuse(`MFARememberDevice in SSOProperties must be True or False, not ${JSON.stringify(remember)}`);
  }
  return { apiToken: get('APIToken'), mfaType, mfaPassCode: get('MFAPassCode'), mfaRememberDevice: remember === undefined || /^true$/i.test(remember) };
}

/** Crowd reads nothing from SSOProperties; anything there is a mistake worth saying. */
export function refuseCrowdExtras(properties: string | undefined): void {
  const first = [...splitSsoProperties(properties ?? '').values()][0];
  if (first) throw refuse(`SSOProperties names ${JSON.stringify(first.name)}, which AuthScheme Crowd does not use`, 'Crowd takes SSOAppName and SSOAppPassword as their own connection properties');
}

/** A required SSO property, or a 28000 naming it. */
export function requireSso(scheme: 'Crowd' | 'OKTA', property: string, value: string | undefined): string {
  if (value === undefined || value === '') throw refuse(`AuthScheme ${scheme} requires the ${property} connection property`);
  return value;
}

/** An http(s) URL, or a 28000 naming the property (the registry checks format only when it is set). */
export function ssoUrl(scheme: 'Crowd' | 'OKTA', property: string, value: string | undefined): URL {
  const text = requireSso(scheme, property, value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse(`the ${property} connection property is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(`the ${property} connection property must be an http or https URL`);
  return url;
}
