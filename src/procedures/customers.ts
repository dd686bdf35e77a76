/** CreateCustomer: POST /rest/servicedeskapi/customer, answered with the customer the API created. */
import { PgError, SqlState } from '../errors/index.ts';
import type { GatewayStatementContext } from '../executor/gateway-statement.ts';
import { needed, type CallArgs } from './arguments.ts';
import { asText, type ResultRow } from './result.ts';
import { SD_API, touched } from './shared.ts';

/** UserDTO, as far as the result columns go. */
interface ApiUser {
  key?: string;
  accountId?: string;
  name?: string;
  emailAddress?: string;
  displayName?: string;
  active?: boolean;
  timeZone?: string;
}

export async function createCustomer(ctx: GatewayStatementContext, args: CallArgs): Promise<ResultRow> {
  const email = needed(args, 'Email', 'the API creates a customer from an email address');
  const fullName = args.text('FullName');
  const displayName = args.text('DisplayName');
  if (fullName !== undefined && displayName !== undefined && fullName !== displayName) {
    throw new PgError(SqlState.InvalidParameterValue, 'FullName and DisplayName are the same value of CreateCustomer; give one of them');
  }
  // fullName is deprecated in the API; without a name JSM uses the email address
  const name = fullName ?? displayName;
  const user = await ctx.jsm.post<ApiUser>(`${SD_API}/customer`, { email, ...(name === undefined ? {} : { displayName: name }) }, { signal: ctx.signal });
  touched(ctx, 'Customers', 'Users');
  return {
    Key: asText(user?.key),
    AccountId: asText(user?.accountId),
    Name: asText(user?.name),
    EmailAddress: asText(user?.emailAddress),
    DisplayName: asText(user?.displayName),
    Active: asText(user?.active),
    Timezone: asText(user?.timeZone),
  };
}
