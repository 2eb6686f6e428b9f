#!/usr/bin/env python3
"""What an admin would script instead of Ringback: load Master.csv into SQLite with the
standard library, then mark the unanswered inbound calls. The benchmark's second reference.

    python3 bench/python_loader.py Master.csv out.db
"""
import csv
import sqlite3
import sys

INBOUND = ("from-trunk", "from-pstn", "from-external")


def main(source, target):
    db = sqlite3.connect(target)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("""CREATE TABLE IF NOT EXISTS cdr (accountcode, src, dst, dcontext, clid, channel, dstchannel,
                  lastapp, lastdata, start, answer, "end", duration, billsec, disposition, amaflags,
                  uniqueid, userfield, peeraccount, linkedid, sequence)""")
    with open(source, newline="", encoding="utf-8", errors="replace") as handle:
        rows = (row + [""] * (21 - len(row)) for row in csv.reader(handle) if len(row) >= 16)
        db.executemany("INSERT INTO cdr VALUES (" + ",".join("?" * 21) + ")", (row[:21] for row in rows))
    # A call (by linkedid) that came in from a trunk and that no leg answered is missed.
    db.execute("""CREATE TABLE missed AS
                  SELECT linkedid, min(start) AS start, min(src) AS number FROM cdr
                  GROUP BY linkedid
                  HAVING sum(dcontext IN (?, ?, ?)) > 0 AND sum(disposition = 'ANSWERED') = 0""", INBOUND)
    db.commit()
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
