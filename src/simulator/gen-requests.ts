/**
 * Generates customer requests in creation order, so issue ids (10001 up) and
 * creation dates rise together. Request 10001 follows a fixed plan that gives
 * it every anchor the connector's example queries need.
 */
import { DAY, HOUR, MINUTE, isoDay } from './dates.ts';
import { fieldById } from './gen-catalog.ts';
import { addApproval, addAttachments, addComments, approversFor, pickParticipants, type ActivityContext } from './gen-activity.ts';
import { SIM_IDENTITIES } from './identities.ts';
import type { SimDesk, SimField, SimRequest, SimRequestType, SimUser } from './model.ts';
import { DESCRIPTIONS } from './vocab-people.ts';
import { THEMES } from './vocab-themes.ts';
import { AGENT_MOVES, applyStatus, categoryOf, currentStatus, openRequest } from './workflow.ts';

export interface RequestContext extends ActivityContext {
  desks: SimDesk[];
  typesByDesk: Map<string, SimRequestType[]>;
  customersByDesk: Map<string, SimUser[]>;
  orgIdsByMember: Map<string, string[]>;
  /** Desks where the default customer is a customer. */
  defaultCustomerDesks: SimDesk[];
}

const HISTORY_SPAN = 360 * DAY;

function fieldValue(g: RequestContext, field: SimField, created: number, subject: string): string | number {
  switch (field.kind) {
    case 'select': return g.rng.pick(field.options).id;
    case 'number': return g.rng.int(1, 250);
    case 'date': return isoDay(created + g.rng.int(1, 30) * DAY);
    default: return field.fieldId === 'customfield_10015' ? `CC-${g.rng.int(1000, 9999)}` : subject;
  }
}

/** Fixed rhythms guarantee the default identities own and join requests at every scale. */
function chooseParties(g: RequestContext, index: number): { desk: SimDesk; reporter: SimUser } {
  const customer = SIM_IDENTITIES.customer.accountId;
  if (index === 0 || index % 11 === 3) {
    const desk = index === 0 ? g.desks[0] : g.rng.pick(g.defaultCustomerDesks);
    return { desk, reporter: g.customersByDesk.get(desk.id)!.find((u) => u.accountId === customer)! };
  }
  const desk = g.rng.pick(g.desks);
  if (index % 17 === 5) return { desk, reporter: g.agents[0] };
  if (g.rng.chance(0.05)) return { desk, reporter: g.rng.pick(g.agents) };
  return { desk, reporter: g.rng.pick(g.customersByDesk.get(desk.id)!) };
}

function evolveStatus(g: RequestContext, req: SimRequest, anchor: boolean): void {
  openRequest(req, req.created);
  if (anchor) {
    applyStatus(req, 'In progress', req.created + 40 * MINUTE);
    applyStatus(req, 'Waiting for customer', req.created + 3 * HOUR);
    return;
  }
  const age = g.now - req.created;
  const stopChance = age < 3 * DAY ? 0.45 : age < 14 * DAY ? 0.25 : 0.08;
  let at = req.created;
  for (let step = 0; step < 6; step++) {
    const moves = AGENT_MOVES[currentStatus(req).status];
    if (moves.length === 0 || g.rng.chance(stopChance)) break;
    const status = step === 0 && g.rng.chance(0.04) ? 'Canceled' : g.rng.pick(moves);
    at += g.rng.int(20 * MINUTE, age > 30 * DAY ? 3 * DAY : 6 * HOUR);
    if (at >= g.now - MINUTE) break;
    applyStatus(req, status, at);
  }
}

function createRequest(g: RequestContext, index: number, count: number): SimRequest {
  const anchor = index === 0;
  const { desk, reporter } = chooseParties(g, index);
  const types = g.typesByDesk.get(desk.id)!;
  const portalTypes = types.filter((t) => t.groupIds.length > 0);
  const type = anchor ? portalTypes[0] : g.rng.chance(0.07) ? types[types.length - 1] : g.rng.pick(portalTypes);
  const theme = THEMES[desk.theme];
  const subject = g.rng.pick(theme.subjects);
  const summary = `${subject} ${g.rng.pick(theme.problems)}`;
  const created = g.now - HISTORY_SPAN + Math.floor(((index + g.rng.next()) * HISTORY_SPAN * 0.99) / count);
  const req: SimRequest = {
    issueId: String(g.counters.issue++),
    issueKey: `${desk.projectKey}-${desk.nextIssueNumber++}`,
    deskId: desk.id,
    requestTypeId: type.id,
    reporterId: reporter.accountId,
    summary,
    fieldValues: {},
    created,
    updated: created,
    statusLog: [],
    participantIds: [],
    organizationIds: [],
    comments: [],
    attachments: [],
    approvals: [],
    slas: [],
  };
  for (const f of type.fields) {
    if (f.fieldId === 'summary') req.fieldValues.summary = summary;
    else if (f.fieldId === 'description') req.fieldValues.description = g.rng.pick(DESCRIPTIONS);
    else if (f.required || g.rng.chance(0.8)) req.fieldValues[f.fieldId] = fieldValue(g, fieldById(f.fieldId)!, created, subject);
  }
  evolveStatus(g, req, anchor);
  const progressed = req.statusLog.length > 1;
  if (anchor || progressed || g.rng.chance(0.4)) {
    req.assigneeId = anchor || g.rng.chance(0.3) ? g.agents[0].accountId : g.rng.pick(g.agents).accountId;
  }
  const deskCustomers = g.customersByDesk.get(desk.id)!;
  req.participantIds = anchor
    ? [deskCustomers.find((u) => u.accountId !== reporter.accountId)!.accountId, g.agents[1].accountId]
    : pickParticipants(g, req, deskCustomers, g.rng.chance(0.35) ? g.rng.int(1, 2) : 0);
  const customer = SIM_IDENTITIES.customer.accountId;
  if (index % 13 === 7 && reporter.accountId !== customer && g.defaultCustomerDesks.includes(desk)) {
    req.participantIds.push(customer);
  }
  const orgs = g.orgIdsByMember.get(reporter.accountId);
  if (orgs && g.rng.chance(0.5)) req.organizationIds = [orgs[0]];
  addComments(g, req, anchor ? 4 : g.rng.int(0, 3) + (progressed ? 1 : 0));
  addAttachments(g, req, anchor ? 1 : g.rng.chance(0.25) ? g.rng.int(1, 2) : 0);
  if (anchor) {
    addApproval(g, req, true, [g.agents[1].accountId]);
    addApproval(g, req, false, approversFor(g, true));
  } else if (type.needsApproval && g.rng.chance(0.8)) {
    const decided = categoryOf(currentStatus(req).status) !== 'NEW' || g.now - created > 2 * DAY;
    addApproval(g, req, decided, approversFor(g, g.rng.chance(0.35)));
  }
  return req;
}

export function generateRequests(g: RequestContext, count: number): SimRequest[] {
  return Array.from({ length: count }, (_, i) => createRequest(g, i, count));
}
