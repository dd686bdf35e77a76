/** Generates users (agents, customers) and organizations. */
import { DAY } from './dates.ts';
import { SIM_IDENTITIES, type SimIdentity } from './identities.ts';
import type { SimOrganization, SimUser } from './model.ts';
import type { Rng } from './prng.ts';
import { FIRST_NAMES, LAST_NAMES, LOCALES, ORGANIZATION_NAMES, ORGANIZATION_SUFFIXES, TIME_ZONES } from './vocab-people.ts';

const CUSTOMER_DOMAINS = ['example.net', 'example.org', 'mail.example.com', 'customer.example'];

function fromIdentity(id: SimIdentity, kind: SimUser['kind']): SimUser {
  return {
    accountId: id.accountId,
    username: id.username,
    email: id.email,
    displayName: id.displayName,
    timeZone: id.timeZone,
    locale: 'en_US',
    active: true,
    kind,
  };
}

/** Builds unique names by walking the first x last name grid, then numbering. */
function nameAt(index: number): { first: string; last: string; suffix: string } {
  const grid = FIRST_NAMES.length * LAST_NAMES.length;
  const cell = (index * 7919) % grid;
  return {
    first: FIRST_NAMES[cell % FIRST_NAMES.length],
    last: LAST_NAMES[Math.floor(cell / FIRST_NAMES.length)],
    suffix: index >= grid ? String(Math.floor(index / grid) + 1) : '',
  };
}

export function generateUsers(rng: Rng, agents: number, customers: number): SimUser[] {
  const users: SimUser[] = [fromIdentity(SIM_IDENTITIES.agent, 'agent'), fromIdentity(SIM_IDENTITIES.customer, 'customer')];
  for (let i = 1; i < agents + customers - 1; i++) {
    const kind: SimUser['kind'] = i < agents ? 'agent' : 'customer';
    const { first, last, suffix } = nameAt(i);
    const username = `${first}.${last}${suffix}`.toLowerCase();
    users.push({
      accountId: kind === 'agent' ? rng.hex(24) : `qm:${rng.uuid()}:${rng.hex(24)}`,
      username,
      email: `${username}@${kind === 'agent' ? 'example.com' : rng.pick(CUSTOMER_DOMAINS)}`,
      displayName: `${first} ${last}${suffix ? ` ${suffix}` : ''}`,
      timeZone: rng.pick(TIME_ZONES),
      locale: rng.pick(LOCALES),
      active: kind === 'agent' || !rng.chance(0.03),
      kind,
    });
  }
  return users;
}

export function organizationName(index: number): string {
  const base = ORGANIZATION_NAMES[index % ORGANIZATION_NAMES.length];
  const round = Math.floor(index / ORGANIZATION_NAMES.length);
  const suffix = ORGANIZATION_SUFFIXES[round] ?? ` ${round + 1}`;
  return base + suffix;
}

/**
 * Organizations with members drawn from customers. The default customer is a
 * member of organization 1 so customer-side organization listings are not empty.
 */
export function generateOrganizations(rng: Rng, count: number, customers: SimUser[], now: number): SimOrganization[] {
  const orgs: SimOrganization[] = [];
  for (let i = 0; i < count; i++) {
    orgs.push({
      id: String(i + 1),
      uuid: rng.uuid(),
      name: organizationName(i),
      created: now - rng.int(400, 900) * DAY,
      memberIds: [],
    });
  }
  for (const customer of customers) {
    if (customer.accountId === SIM_IDENTITIES.customer.accountId) {
      orgs[0]?.memberIds.push(customer.accountId);
      continue;
    }
    if (!rng.chance(0.6)) continue;
    for (const org of rng.sample(orgs, rng.chance(0.25) ? 2 : 1)) org.memberIds.push(customer.accountId);
  }
  return orgs;
}
