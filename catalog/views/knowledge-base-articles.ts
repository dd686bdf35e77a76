import type { TableDecl } from '../../src/catalog/types.ts';
import { DESK_FILTER, DESK_PARENT, deskIdColumn, SD_API } from '../shared.ts';

/**
 * Searched per desk (`/servicedesk/{id}/knowledgebase/article`) so every row says its desk; a
 * query that names no desk can use the cross-desk search instead (`listAll`, ServiceDeskId null).
 */
export const KnowledgeBaseArticles: TableDecl = {
  name: 'KnowledgeBaseArticles',
  kind: 'view',
  description: 'The articles which match the given query string across all service desks.',
  columns: [
    deskIdColumn('The ID of the service desk.'),
    { name: 'Title', type: 'text', remote: 'title', description: 'The title of the article.' },
    { name: 'Excerpt', type: 'text', remote: 'excerpt', description: 'The excerpt of the article.' },
    { name: 'SourceType', type: 'text', remote: 'source.type', description: "The article's source type" },
    // The seed marks no key; the Confluence page is what identifies an article.
    { name: 'SourcePageId', type: 'text', key: true, remote: 'source.pageId', description: "The article's source page id" },
    { name: 'SourceSpaceKey', type: 'text', remote: 'source.spaceKey', description: "The article's source space key" },
    { name: 'ContentiFramesource', type: 'text', remote: 'content.iframeSrc', description: 'The link to the article.' },
    { name: 'Query', type: 'text', pseudo: true, description: 'The string used to filter the articles (required).' },
    {
      name: 'Highlight', type: 'boolean', pseudo: true, default: 'false',
      description: 'If set to true matching query term in the title and excerpt will be highlighted using the {@code @@@hl@@@term@@@endhl@@@} syntax. Default: false.',
    },
  ],
  list: { path: `${SD_API}/servicedesk/{serviceDeskId}/knowledgebase/article`, paging: 'servicedesk' },
  filters: [
    DESK_FILTER,
    { column: 'Query', operators: ['='], param: 'query' },
    { column: 'Highlight', operators: ['='], param: 'highlight' },
  ],
  required: ['Query'],
  parent: {
    ...DESK_PARENT,
    listAll: { path: `${SD_API}/knowledgebase/article`, paging: 'servicedesk', params: ['query', 'highlight'] },
  },
};
