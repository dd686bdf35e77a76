import { loadModule } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyRelationAsQuery, legacyCatalogNames } from './rewrite.ts';

beforeAll(() => loadModule());

describe('COPY relation TO as COPY (query) TO', () => {
  it('reads the relation through a query, keeping the target and options', () => {
    expect(copyRelationAsQuery('COPY servicedesks TO STDOUT')).toBe('COPY (SELECT * FROM "servicedesks") TO STDOUT');
    expect(copyRelationAsQuery('copy "jsm"."requests" (requestid, "summary") to stdout with (format csv, header)'))
      .toBe('copy (SELECT "requestid", "summary" FROM "jsm"."requests") to stdout with (format csv, header)');
    expect(copyRelationAsQuery("COPY jsm.requests TO '/tmp/to x'")).toBe(`COPY (SELECT * FROM "jsm"."requests") TO '/tmp/to x'`);
  });

  it('leaves everything else alone', () => {
    expect(copyRelationAsQuery('COPY (SELECT 1) TO STDOUT')).toBeUndefined();
    expect(copyRelationAsQuery('COPY requests FROM STDIN')).toBeUndefined();
    expect(copyRelationAsQuery('COPY BINARY requests TO STDOUT')).toBeUndefined(); // no query form of the old spelling
    expect(copyRelationAsQuery('COPY nonsense')).toBeUndefined();
  });
});

describe('catalog names of psql 15/16', () => {
  it('maps the columns PostgreSQL 17 renamed, in catalog queries only', () => {
    expect(legacyCatalogNames('SELECT d.daticulocale AS "ICU Locale" FROM pg_catalog.pg_database d'))
      .toBe('SELECT d.datlocale AS "ICU Locale" FROM pg_catalog.pg_database d');
    expect(legacyCatalogNames('SELECT c.colliculocale FROM pg_catalog.pg_collation c')).toBe('SELECT c.colllocale FROM pg_catalog.pg_collation c');
    expect(legacyCatalogNames('SELECT daticulocale FROM my_table')).toBe('SELECT daticulocale FROM my_table');
  });
});
