"""Drives the gateway the way a Python application does, with psycopg2 (libpq underneath).

Usage: python3 psycopg2_client.py POSTGRES_URL

Prints one JSON object of observations; test/clients/psycopg2.test.ts makes the assertions, so a
failure shows the whole picture rather than the first Python traceback.
"""

import json
import sys

import psycopg2
import psycopg2.errors

# Quotes, a backslash, a percent sign and characters outside Latin-1: all must survive both the
# client-side parameter interpolation and the server's text path unchanged.
AWKWARD_TEXT = "it's \"quoted\" \\ 100% – ünïcödé ✓ 漢字 🎫"


def described(value):
    """A value with the Python type psycopg2 gave it, as JSON."""
    if value is None:
        return {"type": "NoneType", "value": None}
    if hasattr(value, "isoformat"):
        return {
            "type": type(value).__name__,
            "value": value.isoformat(),
            "tz": value.tzinfo is not None and value.utcoffset() is not None,
        }
    return {"type": type(value).__name__, "value": value}


def parameters(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT RequestKey, ServiceDeskId FROM Requests WHERE RequestId = %s", ("10001",))
        by_key = cur.fetchall()
        cur.execute(
            "SELECT RequestKey FROM Requests WHERE ServiceDeskId IN %s AND RequestId = %s",
            (("1", "2"), "10001"),
        )
        in_tuple = cur.fetchall()
        cur.execute("SELECT %s::int + 1 AS n, %s AS t, %s AS b, %s AS nothing", (41, AWKWARD_TEXT, True, None))
        row = cur.fetchone()
        names = [d.name for d in cur.description]
    conn.commit()
    return {
        "byKey": [list(r) for r in by_key],
        "inTuple": [list(r) for r in in_tuple],
        "columns": names,
        "row": [described(v) for v in row],
    }


def named_cursor(conn, itersize, withhold):
    """A server-side cursor (DECLARE … CURSOR, then FETCH FORWARD itersize) iterated to the end."""
    keys = []
    open_cursors = None
    with conn.cursor("jsm_scan_hold" if withhold else "jsm_scan", withhold=withhold) as cur:
        cur.itersize = itersize
        cur.execute("SELECT RequestKey FROM Requests WHERE ServiceDeskId = %s ORDER BY RequestId::int", ("1",))
        for (key,) in cur:
            keys.append(key)
            if open_cursors is None:
                # Mid-iteration, the cursor must exist on the server (rows are fetched itersize at a time).
                with conn.cursor() as probe:
                    probe.execute("SELECT name, is_holdable FROM pg_cursors ORDER BY name")
                    open_cursors = [list(r) for r in probe.fetchall()]
    conn.commit()
    # The same query through an ordinary (client-side) cursor, for comparison.
    with conn.cursor() as cur:
        cur.execute("SELECT RequestKey FROM Requests WHERE ServiceDeskId = %s ORDER BY RequestId::int", ("1",))
        plain = [k for (k,) in cur.fetchall()]
    conn.commit()
    return {"keys": keys, "plain": plain, "openCursors": open_cursors}


def error_then_rollback(conn):
    out = {}
    with conn.cursor() as cur:
        try:
            cur.execute("SELECT * FROM NoSuchRelation")
            out["first"] = "no error"
        except psycopg2.Error as e:
            out["first"] = {"pgcode": e.pgcode, "class": type(e).__name__}
        # Inside the failed transaction every statement is refused until the rollback.
        try:
            cur.execute("SELECT 1")
            out["inFailed"] = "no error"
        except psycopg2.Error as e:
            out["inFailed"] = {"pgcode": e.pgcode, "class": type(e).__name__}
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute("SELECT RequestKey FROM Requests WHERE RequestId = %s", ("10001",))
        out["after"] = cur.fetchone()[0]
        try:
            cur.execute("SELEC 1")
        except psycopg2.Error as e:
            out["syntax"] = e.pgcode
    conn.rollback()
    return out


def types(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT CreatedDate, Summary FROM Requests WHERE RequestId = %s", ("10001",))
        created, summary = cur.fetchone()
        cur.execute("SELECT Public, Internal FROM RequestComments WHERE RequestId = %s ORDER BY Id LIMIT 1", ("10001",))
        public, internal = cur.fetchone()
        cur.execute("SELECT RequestKey, RequestParticipants FROM Requests WHERE RequestParticipants IS NULL ORDER BY RequestId::int LIMIT 1")
        null_row = cur.fetchone()
        # The awkward text goes through a JSM query's filter too: no match, and no quoting error.
        cur.execute("SELECT count(*) FROM Requests WHERE Summary = %s", (AWKWARD_TEXT,))
        no_match = cur.fetchone()[0]
        cur.execute("SELECT %s::timestamptz AS ts, %s::boolean AS f", ("2024-01-21T16:18:27Z", False))
        ts, f = cur.fetchone()
    conn.commit()
    return {
        "createdDate": described(created),
        "summary": described(summary),
        "public": described(public),
        "internal": described(internal),
        "nullRow": [described(v) for v in null_row] if null_row else None,
        "awkwardNoMatch": no_match,
        "roundTripTimestamp": described(ts),
        "roundTripFalse": described(f),
    }


def main():
    url = sys.argv[1]
    conn = psycopg2.connect(url, application_name="psycopg2-test")
    try:
        result = {
            "serverVersion": conn.server_version,
            "encoding": conn.encoding,
            "parameters": parameters(conn),
            "namedCursor": named_cursor(conn, itersize=7, withhold=False),
            "namedCursorWithHold": named_cursor(conn, itersize=10, withhold=True),
            "errors": error_then_rollback(conn),
            "types": types(conn),
            "awkwardText": AWKWARD_TEXT,
        }
    finally:
        conn.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
