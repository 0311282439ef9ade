// mend's schema migrations, in a header of their own so that the build can
// run them (src/tools/schema_gen.cpp) to learn the objects they create.
#pragma once

#include <array>

namespace mend {

// Migration N takes a database from user_version N-1 to N. Never edit one that
// has shipped: add the next.
inline constexpr std::array<const char*, 4> kMigrations = {
    R"sql(
CREATE TABLE customers (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  email       TEXT,
  phone       TEXT,
  phone_key   TEXT,
  created_at  INTEGER NOT NULL,
  forgotten_at INTEGER
);
CREATE INDEX customers_by_email ON customers(email COLLATE NOCASE);
CREATE INDEX customers_by_phone ON customers(phone_key);
CREATE INDEX customers_by_name ON customers(name COLLATE NOCASE);

-- AUTOINCREMENT: a case id is never reused, even after the highest is gone.
CREATE TABLE cases (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id      INTEGER NOT NULL REFERENCES customers(id),
  status           TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'closed')),
  summary          TEXT NOT NULL,
  complaint        TEXT,
  wants            TEXT,
  channel          TEXT NOT NULL,
  category         TEXT NOT NULL,
  priority         TEXT NOT NULL,
  reference        TEXT,
  opened_at        INTEGER NOT NULL,
  due_at           INTEGER,
  resolved_at      INTEGER,
  followup_at      INTEGER,
  closed_at        INTEGER,
  outcome          TEXT,
  resolution_text  TEXT,
  amount_cents     INTEGER,
  currency         TEXT,
  fault            TEXT,
  cause            TEXT,
  satisfaction     INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
  followup_done_at INTEGER
);
CREATE INDEX cases_by_opened   ON cases(opened_at);
CREATE INDEX cases_by_resolved ON cases(resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX cases_by_closed   ON cases(closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX cases_by_followup ON cases(followup_at) WHERE followup_at IS NOT NULL;
-- Follow-ups still to make: closed cases keep their followup_at for the report,
-- so `mend followup` reads this smaller index instead.
CREATE INDEX cases_pending_followup ON cases(followup_at) WHERE status = 'resolved';
CREATE INDEX cases_by_followup_done ON cases(followup_done_at) WHERE followup_done_at IS NOT NULL;
CREATE INDEX cases_open_by_due ON cases(due_at) WHERE status = 'open';
CREATE INDEX cases_by_customer ON cases(customer_id, opened_at);

CREATE TABLE case_tags (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  tag     TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (case_id, tag)
) WITHOUT ROWID;
CREATE INDEX case_tags_by_tag ON case_tags(tag, case_id);

CREATE TABLE events (
  id      INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  at      INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  text    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_case ON events(case_id, id);
)sql",
    // Evidence: the bytes of every attached file once per SHA-256 (a rowid
    // table, so SQLite's incremental blob I/O can stream them), and which case
    // keeps which file under which name.
    R"sql(
CREATE TABLE blobs (
  id     INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  size   INTEGER NOT NULL,
  data   BLOB NOT NULL
);
CREATE TABLE attachments (
  id      INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  name    TEXT NOT NULL,
  type    TEXT NOT NULL,
  size    INTEGER NOT NULL,
  sha256  TEXT NOT NULL REFERENCES blobs(sha256),
  at      INTEGER NOT NULL
);
CREATE INDEX attachments_by_case ON attachments(case_id, id);
CREATE INDEX attachments_by_blob ON attachments(sha256);
)sql",
    // Who: the person who wrote each event and the one who handles each case
    // (Team mode). Mail: the message an email or reply event carries, and every
    // Message-ID mend has recorded (a message without one is known by
    // "sha256:" and the hash of its bytes), so the same mail is never taken twice.
    R"sql(
ALTER TABLE cases ADD COLUMN owner TEXT;
CREATE INDEX cases_by_owner ON cases(owner COLLATE NOCASE) WHERE owner IS NOT NULL;
ALTER TABLE events ADD COLUMN author TEXT;
ALTER TABLE events ADD COLUMN message_id TEXT;
ALTER TABLE events ADD COLUMN message_from TEXT;
ALTER TABLE events ADD COLUMN message_to TEXT;
ALTER TABLE events ADD COLUMN message_subject TEXT;
ALTER TABLE events ADD COLUMN message_direction TEXT CHECK (message_direction IN ('in', 'out'));
CREATE TABLE mail_seen (
  key     TEXT PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id)
) WITHOUT ROWID;
CREATE INDEX mail_seen_by_case ON mail_seen(case_id);
-- `mend followup` finds unanswered mail from this smaller index.
CREATE INDEX events_mail_in ON events(case_id, at) WHERE message_direction = 'in';
)sql",
    // Search: the words of every case, one document per case. search_docs is
    // the one place that says which text a case is found by, in five columns
    // that store_search.cpp weighs: the summary; the customer (name, email,
    // phone); the details (complaint, wants, reference, resolution, cause,
    // category, tags, file names); the timeline (every event's text, and the
    // subject of the mail it carries, but an `opened` one that repeats the
    // summary); and the phone's digits alone,
    // so 5550100 finds 555-0100. Fields are joined by " · ", which is no word,
    // so a snippet shows where one ends. cases_fts indexes the view without
    // keeping a copy of the text (an external-content FTS5 table) and reads it
    // back only for snippets; the store keeps it in step with every write
    // (search_index.hpp). Filled here from what a database already holds.
    R"sql(
CREATE VIEW search_docs (id, customer_id, summary, customer, details, events, keys) AS
SELECT c.id, c.customer_id, c.summary,
       coalesce(u.name, '') || coalesce(' · ' || nullif(u.email, ''), '') ||
         coalesce(' · ' || nullif(u.phone, ''), ''),
       substr(coalesce(' · ' || nullif(c.complaint, ''), '') ||
         coalesce(' · ' || nullif(c.wants, ''), '') ||
         coalesce(' · ' || nullif(c.reference, ''), '') ||
         coalesce(' · ' || nullif(c.resolution_text, ''), '') ||
         coalesce(' · ' || nullif(c.cause, ''), '') || ' · ' || c.category ||
         coalesce(' · ' || (SELECT group_concat(t.tag, ' · ') FROM case_tags t
                            WHERE t.case_id = c.id), '') ||
         coalesce(' · ' || (SELECT group_concat(a.name, ' · ') FROM attachments a
                            WHERE a.case_id = c.id), ''), 4),
       coalesce((SELECT group_concat(
                   CASE WHEN coalesce(e.message_subject, '') = '' THEN e.text
                        WHEN e.text = '' THEN e.message_subject
                        ELSE e.message_subject || ' · ' || e.text END, ' · ')
                 FROM events e
                 WHERE e.case_id = c.id
                   AND (e.text <> '' OR coalesce(e.message_subject, '') <> '')
                   AND NOT (e.kind = 'opened' AND e.text = c.summary)), ''),
       coalesce(u.phone_key, '')
FROM cases c LEFT JOIN customers u ON u.id = c.customer_id;
CREATE VIRTUAL TABLE cases_fts USING fts5(
  summary, customer, details, events, keys,
  content = 'search_docs', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO cases_fts(cases_fts) VALUES ('rebuild');
)sql",
};

}  // namespace mend
