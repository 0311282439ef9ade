// Mail in: one message becomes a new case, an entry on the case it answers,
// or nothing (automatic mail, a duplicate), in one transaction. What the
// message says was read by the mail plugin (core/mail.*); here is only what
// needs the database.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

#include "core/limits.hpp"
#include "core/mail_flow.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

// One message: its own transaction, or a savepoint inside a batch, so that a
// message is taken whole or not at all either way.
class OneMessage {
 public:
  OneMessage(SQLite::Database& db, bool batch) : db_(db), batch_(batch) {
    db_.exec(batch_ ? "SAVEPOINT mail" : "BEGIN IMMEDIATE");
  }
  OneMessage(const OneMessage&) = delete;
  OneMessage& operator=(const OneMessage&) = delete;
  void commit() {
    db_.exec(batch_ ? "RELEASE mail" : "COMMIT");
    done_ = true;
  }
  ~OneMessage() {
    if (done_) return;
    try {
      db_.exec(batch_ ? "ROLLBACK TO mail; RELEASE mail" : "ROLLBACK");
    } catch (...) {  // nothing more to undo
    }
  }

 private:
  SQLite::Database& db_;
  bool batch_;
  bool done_ = false;
};

}  // namespace

void SqliteStore::begin_mail_batch() {
  guarded(path_, [&] {
    require_writable();
    db_.exec("BEGIN IMMEDIATE");
    mail_batch_ = true;
  });
}

void SqliteStore::commit_mail_batch() {
  if (!mail_batch_) return;
  mail_batch_ = false;
  guarded(path_, [&] { db_.exec("COMMIT"); });
}

// SQLite's side of taking one message (mail_flow.hpp).
class SqliteMailSink final : public MailSink {
 public:
  SqliteMailSink(SqliteStore& store, SQLite::Database& db, const std::optional<std::string>& user,
                 OneMessage& tx)
      : store_(store), db_(db), user_(user), tx_(tx) {}
  std::optional<std::int64_t> seen_case(const std::string& key) override {
    SQLite::Statement q(db_, "SELECT case_id FROM mail_seen WHERE key = ?");
    q.bind(1, key);
    if (q.executeStep()) return q.getColumn(0).getInt64();
    return std::nullopt;
  }
  void record_seen(const std::string& key, std::int64_t case_id) override {
    SQLite::Statement q(db_, "INSERT OR IGNORE INTO mail_seen (key, case_id) VALUES (?, ?)");
    q.bind(1, key);
    q.bind(2, case_id);
    q.exec();
  }
  std::optional<std::optional<std::string>> case_email(std::int64_t case_id) override {
    SQLite::Statement q(db_,
                        "SELECT u.email FROM cases c JOIN customers u ON u.id = c.customer_id "
                        "WHERE c.id = ?");
    q.bind(1, case_id);
    if (!q.executeStep()) return std::nullopt;
    return opt_text(q.getColumn(0));
  }
  void begin_change(std::int64_t case_id) override {
    search_.emplace(SearchUpdate::of_case(db_, case_id));
  }
  void end_change() override {
    search_->done();
    search_.reset();
  }
  std::int64_t create_case(const NewCase& in, Time opened_at, Time now) override {
    return store_.create_case(in, opened_at, now);
  }
  void created(std::int64_t case_id) override { store_.index_new_case(case_id); }
  void add_event(std::int64_t case_id, Time at, EventKind kind, const std::string& text,
                 const std::optional<Message>& message) override {
    insert_event(db_, case_id, at, kind, text, user_, message);
  }
  void keep(std::int64_t case_id, const std::string& name, const std::string& type,
            const std::string& bytes, Time at, const MimeSniffer* mime) override {
    keep_bytes(db_, case_id, name, type, bytes, at, user_, mime);
  }
  std::string customer_name(std::int64_t case_id) override {
    return store_.read_case(case_id, false).customer.name;
  }
  void check(std::int64_t case_id) override {
    check_case(store_.read_case(case_id, true), ErrorKind::data);
  }
  void commit() override { tx_.commit(); }

 private:
  SqliteStore& store_;
  SQLite::Database& db_;
  const std::optional<std::string>& user_;
  OneMessage& tx_;
  std::optional<SearchUpdate> search_;
};

MailOutcome SqliteStore::take_mail(const std::string& raw, const ParsedMail& mail,
                                   const MailRules& rules, Time now) {
  if (auto skipped = skipped_as_automatic(mail)) return *skipped;
  return guarded(path_, [&] {
    require_writable();
    OneMessage tx(db_, mail_batch_);
    SqliteMailSink sink(*this, db_, user_, tx);
    return take_message(sink, raw, mail, rules, now);
  });
}

Case SqliteStore::add_reply(std::int64_t id, const std::string& text, const Message& message,
                            Time now) {
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db_, "SELECT 1 FROM cases WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) fail(ErrorKind::not_found, "no case #" + std::to_string(id));
    auto search = SearchUpdate::of_case(db_, id);
    insert_event(db_, id, now, EventKind::reply, text, user_, message);
    search.done();
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);
    tx.commit();
    return result;
  });
}

}  // namespace mend
