/**
 * The shape of a catalog declaration: one JSM entity as data. The planner reads filters and
 * endpoints from here, and the executor fetches and maps rows by them with generic code
 * (src/executor); no entity has code of its own. Names keep the seed's spelling; the engine
 * lower-cases them.
 */
export type SqlType = 'text' | 'boolean' | 'timestamptz' | 'integer' | 'bigint' | 'double precision' | 'jsonb';

/** Operators a filter takes to the API: `=` (an IN list fans out to one call per value) or `in` (the API takes several values in one call). */
export type FilterOp = '=' | 'in';

export interface ColumnDecl {
  readonly name: string;
  readonly type: SqlType;
  readonly description: string;
  /** Part of the primary key. */
  readonly key?: boolean;
  /** Writable through INSERT/UPDATE (tables only). Defaults to false. */
  readonly writable?: boolean;
  /**
   * Dotted path into one API item, e.g. `createdDate.iso8601`; `a.values[].b` maps over arrays
   * (joined with ', ' for text columns, kept as JSON for jsonb).
   */
  readonly remote?: string;
  /**
   * The value comes from the call's binding (the parent key used in the path), not the item.
   * When the binding lacks it (or it fails `bindPattern`), `remote` is read instead if declared.
   */
  readonly bind?: string;
  /**
   * A regular expression the bound value must match to be used: one placeholder such as
   * `{issueIdOrKey}` carries either an ID or a key, and each belongs in its own column.
   */
  readonly bindPattern?: string;
  /** An input of writes only (e.g. the comment sent with a transition); always null when read. */
  readonly writeOnly?: boolean;
  /** A pseudo column: an input to the API, echoed back from the pushed value or its default. */
  readonly pseudo?: boolean;
  readonly default?: string;
  readonly values?: readonly string[];
  /** Foreign key, by seed names. */
  readonly references?: { readonly table: string; readonly column: string };
  /** API `expand` value needed to fill this column; not requested unless the column is read. */
  readonly expand?: string;
}

export interface EndpointDecl {
  /** Path with `{binding}` placeholders, relative to the site URL. */
  readonly path: string;
  /** `servicedesk` = start/limit/isLastPage envelope, `platform` = startAt/maxResults, `none` = single object. */
  readonly paging: 'servicedesk' | 'platform' | 'none';
  /** Constant query parameters always sent. */
  readonly query?: Readonly<Record<string, string>>;
  /**
   * Dotted path to the array of rows inside a single-object response (`paging: 'none'`), e.g.
   * `requestTypeFields`: each element is one row. Without it the response itself is the row.
   */
  readonly items?: string;
}

/**
 * One call that lists the rows of every parent at once, used instead of one call per parent
 * when the query binds none of the parent keys (by a qual or a join).
 */
export interface ListAllDecl extends EndpointDecl {
  /** Params of the table's list filters this endpoint also accepts as query parameters; other quals stay in the engine. */
  readonly params: readonly string[];
}

export interface FilterDecl {
  readonly column: string;
  readonly operators: readonly FilterOp[];
  /** Binding key: a `{placeholder}` of the endpoint path or a query parameter name. */
  readonly param: string;
  /** Only this endpoint takes the filter (`list` by default, `get` for get-by-key). */
  readonly endpoint?: 'list' | 'get';
  /** Other params the API needs in the same call for this one to be accepted (else the qual stays local). */
  readonly requires?: readonly string[];
}

/** A child entity fetched per parent key: the planner supplies the binding from the parent's rows. */
export interface ParentDecl {
  readonly table: string;
  /** binding key → parent column, e.g. { requestId: 'RequestId' } */
  readonly keys: Readonly<Record<string, string>>;
  /**
   * Child column → parent column, copied from the parent row the call was bound to: the API's
   * child items do not carry them (e.g. a comment does not say its request's key).
   */
  readonly columns?: Readonly<Record<string, string>>;
  /** The rows of all parents in one call; rows fetched this way have their bound parent columns null. */
  readonly listAll?: ListAllDecl;
  /**
   * The parent's `expand` that carries the first page of each parent's children inline (`name`,
   * e.g. comment) and where that page is in the parent's item (`items`, e.g. comments: a page
   * with `values` and `isLastPage`): reading the parents with it replaces one call per parent.
   */
  readonly expand?: { readonly name: string; readonly items: string };
}

export interface TableDecl {
  readonly name: string;
  readonly kind: 'table' | 'view';
  readonly description: string;
  readonly experimental?: boolean;
  readonly columns: readonly ColumnDecl[];
  readonly list: EndpointDecl;
  /** Get by key: every `{placeholder}` must be bound by an `=` filter with endpoint 'get'. */
  readonly get?: EndpointDecl;
  readonly filters: readonly FilterDecl[];
  readonly parent?: ParentDecl;
  /** Filter columns without which the API cannot be called (error names them). */
  readonly required?: readonly string[];
  /** INSERT, UPDATE and DELETE through the API (src/writes); a relation without one is read only. */
  readonly writes?: WritesDecl;
}

/**
 * A JSON body template: a string `{Column}` is replaced by the row's value of that column (typed by
 * the column: booleans and numbers stay JSON booleans and numbers); a key whose column is null is
 * left out, and so are arrays and objects left empty.
 */
export type BodyTemplate = string | number | boolean | readonly BodyTemplate[] | { readonly [key: string]: BodyTemplate };

/**
 * One way of applying a row: the first form whose `needs` all have values applies (a participant
 * by account ID or by user name; an organization created by name or added to a desk by ID).
 */
export interface WriteForm {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  /** Path with `{binding}` placeholders: each is filled from the first of `bindings[binding]` (or the filters on that param) with a value. */
  readonly path: string;
  readonly bindings?: Readonly<Record<string, readonly string[]>>;
  readonly body?: BodyTemplate;
  /** Columns that must have a value for this form to apply. */
  readonly needs: readonly string[];
  /** Columns the statement may give values to (besides the path's); any other with a value is refused, not ignored. */
  readonly columns: readonly string[];
  /**
   * What the response holds: the written item (mapped like a read of the relation), a page of
   * items among which the row is found by its key columns, or nothing (the row is returned as written).
   */
  readonly returns: 'item' | 'page' | 'none';
  readonly experimental?: boolean;
  /**
   * Columns added at run time (custom fields) whose `remote` starts with `remotePrefix` followed
   * by an ID and `]`: their values are sent in the body's `into` object under that ID.
   */
  readonly fieldColumns?: { readonly into: string; readonly remotePrefix: string };
  /**
   * How to settle a call whose response was lost (the connection dropped after sending): read the
   * row back by its key and check that it is there, that it is gone, or that the written columns
   * hold the written values. Without it such a row is reported as unknown, never retried.
   */
  readonly settle?: 'present' | 'absent' | 'values';
}

export interface WriteOp {
  readonly forms: readonly WriteForm[];
  /** Values of columns an INSERT leaves out (as a column DEFAULT would), e.g. a comment's Public. */
  readonly defaults?: Readonly<Record<string, string | number | boolean>>;
  /** Allowed values per column (after `aliases`); anything else is 22023 before any call. */
  readonly values?: Readonly<Record<string, readonly string[]>>;
  /** Values accepted as another, e.g. FinalDecision 'approved' → 'approve'. */
  readonly aliases?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** How the API reports a value it was sent, when it differs, e.g. FinalDecision 'approve' → 'approved' (for reading a row back). */
  readonly readAs?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Other relations whose cached rows this write changes (its own and its parent's are always dropped). */
  readonly touches?: readonly string[];
}

export interface WritesDecl {
  readonly insert?: WriteOp;
  readonly update?: WriteOp;
  readonly delete?: WriteOp;
}

export type ParamDirection = 'in' | 'inout' | 'out';

export interface ProcedureParamDecl {
  readonly name: string;
  /** bytea: file content (AttachTemporaryFile's Content); every seed parameter is text. */
  readonly type: SqlType | 'bytea';
  readonly description: string;
  readonly required?: boolean;
  readonly direction?: ParamDirection;
  /**
   * The gateway's own, beyond the seed's (declared after them): what the seed's connector takes
   * from elsewhere, e.g. the file content AttachTemporaryFile uploads, or the API's name of one.
   */
  readonly extension?: boolean;
}

/**
 * A stored procedure of the seed, listed by sys_procedures and sys_procedureparameters with its
 * parameters and result columns. The gateway carries out `CALL <name>(…)` itself (src/procedures:
 * positional or named arguments, then the JSM API), and the engine holds a procedure of the same
 * name and signature (src/catalog/procedures-ddl.ts) so that `\df`, driver metadata and
 * extended-protocol Parse/Describe of a CALL see it; its body only raises, as the gateway answers
 * every CALL of it before the engine would run it.
 */
export interface ProcedureDecl {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ProcedureParamDecl[];
  readonly result: readonly { readonly name: string; readonly type: SqlType; readonly description: string }[];
}
