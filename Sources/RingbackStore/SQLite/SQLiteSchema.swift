import Foundation

/// The schema, as an ordered list of migrations; `PRAGMA user_version` records how many
/// have run. Append new migrations; never edit one that has shipped.
enum SQLiteSchema {
    static let all: [String] = [
        // 1: the first schema.
        """
        CREATE TABLE legs (
            leg_id INTEGER PRIMARY KEY,
            digest BLOB NOT NULL UNIQUE,
            call_id TEXT,
            source TEXT NOT NULL,
            file TEXT NOT NULL,
            line INTEGER NOT NULL,
            accountcode TEXT, src TEXT, dst TEXT, dcontext TEXT, clid TEXT,
            channel TEXT, dstchannel TEXT, lastapp TEXT, lastdata TEXT,
            start INTEGER NOT NULL, answer INTEGER, end INTEGER NOT NULL,
            duration INTEGER NOT NULL, billsec INTEGER NOT NULL,
            disposition TEXT NOT NULL, amaflags TEXT,
            uniqueid TEXT, userfield TEXT, peeraccount TEXT, linkedid TEXT, sequence INTEGER
        );
        CREATE INDEX legs_waiting ON legs(leg_id) WHERE call_id IS NULL;

        CREATE TABLE calls (
            call_id TEXT PRIMARY KEY,
            started_at INTEGER NOT NULL,
            ended_at INTEGER NOT NULL,
            direction TEXT NOT NULL,
            number TEXT,
            raw_number TEXT NOT NULL,
            answered INTEGER NOT NULL,
            extension TEXT,
            rang TEXT NOT NULL,
            voicemail INTEGER NOT NULL,
            talk_seconds INTEGER NOT NULL,
            leg_count INTEGER NOT NULL,
            client_id TEXT,
            manager_id TEXT,
            callback_id INTEGER,
            ignored INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX calls_missed ON calls(started_at) WHERE direction = 'inbound' AND answered = 0 AND ignored = 0;

        CREATE TABLE callbacks (
            callback_id INTEGER PRIMARY KEY,
            number TEXT NOT NULL,
            client_id TEXT,
            manager_id TEXT,
            first_call_id TEXT NOT NULL,
            first_missed_at INTEGER NOT NULL,
            due_at INTEGER NOT NULL,
            state TEXT NOT NULL,
            resolved_at INTEGER,
            resolved_by TEXT,
            resolution_call_id TEXT,
            reason TEXT
        );
        CREATE UNIQUE INDEX callbacks_open_number ON callbacks(number) WHERE state = 'open';
        CREATE INDEX callbacks_state ON callbacks(state, due_at);
        CREATE INDEX callbacks_manager ON callbacks(manager_id, state);
        CREATE INDEX callbacks_resolved ON callbacks(resolved_at) WHERE resolved_at IS NOT NULL;

        CREATE TABLE callback_calls (
            callback_id INTEGER NOT NULL,
            call_id TEXT NOT NULL,
            role TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (callback_id, call_id)
        ) WITHOUT ROWID;

        CREATE TABLE alerts (
            alert_id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            raised_at INTEGER NOT NULL,
            manager_id TEXT,
            client_id TEXT,
            number TEXT,
            call_id TEXT,
            callback_id INTEGER,
            acknowledged_at INTEGER,
            acknowledged_by TEXT,
            resolved_at INTEGER,
            resolution TEXT,
            UNIQUE (kind, call_id)
        );
        CREATE INDEX alerts_raised ON alerts(raised_at);
        CREATE INDEX alerts_unresolved ON alerts(raised_at) WHERE resolved_at IS NULL;
        CREATE INDEX alerts_callback ON alerts(callback_id);
        CREATE INDEX alerts_call ON alerts(call_id);

        CREATE TABLE contact_checks (
            call_id TEXT PRIMARY KEY,
            manager_id TEXT,
            client_id TEXT,
            number TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            deadline INTEGER NOT NULL,
            checked INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX contact_checks_due ON contact_checks(deadline) WHERE checked = 0;

        CREATE TABLE managers (
            manager_id TEXT PRIMARY KEY, name TEXT NOT NULL, login TEXT, email TEXT, role TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE manager_extensions (
            extension TEXT PRIMARY KEY, manager_id TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE clients (
            client_id TEXT PRIMARY KEY, name TEXT NOT NULL, abc TEXT, manager_id TEXT
        ) WITHOUT ROWID;
        CREATE TABLE client_phones (
            number TEXT PRIMARY KEY, client_id TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX client_phones_client ON client_phones(client_id);
        CREATE TABLE contacts (
            contact_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, manager_id TEXT, client_id TEXT,
            phone TEXT, kind TEXT, note TEXT, imported_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX contacts_client ON contacts(client_id, created_at);
        CREATE INDEX contacts_phone ON contacts(phone, created_at);

        CREATE TABLE checkpoints (
            source TEXT NOT NULL,
            file_key TEXT NOT NULL,
            path TEXT NOT NULL,
            offset INTEGER NOT NULL,
            line INTEGER NOT NULL,
            fingerprint BLOB NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (source, file_key)
        ) WITHOUT ROWID;

        CREATE TABLE sources (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            last_row_at INTEGER,
            last_read_at INTEGER,
            rows INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            pending_bytes INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE quarantine (
            quarantine_id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            file TEXT NOT NULL,
            line INTEGER NOT NULL,
            reason TEXT NOT NULL,
            raw BLOB NOT NULL,
            dialect TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (source, file, line, raw)
        );

        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        """,
        // v2: the report's dormant-client list asks for each client's last answered call;
        // the exec hook's delivery state survives restarts.
        """
        CREATE INDEX calls_client_answered ON calls(client_id, started_at) WHERE answered = 1;

        CREATE TABLE hook_deliveries (
            alert_id INTEGER PRIMARY KEY,
            state TEXT NOT NULL,            -- pending, sending, delivered, failed, skipped
            attempts INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            delivered_at INTEGER,
            last_error TEXT
        );
        CREATE INDEX hook_deliveries_due ON hook_deliveries(next_attempt_at) WHERE state IN ('pending', 'sending');
        """,
        // v3, for backfill speed. A leg's identity is looked up by (start, digest) instead of
        // the digest alone: CDRs arrive in about the order they started, so new keys land at
        // the right edge of the index and stay in the page cache; keyed by a random digest,
        // every insert of a large backfill touched a random page (8.5 s instead of 3.4 s for
        // 1 M rows in the sqlite3 shell). The digest covers start: both keys are as unique.
        """
        CREATE TABLE legs_v3 (
            leg_id INTEGER PRIMARY KEY,
            digest BLOB NOT NULL,
            call_id TEXT,
            source TEXT NOT NULL,
            file TEXT NOT NULL,
            line INTEGER NOT NULL,
            accountcode TEXT, src TEXT, dst TEXT, dcontext TEXT, clid TEXT,
            channel TEXT, dstchannel TEXT, lastapp TEXT, lastdata TEXT,
            start INTEGER NOT NULL, answer INTEGER, end INTEGER NOT NULL,
            duration INTEGER NOT NULL, billsec INTEGER NOT NULL,
            disposition TEXT NOT NULL, amaflags TEXT,
            uniqueid TEXT, userfield TEXT, peeraccount TEXT, linkedid TEXT, sequence INTEGER
        );
        INSERT INTO legs_v3 SELECT * FROM legs;
        DROP TABLE legs;
        ALTER TABLE legs_v3 RENAME TO legs;
        CREATE UNIQUE INDEX legs_identity ON legs(start, digest);
        CREATE INDEX legs_waiting ON legs(leg_id) WHERE call_id IS NULL;

        -- Every batch looks for open callbacks past their due time without an overdue
        -- alert. Open callbacks pile up over a backfill; with the flag and its partial
        -- index the look-up sees only those still waiting for their alert.
        ALTER TABLE callbacks ADD COLUMN overdue_alerted INTEGER NOT NULL DEFAULT 0;
        UPDATE callbacks SET overdue_alerted = 1 WHERE EXISTS
            (SELECT 1 FROM alerts a WHERE a.kind = 'callback_overdue' AND a.call_id = callbacks.first_call_id);
        CREATE INDEX callbacks_overdue_unalerted ON callbacks(due_at) WHERE state = 'open' AND overdue_alerted = 0;
        """,
        // v4: calls judged only once their starting channel's row is in (SPEC §3). A held
        // leg's arrival survives restarts, since `max_hold` counts from it on a quiet PBX; a
        // number's calls are found again to judge them again (a late row, `rejudge`) by their
        // start: calls are recorded in about the order they started, so the index grows at
        // its right edge (keyed by number first, every insert of a backfill touched a random
        // page: 300 k rows 4.6 → 7.1 s); a manager's mobiles answer for them.
        """
        ALTER TABLE legs ADD COLUMN received_at INTEGER;
        ALTER TABLE calls ADD COLUMN credited_manager TEXT;
        CREATE INDEX calls_started ON calls(started_at);

        -- Judging a number again can take back an alert or a callback: their ids are never
        -- handed out a second time (a hook's receiver drops repeats by alert_id).
        CREATE TABLE callbacks_v4 (
            callback_id INTEGER PRIMARY KEY AUTOINCREMENT,
            number TEXT NOT NULL,
            client_id TEXT,
            manager_id TEXT,
            first_call_id TEXT NOT NULL,
            first_missed_at INTEGER NOT NULL,
            due_at INTEGER NOT NULL,
            state TEXT NOT NULL,
            resolved_at INTEGER,
            resolved_by TEXT,
            resolution_call_id TEXT,
            reason TEXT,
            overdue_alerted INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO callbacks_v4 SELECT * FROM callbacks;
        DROP TABLE callbacks;
        ALTER TABLE callbacks_v4 RENAME TO callbacks;
        CREATE UNIQUE INDEX callbacks_open_number ON callbacks(number) WHERE state = 'open';
        CREATE INDEX callbacks_state ON callbacks(state, due_at);
        CREATE INDEX callbacks_manager ON callbacks(manager_id, state);
        CREATE INDEX callbacks_resolved ON callbacks(resolved_at) WHERE resolved_at IS NOT NULL;
        CREATE INDEX callbacks_overdue_unalerted ON callbacks(due_at) WHERE state = 'open' AND overdue_alerted = 0;
        CREATE INDEX callbacks_rejudging ON callbacks(first_call_id) WHERE state = 'rejudging';

        CREATE TABLE alerts_v4 (
            alert_id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            raised_at INTEGER NOT NULL,
            manager_id TEXT,
            client_id TEXT,
            number TEXT,
            call_id TEXT,
            callback_id INTEGER,
            acknowledged_at INTEGER,
            acknowledged_by TEXT,
            resolved_at INTEGER,
            resolution TEXT,
            UNIQUE (kind, call_id)
        );
        INSERT INTO alerts_v4 SELECT * FROM alerts;
        DROP TABLE alerts;
        ALTER TABLE alerts_v4 RENAME TO alerts;
        CREATE INDEX alerts_raised ON alerts(raised_at);
        CREATE INDEX alerts_unresolved ON alerts(raised_at) WHERE resolved_at IS NULL;
        CREATE INDEX alerts_callback ON alerts(callback_id);
        CREATE INDEX alerts_call ON alerts(call_id);
        CREATE TABLE manager_mobiles (
            number TEXT PRIMARY KEY, manager_id TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
        // Outgoing webhooks (SPEC §8.6): one row per event and webhook, filed in the
        // transaction of the change; `order_key` keeps one callback's events in order.
        """
        CREATE TABLE webhook_outbox (
            delivery_id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL,
            url TEXT NOT NULL,
            event TEXT NOT NULL,
            callback_id INTEGER,
            alert_id INTEGER,
            order_key TEXT NOT NULL,
            happened_at INTEGER NOT NULL,
            written_at INTEGER NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            payload TEXT,
            last_error TEXT,
            finished_at INTEGER
        );
        CREATE INDEX webhook_outbox_pending ON webhook_outbox(url, order_key, delivery_id) WHERE state = 'pending';
        -- SPEC §8.2: a manager marked inactive is signed out and can sign in no more.
        ALTER TABLE managers ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
        -- A callback's counts kept with it (a listing of a manager's callbacks read them from
        -- callback_calls, three look-ups per callback); `linked_until`, the latest of its
        -- calls, says whether they hold at the time asked for.
        ALTER TABLE callbacks ADD COLUMN missed_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE callbacks ADD COLUMN attempt_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE callbacks ADD COLUMN last_missed_at INTEGER;
        ALTER TABLE callbacks ADD COLUMN linked_until INTEGER NOT NULL DEFAULT 0;
        -- `ringback later`: a call promised for a set time moves due_at; the first due time
        -- stays for the report's within-SLA.
        ALTER TABLE callbacks ADD COLUMN sla_due_at INTEGER;
        ALTER TABLE callbacks ADD COLUMN promise_note TEXT;
        UPDATE callbacks SET
            missed_count = (SELECT count(*) FROM callback_calls x WHERE x.callback_id = callbacks.callback_id AND x.role = 'missed'),
            attempt_count = (SELECT count(*) FROM callback_calls x WHERE x.callback_id = callbacks.callback_id AND x.role = 'attempt'),
            last_missed_at = (SELECT max(at) FROM callback_calls x WHERE x.callback_id = callbacks.callback_id AND x.role = 'missed'),
            linked_until = coalesce((SELECT max(at) FROM callback_calls x WHERE x.callback_id = callbacks.callback_id), 0);
        """,
        // The report page's 30-day trend counts each day's missed calls: the partial index
        // carries the columns of its own condition, so the count reads the index alone
        // (a day of 12 k missed calls: 16 ms → under 1 ms).
        """
        DROP INDEX calls_missed;
        CREATE INDEX calls_missed ON calls(started_at, direction, answered, ignored)
            WHERE direction = 'inbound' AND answered = 0 AND ignored = 0;
        """,
        // Call back with one click (SPEC §9.1): the request is filed by whoever asks and
        // sent by the daemon alone; one live request per callback.
        """
        CREATE TABLE call_requests (
            request_id INTEGER PRIMARY KEY AUTOINCREMENT,
            callback_id INTEGER NOT NULL,
            requested_by TEXT NOT NULL,
            manager_id TEXT NOT NULL,
            extension TEXT NOT NULL,
            number TEXT NOT NULL,
            channel TEXT NOT NULL,
            context TEXT NOT NULL,
            exten TEXT NOT NULL,
            caller_id TEXT NOT NULL,
            timeout INTEGER NOT NULL,
            requested_at INTEGER NOT NULL,
            state TEXT NOT NULL,
            sent_at INTEGER,
            finished_at INTEGER,
            reason TEXT,
            -- The client's answer (DialEnd on the originated channel): the call's talk counts from it.
            dial_status TEXT,
            client_answered_at INTEGER
        );
        CREATE UNIQUE INDEX call_requests_live ON call_requests(callback_id) WHERE state IN ('queued', 'sent');
        -- SPEC §9.2: a manager away until this instant (the end of their last day away)
        -- gets no new callbacks, and the route does not ring them.
        ALTER TABLE managers ADD COLUMN away_until INTEGER;
        -- SPEC §9.2: an owner set by hand (assign, Take, the API) stays when the directory changes.
        ALTER TABLE callbacks ADD COLUMN assigned_by_hand INTEGER NOT NULL DEFAULT 0;
        -- A number may be two clients' (SPEC §9.2: then the route rings nobody first).
        CREATE TABLE client_phones_shared (
            number TEXT NOT NULL, client_id TEXT NOT NULL, PRIMARY KEY (number, client_id)
        ) WITHOUT ROWID;
        INSERT INTO client_phones_shared SELECT number, client_id FROM client_phones;
        DROP TABLE client_phones;
        ALTER TABLE client_phones_shared RENAME TO client_phones;
        CREATE INDEX client_phones_client ON client_phones(client_id);
        CREATE INDEX call_requests_by ON call_requests(requested_by, requested_at);
        CREATE INDEX call_requests_callback ON call_requests(callback_id, request_id);
        """,
        // Backfill speed: every look-up of alerts by call names the kind too, which the
        // (kind, call_id) key answers; the index by call alone cost a B-tree insert per alert.
        """
        DROP INDEX alerts_call;
        """,
        // SPEC §10: several offices in one store. A call, its callback, its alerts and a
        // one-click call belong to an office; the first office registered owns the
        // extensions the managers file writes bare.
        """
        CREATE TABLE offices (
            position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, registered_at INTEGER NOT NULL
        );
        ALTER TABLE calls ADD COLUMN office TEXT NOT NULL DEFAULT '';
        ALTER TABLE callbacks ADD COLUMN office TEXT NOT NULL DEFAULT '';
        ALTER TABLE alerts ADD COLUMN office TEXT NOT NULL DEFAULT '';
        ALTER TABLE call_requests ADD COLUMN office TEXT NOT NULL DEFAULT '';
        """,
    ]

    /// A store opened without migrating must have this build's schema.
    static func check(_ connection: SQLiteConnection) throws {
        func version() throws -> Int { try connection.prepare("PRAGMA user_version").first { Int($0.int(0)) } ?? 0 }
        var current = try version()
        // Version 0 is a store its creator (the daemon starting, a first `ingest`) is still
        // setting up: wait for it as for a lock, up to the busy timeout.
        for _ in 0..<100 where current == 0 {
            usleep(50_000)
            current = try version()
        }
        if current > all.count {
            throw StoreError(.cannotOpen, "the store \(connection.path) has schema version \(current); this ringback knows up to \(all.count): upgrade ringback")
        }
        if current < all.count {
            throw StoreError(.cannotOpen, "the store \(connection.path) has schema version \(current); this ringback needs \(all.count): "
                             + "start the upgraded ringbackd (or run `ringback ingest`) to migrate it first")
        }
    }

    static func apply(to connection: SQLiteConnection) throws {
        let current = try connection.prepare("PRAGMA user_version").first { Int($0.int(0)) } ?? 0
        guard current < all.count else {
            if current > all.count {
                throw StoreError(.other, "the store \(connection.path) has schema version \(current); this ringback knows up to \(all.count): upgrade ringback")
            }
            return
        }
        try connection.transaction {
            for index in current..<all.count { try connection.execute(all[index]) }
            try connection.execute("PRAGMA user_version = \(all.count)")
        }
    }
}
