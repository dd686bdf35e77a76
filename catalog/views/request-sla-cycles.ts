import type { ColumnDecl, TableDecl } from '../../src/catalog/types.ts';
import { date, REQUEST_CHILD_FILTERS, REQUEST_CHILD_GET_FILTERS, REQUEST_PARENT, requestIdColumn, requestKeyColumn, requestPath } from '../shared.ts';

const ongoing = (name: string, type: ColumnDecl['type'], remote: string, description: string): ColumnDecl => ({
  name: `OngoingCycle${name}`, type, remote: `ongoingCycle.${remote}`, description,
});
// completedCycles is oldest first: [-1] is the most recent one.
const completed = (name: string, type: ColumnDecl['type'], remote: string, description: string): ColumnDecl => ({
  name: `CompletedCycle${name}`, type, remote: `completedCycles[-1].${remote}`, description,
});

/**
 * One row per SLA of a request, as the key (Id, RequestId) says: the ongoing cycle, if any, and
 * the most recent completed one. Durations are JSM's friendly text ("4h 0m").
 */
export const RequestSLACycles: TableDecl = {
  name: 'RequestSLACycles',
  kind: 'view',
  description:
    'This resource represents the SLAs (service level agreements) on a customer request. ' +
    'One row per SLA: the OngoingCycle columns describe the running cycle (null when none runs), the CompletedCycle columns the most recent completed cycle (null when none has completed).',
  columns: [
    { name: 'Id', type: 'text', key: true, remote: 'id', description: 'The ID of the SLA.' },
    requestIdColumn('The ID of the request.'),
    requestKeyColumn('The Key of the request.'),
    { name: 'Name', type: 'text', remote: 'name', description: 'The Name of the cycle.' },
    ongoing('StartTime', 'timestamptz', date('startTime'), 'Time and date at which the SLA cycle started.'),
    ongoing('Breached', 'boolean', 'breached', 'Indicates whether the SLA has been breached or not.'),
    ongoing('BreachTime', 'timestamptz', date('breachTime'), 'Time and date at which the SLA cycle would have breached its limit.'),
    ongoing('Paused', 'boolean', 'paused', 'Indicates whether the SLA is paused or not.'),
    ongoing('WithinCalendarHours', 'boolean', 'withinCalendarHours', 'Indicates whether the SLA it timed during calendared working hours only or not'),
    ongoing('GoalDuration', 'text', 'goalDuration.friendly', 'Duration within which the service should be completed.'),
    ongoing('ElapsedTime', 'text', 'elapsedTime.friendly', 'Duration of the service.'),
    ongoing('RemainingTime', 'text', 'remainingTime.friendly', 'Duration remaining for the service to be completed.'),
    completed('StartTime', 'timestamptz', date('startTime'), 'Time and date at which the SLA cycle started.'),
    completed('StopTime', 'timestamptz', date('stopTime'), 'Time and date at which the SLA cycle completed.'),
    completed('Breached', 'boolean', 'breached', 'Indicates whether the SLA has been breached or not.'),
    completed(
      'BreachTime', 'timestamptz', date('breachTime'),
      'Time and date at which the SLA cycle breached in case of completed breached cycle or would have breached in case of non-breached completed cycle.',
    ),
    completed('GoalDuration', 'text', 'goalDuration.friendly', 'Duration within which the service should have been completed.'),
    completed('ElapsedTime', 'text', 'elapsedTime.friendly', 'Duration in which the service was completed.'),
    completed('RemainingTime', 'text', 'remainingTime.friendly', 'Duration remaining after the service was completed.'),
  ],
  list: { path: requestPath('sla'), paging: 'servicedesk' },
  get: { path: requestPath('sla/{slaMetricId}'), paging: 'none' },
  filters: [
    ...REQUEST_CHILD_FILTERS,
    ...REQUEST_CHILD_GET_FILTERS,
    { column: 'Id', operators: ['='], param: 'slaMetricId', endpoint: 'get' },
  ],
  parent: { ...REQUEST_PARENT, expand: { name: 'sla', items: 'sla' } },
};
