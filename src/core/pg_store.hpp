// The PostgreSQL store (Team mode): the same cases, in the schema `mend` of
// a shared database. Every method that writes is one SERIALIZABLE
// transaction, run again when it conflicts with another person's; every read
// is one REPEATABLE READ snapshot. Tables are always named with their schema,
// so the role's search_path never matters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/pg_conn.hpp"
#include "core/store.hpp"

namespace mend {

class PgStore final : public Store {
 public:
  // Connects, and creates or migrates the schema when it is missing or older.
  explicit PgStore(const std::string& location);

  Case open_case(const NewCase& input, Time now) override;
  Case get_case(std::int64_t id) override;
  std::vector<HistoryItem> customer_history(std::int64_t customer_id,
                                            std::int64_t except_case) override;
  void each_case(const ListFilter& filter, Time now, int passes,
                 const std::function<void(int pass, const Case&)>& each,
                 const std::function<void()>& between = {}) override;
  void each_calendar_case(const std::function<void(const Case&)>& each) override;
  void search_cases(std::string_view query, const SearchFilter& filter,
                    const std::function<void(const SearchHit&)>& each) override;
  std::vector<CompletionItem> completion_cases(int limit) override;
  std::vector<CompletionItem> completion_categories(int limit) override;
  std::vector<CompletionItem> completion_customers(int limit) override;
  void export_cases(const ExportFilter& filter,
                    const std::function<void(const Case&)>& each) override;
  ImportSummary import_cases(const LineReader& read_line, const std::string& source, Time now,
                             const std::function<void(const Reassignment&)>& reassigned,
                             const std::optional<std::string>& files_dir = std::nullopt) override;
  void backup_to(const std::string& dest, const std::string& shown_as = {}) override;
  std::pair<Customer, std::int64_t> get_customer(std::int64_t id) override;
  ForgetSummary forget_customer(std::int64_t id, Time now) override;
  Case add_note(std::int64_t id, EventKind kind, const std::string& text, Time now) override;
  Case resolve_case(std::int64_t id, const ResolveInput& input, Time now) override;
  Case reopen_case(std::int64_t id, const std::string& reason, Time now) override;
  EditResult edit_case(std::int64_t id, const CaseEdit& edit, Time now) override;
  Case assign_case(std::int64_t id, const std::optional<std::string>& owner, Time now,
                   bool* changed = nullptr) override;
  std::vector<DueItem> due_items(Time now, Time followups_until, Time due_until,
                                 const OwnerFilter& owner = {}) override;
  Case record_followup(std::int64_t id, const FollowupRecord& record, Time now) override;
  Case attach_files(std::int64_t id, const std::vector<AttachmentSource>& files,
                    std::int64_t max_bytes, Time now) override;
  void read_blob(const std::string& sha256,
                 const std::function<void(std::string_view)>& sink) override;
  MailOutcome take_mail(const std::string& raw, const ParsedMail& mail, const MailRules& rules,
                        Time now) override;
  void begin_mail_batch() override;
  void commit_mail_batch() override;
  Case add_reply(std::int64_t id, const std::string& text, const Message& message,
                 Time now) override;
  Report report(const ReportPeriod& period, Time now, ReportPlan plan,
                std::optional<std::size_t> listed) override;

  PgConn& conn() { return conn_; }

 private:
  friend class PgMailSink;  // mail in (pg_store_mail.cpp) writes through the store's own steps
  friend class PgImporter;  // import (pg_store_import.cpp) matches customers as `open` does
  // Runs `f` in one transaction: SERIALIZABLE for a write, run again (with a
  // growing pause) when it conflicts with another writer; REPEATABLE READ
  // READ ONLY for a read.
  template <class F>
  auto write(F&& f) -> decltype(f());
  template <class F>
  auto read(F&& f) -> decltype(f());
  void transact(bool writes, const std::function<void()>& body);

  void migrate();
  Case read_case(std::int64_t id, bool with_events);
  Status status_of(std::int64_t id);
  std::optional<std::int64_t> find_customer(const NewCase& input);
  std::int64_t find_or_create_customer(const NewCase& input, Time now);
  std::int64_t create_case(const NewCase& input, Time opened_at, Time now);
  void insert_event(std::int64_t case_id, Time at, EventKind kind, const std::string& text,
                    const std::optional<Message>& message = std::nullopt);
  std::vector<Event> events_of(std::int64_t case_id);
  std::vector<Attachment> attachments_of(std::int64_t case_id);
  // `forget`: plain VACUUM of the tables it changed, after the commit.
  void vacuum(const char* tables);

  PgConn conn_;
  bool mail_batch_ = false;
};

template <class F>
auto PgStore::write(F&& f) -> decltype(f()) {
  if constexpr (std::is_void_v<decltype(f())>) {
    transact(true, [&] { f(); });
  } else {
    std::optional<decltype(f())> out;
    transact(true, [&] { out.emplace(f()); });
    return std::move(*out);
  }
}

template <class F>
auto PgStore::read(F&& f) -> decltype(f()) {
  if constexpr (std::is_void_v<decltype(f())>) {
    transact(false, [&] { f(); });
  } else {
    std::optional<decltype(f())> out;
    transact(false, [&] { out.emplace(f()); });
    return std::move(*out);
  }
}

// The columns a case query selects (c. = mend.cases, u. = mend.customers) and
// the case at row `i` of such a result, without events.
const char* pg_case_columns();
Case pg_case_from(const PgResult& r, int i);
// The columns an event query selects first, and the event at row `i` of
// such a result.
inline constexpr const char* kPgEventColumns =
    "id, at, kind, text, author, message_id, message_from, message_to, message_subject, "
    "message_direction";
Event pg_event_from(const PgResult& r, int i);

// PostgreSQL's schema migrations: kPgMigrations[N-1] takes the schema from
// version N-1 to N. Never edit one that has shipped: add the next.
extern const char* const kPgMigrations[];
extern const int kPgSchemaVersion;

}  // namespace mend
