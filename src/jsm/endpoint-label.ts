/** A resource name of a JSM path (request, servicedeskapi, requesttype, temporary-attachment). */
const RESOURCE = /^[a-z][a-z_-]{0,39}$/;
/** The API version of /rest/<api>/<version>/… (/rest/api/3, /rest/agile/1.0). */
const VERSION = /^(\d{1,2}(\.\d{1,2})?|latest)$/;

/**
 * A request path as a metrics label: its template, `/rest/servicedeskapi/request/{id}/comment`.
 * The query string is dropped and every segment that is not a resource name becomes `{id}`: ids,
 * issue keys (SD-1), account ids, emails, percent-encoded values. Anything that identifies a
 * person or an object stays out of the label, and the labels stay few.
 * `path` is the path after the site's context path (what the catalog and callers write).
 */
export function endpointLabel(path: string): string {
  const segments = path.split('?', 1)[0]!.split('/');
  return segments
    .map((s, i) => (s === '' || RESOURCE.test(s) || (i === 3 && segments[1] === 'rest' && VERSION.test(s)) ? s : '{id}'))
    .join('/');
}
