import type { TableDecl } from '../../src/catalog/types.ts';
import { date, REQUEST_CHILD_FILTERS, REQUEST_CHILD_GET_FILTERS, REQUEST_PARENT, requestIdColumn, requestKeyColumn, requestPath } from '../shared.ts';

export const RequestComments: TableDecl = {
  name: 'RequestComments',
  kind: 'table',
  description: 'This resource represents request comments.',
  columns: [
    { name: 'Id', type: 'text', key: true, remote: 'id', description: 'The ID of the comment.' },
    requestIdColumn('The ID of the request.'),
    requestKeyColumn('The Key of the request.'),
    { name: 'Body', type: 'text', writable: true, remote: 'body', description: 'The Body of the comment.' },
    { name: 'Public', type: 'boolean', remote: 'public', description: 'Shows if the comment is public or internal' },
    { name: 'AuthorKey', type: 'text', remote: 'author.key|author.accountId', description: 'The key of the comment author.' },
    { name: 'CreatedAt', type: 'timestamptz', remote: date('created'), description: 'The datetime the comment was created.' },
    {
      name: 'Internal', type: 'boolean', pseudo: true, default: 'true',
      description: 'Specifies whether to return internal comments or not. Default: true.',
    },
  ],
  list: { path: requestPath('comment'), paging: 'servicedesk' },
  get: { path: requestPath('comment/{commentId}'), paging: 'none' },
  filters: [
    ...REQUEST_CHILD_FILTERS,
    ...REQUEST_CHILD_GET_FILTERS,
    { column: 'Id', operators: ['='], param: 'commentId', endpoint: 'get' },
    // `public=false` leaves public comments out and `internal=false` internal ones; the engine re-checks Public.
    { column: 'Public', operators: ['='], param: 'public' },
    { column: 'Internal', operators: ['='], param: 'internal' },
  ],
  parent: { ...REQUEST_PARENT, expand: { name: 'comment', items: 'comments' } },
  // A comment posted twice is two comments, and nothing tells a lost answer's comment from an
  // older one with the same text: such a row is reported unknown, never sent again.
  writes: {
    insert: {
      forms: [{
        method: 'POST', path: requestPath('comment'), body: { body: '{Body}', public: '{Public}' },
        needs: ['RequestId|RequestKey', 'Body'], columns: ['Body', 'Public'], returns: 'item',
      }],
      // JSM requires `public`; left out, the comment is a reply the customer sees (false: an internal note)
      defaults: { Public: true },
    },
  },
};
