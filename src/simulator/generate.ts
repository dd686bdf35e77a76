/**
 * Builds a complete simulated instance from (seed, scale). Each area draws
 * from its own random stream, so e.g. more users do not reshuffle requests.
 */
import { SIM_EPOCH_NOW } from './dates.ts';
import { generateCatalog } from './gen-catalog.ts';
import { generateOrganizations, generateUsers } from './gen-people.ts';
import { addLongThreads } from './gen-activity.ts';
import { generateRequests } from './gen-requests.ts';
import { SIM_IDENTITIES } from './identities.ts';
import type { SimCounters, SimDesk, SimOrganization, SimRequestType, SimState, SimUser } from './model.ts';
import { createRng, deriveSeed, type Rng } from './prng.ts';
import type { SimScale } from './types.ts';

interface ScaleSize {
  desks: number;
  agents: number;
  customers: number;
  organizations: number;
  requests: number;
}

export const SCALE_SIZES: Readonly<Record<SimScale, ScaleSize>> = {
  small: { desks: 3, agents: 5, customers: 30, organizations: 4, requests: 60 },
  medium: { desks: 5, agents: 12, customers: 300, organizations: 15, requests: 1000 },
  large: { desks: 8, agents: 30, customers: 2500, organizations: 60, requests: 10000 },
};

/** Who may use which desk: customers join 1-3 desks, organizations 1-2, members follow their organization. */
function linkDesks(rng: Rng, desks: SimDesk[], customers: SimUser[], orgs: SimOrganization[]): void {
  // Sets keep joining linear at large scale; arrays keep the join order for the API.
  const members = new Map(desks.map((d) => [d, new Set<string>()]));
  const join = (desk: SimDesk, accountId: string) => {
    const seen = members.get(desk)!;
    if (!seen.has(accountId)) {
      seen.add(accountId);
      desk.customerIds.push(accountId);
    }
  };
  for (const customer of customers) {
    if (customer.accountId === SIM_IDENTITIES.customer.accountId) {
      desks.slice(0, 2).forEach((d) => join(d, customer.accountId));
      continue;
    }
    for (const desk of rng.sample(desks, rng.int(1, Math.min(3, desks.length)))) join(desk, customer.accountId);
  }
  for (const org of orgs) {
    for (const desk of rng.sample(desks, rng.int(1, Math.min(2, desks.length)))) {
      desk.organizationIds.push(org.id);
      org.memberIds.forEach((m) => join(desk, m));
    }
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

export function generateState(seed: number, scale: SimScale): SimState {
  const sizes = SCALE_SIZES[scale];
  const now = SIM_EPOCH_NOW;
  const peopleRng = createRng(deriveSeed(seed, 'people'));
  const users = generateUsers(peopleRng, sizes.agents, sizes.customers);
  const agents = users.filter((u) => u.kind === 'agent');
  const customers = users.filter((u) => u.kind === 'customer');
  const catalog = generateCatalog(sizes.desks);
  const organizations = generateOrganizations(peopleRng, sizes.organizations, customers, now);
  linkDesks(createRng(deriveSeed(seed, 'links')), catalog.desks, customers, organizations);

  const byAccount = new Map(users.map((u) => [u.accountId, u]));
  const orgIdsByMember = new Map<string, string[]>();
  for (const org of organizations) {
    for (const m of org.memberIds) orgIdsByMember.set(m, [...(orgIdsByMember.get(m) ?? []), org.id]);
  }
  const counters: SimCounters = {
    issue: 10001,
    comment: 10001,
    attachment: 10001,
    approval: 10001,
    organization: organizations.length + 1,
    user: users.length + 1,
    temp: 1,
  };
  const customersByDesk = new Map(catalog.desks.map((d) => [d.id, d.customerIds.map((id) => byAccount.get(id)!)]));
  const requests = generateRequests(
    {
      rng: createRng(deriveSeed(seed, 'requests')),
      now,
      agents,
      counters,
      desks: catalog.desks,
      typesByDesk: groupBy<SimRequestType>(catalog.requestTypes, (t) => t.deskId),
      customersByDesk,
      orgIdsByMember,
      defaultCustomerDesks: catalog.desks.filter((d) => d.customerIds.includes(SIM_IDENTITIES.customer.accountId)),
    },
    sizes.requests,
  );
  addLongThreads({ rng: createRng(deriveSeed(seed, 'long-threads')), now, agents, counters }, requests, customersByDesk);
  return {
    seed,
    scale,
    clock: now,
    users,
    ...catalog,
    requests,
    organizations,
    temporaryAttachments: [],
    counters,
  };
}
