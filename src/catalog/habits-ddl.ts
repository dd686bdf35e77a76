/**
 * `WHERE RequestId = 10001`: the seed's users compare its ID columns (text, as the seed types them)
 * with numbers, which PostgreSQL refuses (operator does not exist: text = integer). Operators
 * text = bigint and bigint = text (and <>) in schema jsm make that compare the number's text form.
 *
 * Chosen over rewriting constants in the parse tree (measured on the engine, issue 13):
 * - they also cover parameters a driver types as integers (pgjdbc setInt: `RequestId = $1::int4`),
 *   IN lists, CASE and views, which a rewrite of literal constants would miss;
 * - an untyped literal keeps PostgreSQL's own resolution (`'05' = 5` still compares integers:
 *   an operator whose argument types are both known wins before any candidate of ours is looked
 *   at), and text = text is untouched;
 * - their SQL bodies are inlined and folded when the statement is planned, so EXPLAIN shows
 *   `requestid = '10001'::text` and the planner pushes it to the API like the quoted form.
 * The functions live in pg_jsm_rows (off the search_path, so `\df` does not list them).
 */
import { JSM_SCHEMA, ROWS_SCHEMA } from './registry.ts';

export function habitOperatorsDdl(): string[] {
  const fn = (name: string, args: string, body: string) =>
    `CREATE FUNCTION ${ROWS_SCHEMA}.${name}(${args}) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE RETURN ${body}`;
  return [
    fn('text_eq_number', 'text, bigint', '$1 = $2::text'),
    fn('number_eq_text', 'bigint, text', '$1::text = $2'),
    fn('text_ne_number', 'text, bigint', '$1 <> $2::text'),
    fn('number_ne_text', 'bigint, text', '$1::text <> $2'),
    `CREATE OPERATOR ${JSM_SCHEMA}.= (LEFTARG = text, RIGHTARG = bigint, FUNCTION = ${ROWS_SCHEMA}.text_eq_number, COMMUTATOR = OPERATOR(${JSM_SCHEMA}.=), NEGATOR = OPERATOR(${JSM_SCHEMA}.<>))`,
    `CREATE OPERATOR ${JSM_SCHEMA}.= (LEFTARG = bigint, RIGHTARG = text, FUNCTION = ${ROWS_SCHEMA}.number_eq_text, NEGATOR = OPERATOR(${JSM_SCHEMA}.<>))`,
    `CREATE OPERATOR ${JSM_SCHEMA}.<> (LEFTARG = text, RIGHTARG = bigint, FUNCTION = ${ROWS_SCHEMA}.text_ne_number, COMMUTATOR = OPERATOR(${JSM_SCHEMA}.<>))`,
    `CREATE OPERATOR ${JSM_SCHEMA}.<> (LEFTARG = bigint, RIGHTARG = text, FUNCTION = ${ROWS_SCHEMA}.number_ne_text)`,
    `COMMENT ON OPERATOR ${JSM_SCHEMA}.= (text, bigint) IS 'text = number compares the number''s text form (RequestId = 10001 as RequestId = ''10001'')'`,
  ];
}
