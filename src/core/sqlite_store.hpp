// The SQLite store: mend's cases in one local file. Each method that writes
// is one BEGIN IMMEDIATE transaction; each that reads, one read transaction.
// Its speed work (the report's scan plan, import's WAL buffer, the search
// index kept in step) stays behind this class.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/store.hpp"

namespace mend {

class Importer;
class NewCaseIndexer;
class SqliteMailSink;

class SqliteStore final : public Store {
 public:
  // Opens the database at an absolute path (or ":memory:"), creating it and its
  // folder (0700) when missing, and migrating an older schema. bulk_load:
  // the connection is on the WAL-buffering VFS (wal_buffer.hpp); everyday:
  // on SQLite's own, unless this process already raised the statement
  // journal spill for a bulk load (schema.cpp).
  explicit SqliteStore(const std::string& path, StoreUse use = StoreUse::everyday);
  ~SqliteStore() override;

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
  std::string explain_due_items();
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

  // Direct access for tests and for the store's own modules.
  SQLite::Database& db() { return db_; }

 private:
  friend class SqliteMailSink;  // mail in (store_mail.cpp) writes through the store's own steps
  friend class Importer;        // import (store_import.cpp) matches customers as `open` does
  // Checks the file is mend's, sets the connection up; returns its user_version.
  std::int64_t configure();
  // Brings a database at user_version `seen` up to kSchemaVersion.
  void migrate(std::int64_t seen);
  void require_writable();
  // The case's attachments, oldest first (inside a caller's transaction).
  std::vector<Attachment> read_attachments(std::int64_t case_id);
  // The customer `open` would reuse for these name, email and phone, if any.
  std::optional<std::int64_t> find_customer(const NewCase& input);
  // importing: the cases an import has written so far are not in the search
  // index yet (PendingCases, search_index.hpp).
  std::int64_t find_or_create_customer(const NewCase& input, Time now, bool importing = false);
  // Inserts the case, its tags and its `opened` event (at opened_at) inside a
  // caller's transaction; returns its id.
  std::int64_t create_case(const NewCase& input, Time opened_at, Time now);
  Case read_case(std::int64_t id, bool with_events);
  // Puts the words of a case created in this transaction into the search
  // index, with one statement prepared per Store: preparing it (over the view
  // search_docs) costs more than running it, which counts when a mail run
  // opens thousands of cases.
  void index_new_case(std::int64_t id);

  SQLite::Database db_;
  bool mail_batch_ = false;
  std::unique_ptr<NewCaseIndexer> new_cases_;  // after db_: finalized before it closes
};

inline constexpr int kSchemaVersion = 4;
inline constexpr std::int64_t kApplicationId = 0x4D454E44;  // "MEND"

}  // namespace mend
