// Authentication and SSO connection properties, in the order and wording of the
// connector documentation (seed 003, "Advanced Configurations Properties").
import type { PropertySpec } from './property-types.ts';

export const AUTH_PROPERTIES = [
  {
    name: 'AuthScheme',
    description: 'The type of authentication to use when connecting to Jira Service Management.',
    type: 'enum',
    // PersonalAccessToken (Data Center PATs) is the gateway's addition to the seed's list
    values: ['Auto', 'OAuth', 'APIToken', 'Basic', 'Crowd', 'OKTA', 'PersonalAccessToken'],
    default: 'Auto',
    category: 'Authentication',
  },
  {
    name: 'URL',
    description: 'The URL to your JIRA Service Desk endpoint.',
    type: 'string',
    format: 'url',
    default: '',
    required: true,
    category: 'Authentication',
  },
  {
    name: 'User',
    description: 'The Jira Service Management user account used to authenticate.',
    type: 'string',
    default: '',
    category: 'Authentication',
  },
  {
    name: 'Password',
    description: 'The password used to authenticate the user.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'Authentication',
  },
  {
    name: 'APIToken',
    description: 'APIToken of the currently authenticated user.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'Authentication',
  },
] as const satisfies readonly PropertySpec[];

export const SSO_PROPERTIES = [
  {
    name: 'SSOLoginURL',
    description: "The identity provider's login URL.",
    type: 'string',
    format: 'url',
    default: '',
    category: 'SSO',
  },
  {
    name: 'SSOProperties',
    description: 'Additional properties required to connect to the identity provider in a semicolon-separated list.',
    type: 'string',
    default: '',
    // MFAPassCode and a trusted application's APIToken are in it.
    sensitive: true,
    category: 'SSO',
  },
  {
    name: 'SSOExchangeUrl',
    description:
      'The URL used for consuming the SAML response and exchanging it for service specific credentials.',
    type: 'string',
    format: 'url',
    default: '',
    category: 'SSO',
  },
  {
    name: 'SSOAppName',
    description: 'App Name used with SSO for IdPs that require it.',
    type: 'string',
    default: '',
    category: 'SSO',
  },
  {
    name: 'SSOAppPassword',
    description: 'App Password used with SSO for IdPs that require it.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'SSO',
  },
] as const satisfies readonly PropertySpec[];
