/**
 * Live state of one simulator: the generated instance plus lookups. Writes
 * mutate the state in place; reset() regenerates it from the seed.
 */
import { MINUTE } from './dates.ts';
import { generateState } from './generate.ts';
import type { SimDesk, SimOrganization, SimRequest, SimRequestType, SimState, SimUser } from './model.ts';
import type { SimScale } from './types.ts';

export class Store {
  state!: SimState;
  private users = new Map<string, SimUser>();
  private logins = new Map<string, SimUser>();
  private requests = new Map<string, SimRequest>();

  constructor(
    readonly seed: number,
    readonly scale: SimScale,
  ) {
    this.reset();
  }

  reset(): void {
    this.state = generateState(this.seed, this.scale);
    this.users.clear();
    this.logins.clear();
    this.requests.clear();
    this.state.users.forEach((u) => this.indexUser(u));
    this.state.requests.forEach((r) => this.indexRequest(r));
  }

  /** Writes move the simulated clock one minute, keeping written timestamps ordered and reproducible. */
  tick(): number {
    this.state.clock += MINUTE;
    return this.state.clock;
  }

  user(accountId: string): SimUser | undefined {
    return this.users.get(accountId);
  }

  /** By e-mail or username, case-insensitively, as Basic auth and `usernames` bodies address users. */
  userByLogin(login: string): SimUser | undefined {
    return this.logins.get(login.toLowerCase());
  }

  addUser(user: SimUser): void {
    this.state.users.push(user);
    this.indexUser(user);
  }

  request(issueIdOrKey: string): SimRequest | undefined {
    return this.requests.get(issueIdOrKey.toUpperCase());
  }

  addRequest(req: SimRequest): void {
    this.state.requests.push(req);
    this.indexRequest(req);
  }

  /** Accepts the identifiers the API documents: id, project key, or the prefixed forms. */
  desk(identifier: string): SimDesk | undefined {
    const [prefix, value] = identifier.includes(':') ? identifier.split(':', 2) : ['', identifier];
    return this.state.desks.find((d) => {
      if (prefix === 'projectKey') return d.projectKey === value;
      if (prefix === 'projectId') return d.projectId === value;
      if (prefix === 'serviceDeskId') return d.id === value;
      return !prefix && (d.id === value || d.projectKey === value);
    });
  }

  requestType(id: string): SimRequestType | undefined {
    return this.state.requestTypes.find((t) => t.id === id);
  }

  organization(id: string): SimOrganization | undefined {
    return this.state.organizations.find((o) => o.id === id);
  }

  private indexUser(u: SimUser): void {
    this.users.set(u.accountId, u);
    this.logins.set(u.email.toLowerCase(), u);
    this.logins.set(u.username.toLowerCase(), u);
  }

  private indexRequest(r: SimRequest): void {
    this.requests.set(r.issueId, r);
    this.requests.set(r.issueKey.toUpperCase(), r);
  }
}
