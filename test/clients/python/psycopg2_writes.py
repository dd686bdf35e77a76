"""Writes through the gateway the way a Python application does, with psycopg2 in its default mode.

Usage: python3 psycopg2_writes.py POSTGRES_URL

psycopg2 opens a transaction (BEGIN) before the first statement and keeps it until commit() or
rollback(); writes to JSM relations are applied as they run, so the gateway warns that ROLLBACK
will not undo them. Prints one JSON object of observations; test/clients/writes-psycopg2.test.ts
makes the assertions, so a failure shows the whole picture rather than the first traceback.
"""

import json
import sys

import psycopg2
import psycopg2.errors

# One comment per row of executemany; two requests, so the API calls go to two paths.
MANY = [
    ("10001", "psycopg2 executemany 1 – ünïcödé ✓", True),
    ("10001", "psycopg2 executemany 2 it's 100%", False),
    ("10002", "psycopg2 executemany 3", True),
]
RETURNING_BODY = "psycopg2 returning"


def error_info(e):
    return {"pgcode": e.pgcode, "class": type(e).__name__, "message": e.pgerror}


def executemany_then_read(conn):
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO RequestComments (RequestId, Body, Public) VALUES (%s, %s, %s)", MANY)
        rowcount = cur.rowcount
        status = conn.get_transaction_status()
        # the same (still open) transaction reads what the API now holds
        cur.execute(
            "SELECT RequestId, Body, Public FROM RequestComments WHERE RequestId IN %s AND Body LIKE %s ORDER BY Body",
            (("10001", "10002"), "psycopg2 executemany%"),
        )
        seen = [list(r) for r in cur.fetchall()]
    conn.commit()
    return {
        "rowcount": rowcount,
        "inTransaction": status == psycopg2.extensions.TRANSACTION_STATUS_INTRANS,
        "seen": seen,
    }


def returning(conn):
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO RequestComments (RequestId, Body, Public) VALUES (%s, %s, %s) RETURNING Id, RequestId, Body, Public",
            ("10003", RETURNING_BODY, True),
        )
        row = list(cur.fetchone())
        names = [d.name for d in cur.description]
        rowcount = cur.rowcount
        status = cur.statusmessage
    conn.commit()
    # the next transaction finds the comment by the Id the INSERT returned
    with conn.cursor() as cur:
        cur.execute("SELECT Body FROM RequestComments WHERE RequestId = %s AND Id = %s", ("10003", row[0]))
        again = cur.fetchall()
    conn.commit()
    return {"row": row, "columns": names, "rowcount": rowcount, "status": status, "readBack": [list(r) for r in again]}


def identity(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT Id, Batch, Operation, Message FROM sys_identity ORDER BY Batch::int, Id")
        rows = [list(r) for r in cur.fetchall()]
    conn.commit()
    return rows


def approval(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT Id, RequestId FROM RequestApprovals WHERE FinalDecision = 'pending' ORDER BY RequestId, Id LIMIT 1")
        pending = cur.fetchone()
        if pending is None:
            conn.commit()
            return {"pending": None}
        approval_id, request_id = pending
        cur.execute(
            "UPDATE RequestApprovals SET FinalDecision = %s WHERE RequestId = %s AND Id = %s",
            ("approve", request_id, approval_id),
        )
        rowcount = cur.rowcount
        status = cur.statusmessage
        conn.commit()
        cur.execute("SELECT FinalDecision FROM RequestApprovals WHERE RequestId = %s AND Id = %s", (request_id, approval_id))
        after = cur.fetchone()[0]
    conn.commit()
    return {"pending": [approval_id, request_id], "rowcount": rowcount, "status": status, "after": after}


def missing_body(conn):
    out = {}
    with conn.cursor() as cur:
        try:
            cur.execute("INSERT INTO RequestComments (RequestId, Public) VALUES (%s, %s)", ("10001", True))
            out["error"] = "no error"
        except psycopg2.Error as e:
            out["error"] = error_info(e)
        out["statusAfterError"] = conn.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_INERROR
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM RequestComments WHERE RequestId = %s AND Body LIKE %s", ("10001", "psycopg2 %"))
        out["after"] = cur.fetchone()[0]
    conn.commit()
    return out


def main():
    url = sys.argv[1]
    conn = psycopg2.connect(url, application_name="psycopg2-writes-test")
    try:
        result = {
            "autocommit": conn.autocommit,
            "executemany": executemany_then_read(conn),
            "returning": returning(conn),
            "approval": approval(conn),
            "missingBody": missing_body(conn),
            "identity": identity(conn),
            "notices": list(conn.notices),
            "many": [list(r) for r in MANY],
            "returningBody": RETURNING_BODY,
        }
    finally:
        conn.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
