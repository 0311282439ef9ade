// The store: every SQL statement of mend lives behind this class. Each public
// method that writes is one BEGIN IMMEDIATE transaction; each that reads sees
// one consistent snapshot. SQLite errors leave here as mend::Error.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/location.hpp"
#include "core/mail.hpp"
#include "core/model.hpp"
#include "core/status_filter.hpp"
#include "core/text.hpp"

namespace mend {

// What `mend open` records.
struct NewCase {
  std::string customer_name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::string summary;
  std::optional<std::string> complaint;
  std::optional<std::string> wants;
  Channel channel = Channel::other;
  std::string category = "other";
  Priority priority = Priority::normal;
  std::optional<std::string> reference;
  std::vector<std::string> tags;
  std::optional<Time> due_at;
  std::optional<std::string> owner;
};

// Whose cases a command shows: anyone's when unset, else one person's (a name,
// matched without regard to case) or, with an empty inner value, nobody's.
using OwnerFilter = std::optional<std::optional<std::string>>;

// Filters of `mend list`; every one that is set must match.
struct ListFilter {
  StatusSet statuses;                   // any of them; empty: any status
  std::optional<std::string> customer;  // id, exact email, or part of the name
  std::optional<std::string> category;
  std::optional<Channel> channel;
  std::optional<std::string> tag;
  bool overdue = false;
  std::optional<Time> since;  // on opened_at, inclusive
  std::optional<Time> until;  // on opened_at, exclusive
  OwnerFilter owner;
  std::optional<std::int64_t> limit;
};

// Search (store_search.cpp): which cases `mend search` may find; every
// filter that is set must match.
struct SearchFilter {
  StatusSet statuses;                   // any of them; empty: every status
  std::optional<std::string> customer;  // as in ListFilter
  std::optional<Time> since;            // on opened_at, inclusive
  std::optional<Time> until;            // on opened_at, exclusive
  OwnerFilter owner;
  std::optional<std::int64_t> limit;
};

// The matched words in SearchHit::snippet start after kMatchStart and end
// before kMatchEnd (0xFF is never part of valid UTF-8).
inline constexpr std::string_view kMatchStart = "\xFF[";
inline constexpr std::string_view kMatchEnd = "\xFF]";

// One case found, as list reads it (no events), with a few words of its text
// around what matched.
struct SearchHit {
  Case c;
  std::string snippet;
};

// One shell-completion candidate: the word to insert and what it is.
struct CompletionItem {
  std::string value;
  std::string description;
};

// data: export, import, backup, forget (store_io.cpp).
// Which cases `mend export` writes; every one that is set must match.
struct ExportFilter {
  StatusSet statuses;                  // any of them; empty: any status
  std::optional<Time> since;           // on opened_at, inclusive
  std::optional<Time> until;           // on opened_at, exclusive
  std::optional<Time> resolved_since;  // on resolved_at, inclusive
  std::optional<Time> resolved_until;  // on resolved_at, exclusive
};

// One id that `mend import` could not keep.
struct Reassignment {
  std::string what;  // "case" or "customer"
  std::int64_t from = 0;
  std::int64_t to = 0;
};

struct ImportSummary {
  std::int64_t cases = 0;              // lines imported
  std::int64_t customers = 0;          // distinct customers in the input
  std::int64_t customers_created = 0;  // of those, new in the database
  std::int64_t customers_matched = 0;  // of those, matched to one already there
};

// Reads the next line into `line` (without its newline); false at the end.
using LineReader = std::function<bool(std::string& line)>;

struct ForgetSummary {
  std::int64_t cases = 0;
  std::int64_t events = 0;
  std::int64_t attachments = 0;  // files deleted with their bytes
  bool wal_truncated = true;     // false when a reader kept the checkpoint from finishing
};

// What `mend resolve` records. No followup_at means `--followup never`: the
// case closes at once.
struct ResolveInput {
  Resolution resolution;
  std::optional<Time> followup_at;
};

// What `mend edit` changes: only the fields that are set. For the optional
// fields of a case or its customer, an inner nullopt clears the value.
struct CaseEdit {
  std::optional<std::string> summary;
  std::optional<std::string> category;
  std::optional<Channel> channel;
  std::optional<Priority> priority;
  std::optional<Time> due_at;
  std::optional<std::optional<std::string>> reference;
  std::optional<std::optional<std::string>> wants;
  std::optional<std::optional<std::string>> email;  // the case's customer
  std::optional<std::optional<std::string>> phone;  // the case's customer
  std::vector<std::string> add_tags;
  std::vector<std::string> remove_tags;
};

struct EditResult {
  Case updated;
  // One line per real change ("priority: normal -> high"); empty when every
  // value given was already the case's, and then nothing was written.
  std::vector<std::string> changes;
};

// Follow-ups (store_followup.cpp): one line of `mend followup`.
struct DueItem {
  std::int64_t case_id = 0;
  Customer customer;
  std::string summary;
  std::string reason;  // followup, overdue or due-soon
  Time at = 0;         // followup_at or due_at
};

// What `mend followup ID` records on a resolved case.
struct FollowupRecord {
  enum class Action { done, no_answer, reschedule };
  Action action = Action::done;
  int csat = 0;                // done: 1..5
  std::string done_text;       // done: the followup-done event
  std::string attempt_text;    // no_answer: the followup-attempt event
  Time next = 0;               // no_answer, reschedule: the new followup_at
  std::string scheduled_text;  // no_answer, reschedule: the followup-scheduled event
};

// Evidence (store_attach.cpp): one file for attach_files, read from `fd`
// and kept under `name`. A known `size` (a regular file) is streamed into the
// database without holding the bytes; without one (stdin) the bytes are read
// to the end, at most max_bytes of them.
struct AttachmentSource {
  std::string name;
  int fd = -1;
  std::optional<std::int64_t> size;
};

// Mail in (store_mail.cpp): how `mend mail` treats a message.
struct MailRules {
  std::vector<std::string> addresses;  // the owner's own, lower-cased
  std::string category = "other";
  Priority priority = Priority::normal;
  std::vector<std::string> tags;
  std::optional<std::string> owner;
  // The due time of a case the mail opens, from the time it was opened.
  std::function<std::optional<Time>(Time opened_at)> due_for;
  std::int64_t max_attachment = 26214400;
};

// What became of one message.
struct MailOutcome {
  std::string action;  // opened, added, duplicate or skipped
  std::optional<std::int64_t> case_id;
  std::optional<std::string> reason;      // why it was skipped
  std::optional<std::string> message_id;  // without angle brackets
  std::string customer;                   // whose case it opened or joined
  EventKind kind = EventKind::email;      // added: email (from them) or reply (from you)
};

struct Report;
struct ReportPeriod;
enum class ReportPlan;

// Where mend keeps its cases: a local SQLite file (SqliteStore,
// sqlite_store.hpp) or a shared PostgreSQL database (PgStore, pg_store.hpp).
// Commands see only this interface; open_store picks the implementation.
// Every method that writes is one transaction; each that reads sees one
// consistent snapshot; the database's failures leave as mend::Error.
class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Where the store is, as messages name it: a file's path, or a PostgreSQL
  // location without its password.
  const std::string& path() const { return path_; }
  // Who the events this store writes are `by` ($MEND_USER, config `user`, the
  // login name: the CLI decides); none until set.
  void set_user(std::string user) { user_ = std::move(user); }
  const std::optional<std::string>& user() const { return user_; }

  virtual Case open_case(const NewCase& input, Time now) = 0;

  // The case with its events; Error(not_found) when there is none.
  virtual Case get_case(std::int64_t id) = 0;
  // The customer's cases other than `except_case`, newest first.
  virtual std::vector<HistoryItem> customer_history(std::int64_t customer_id,
                                                    std::int64_t except_case) = 0;
  // The cases `list` shows, in its order: each_case's, collected.
  std::vector<Case> list_cases(const ListFilter& filter, Time now) {
    std::vector<Case> out;
    each_case(filter, now, 1, [&](int, const Case& c) { out.push_back(c); });
    return out;
  }
  // list without holding the cases. Calls `each(pass, case)` for every
  // matching case in list order, `passes` times over, all from one snapshot
  // (a table can size its columns on pass 0 and print on pass 1); `between`
  // runs before every pass after the first.
  virtual void each_case(const ListFilter& filter, Time now, int passes,
                         const std::function<void(int pass, const Case&)>& each,
                         const std::function<void()>& between = {}) = 0;

  // The calendar feed (store_calendar.cpp): open cases with a due_at and
  // resolved cases with a followup_at, soonest first, from the two partial
  // indexes on them (no scan of the whole table).
  virtual void each_calendar_case(const std::function<void(const Case&)>& each) = 0;

  // Search (store_search.cpp). Calls `each` for every case whose words match
  // `query` (the language of search_query.hpp; Error(usage) when it is
  // malformed) and the filter, best match first (FTS5's bm25, the summary
  // and the customer's words weighing most), then newest, from one snapshot.
  virtual void search_cases(std::string_view query, const SearchFilter& filter,
                            const std::function<void(const SearchHit&)>& each) = 0;

  // Shell completion (docs, store_complete.cpp): bounded reads that use indexes,
  // fast enough for every TAB on a large database.
  // Open cases first (newest first), then the most recent resolved and closed ones.
  virtual std::vector<CompletionItem> completion_cases(int limit) = 0;
  // Categories used by the most recent cases, most used first, with their counts.
  virtual std::vector<CompletionItem> completion_categories(int limit) = 0;
  // The most recent customers (not forgotten): id and name.
  virtual std::vector<CompletionItem> completion_customers(int limit) = 0;

  // data: export, import, backup, forget (store_io.cpp).
  // Calls `each` for every matching case with its events, in id order, from
  // one snapshot, one case at a time (constant memory).
  virtual void export_cases(const ExportFilter& filter,
                            const std::function<void(const Case&)>& each) = 0;
  // Imports JSON Lines in the export shape in one BEGIN IMMEDIATE transaction:
  // all or nothing. Error(data) names "<source>:<line>: field '...'" when a
  // line is not right. After the commit, `reassigned` is called for every id
  // that could not be kept, in input order.
  // Attachments listed in the lines are read from `files_dir` (the folder
  // `export --files` writes, one file per SHA-256); without it, a line that
  // lists attachments fails the import.
  virtual ImportSummary import_cases(
      const LineReader& read_line, const std::string& source, Time now,
      const std::function<void(const Reassignment&)>& reassigned,
      const std::optional<std::string>& files_dir = std::nullopt) = 0;
  // A consistent copy into `dest` (an existing, empty, private file) through
  // SQLite's online backup, then PRAGMA integrity_check and foreign_key_check
  // on the copy. Messages name `shown_as` (the final name) when given.
  virtual void backup_to(const std::string& dest, const std::string& shown_as = {}) = 0;
  // The customer and how many cases they have; Error(not_found) when unknown.
  virtual std::pair<Customer, std::int64_t> get_customer(std::int64_t id) = 0;
  // Erases the customer's personal data (see the README's forget), then checkpoints the WAL so
  // the erased text leaves the -wal file too.
  virtual ForgetSummary forget_customer(std::int64_t id, Time now) = 0;

  // Lifecycle (store_lifecycle.cpp). Each is one BEGIN IMMEDIATE transaction
  // and returns the case, with its events, as it is afterwards. An unknown id
  // is Error(not_found); a state that forbids the action is Error(data), and
  // so is a case that would pass the limits of stored data (limits.hpp; every
  // write, open included, checks the case before it commits).
  // add_note: a timeline entry of a kind in kNoteKinds, in any state.
  virtual Case add_note(std::int64_t id, EventKind kind, const std::string& text, Time now) = 0;
  // open -> resolved (closed at once when followup_at is empty); writes
  // `resolved` and, when a follow-up is due, `followup-scheduled`.
  virtual Case resolve_case(std::int64_t id, const ResolveInput& input, Time now) = 0;
  // resolved or closed -> open, clearing the resolution, its times and the
  // satisfaction; writes `reopened` with the reason (may be empty).
  virtual Case reopen_case(std::int64_t id, const std::string& reason, Time now) = 0;
  // Applies the fields of `edit` that differ from the case; one `edited`
  // event names every change. Any state.
  virtual EditResult edit_case(std::int64_t id, const CaseEdit& edit, Time now) = 0;
  // Sets the case's owner (none: nobody) and writes an `assigned` event; when
  // the case already has that owner nothing is written and `changed` is false.
  virtual Case assign_case(std::int64_t id, const std::optional<std::string>& owner, Time now,
                           bool* changed = nullptr) = 0;

  // Follow-ups (store_followup.cpp).
  // Resolved cases with followup_at <= followups_until, and open cases with
  // due_at <= due_until (overdue when due_at < now, else due-soon); oldest
  // `at` first, ties by case id.
  virtual std::vector<DueItem> due_items(Time now, Time followups_until, Time due_until,
                                         const OwnerFilter& owner = {}) = 0;
  // Records the follow-up on a resolved case in one transaction: done closes it
  // (followup_at is kept as the date the follow-up was due, so reports can count
  // it); no_answer and reschedule move followup_at. Error(not_found) for no
  // such case, Error(data) when the case is open or closed.
  virtual Case record_followup(std::int64_t id, const FollowupRecord& record, Time now) = 0;

  // Evidence (store_attach.cpp).
  // Keeps every file with the case in one BEGIN IMMEDIATE transaction (all or
  // none), each under its SHA-256 once however often it is attached, with an
  // `attached` event per file. Error(not_found) for no such case,
  // Error(data) for a file over max_bytes or one that changed while read.
  virtual Case attach_files(std::int64_t id, const std::vector<AttachmentSource>& files,
                            std::int64_t max_bytes, Time now) = 0;
  // Streams the bytes stored under `sha256` to `sink`, a piece at a time;
  // Error(not_found) when no such bytes are stored.
  virtual void read_blob(const std::string& sha256,
                         const std::function<void(std::string_view)>& sink) = 0;

  // Mail in (store_mail.cpp): takes one message whole or not at all, in the
  // The README's order: automatic mail skipped, a message seen before is a
  // duplicate, an answer joins its case, a forward from the owner opens the
  // forwarded customer's case, anything else opens a case.
  virtual MailOutcome take_mail(const std::string& raw, const ParsedMail& mail,
                                const MailRules& rules, Time now) = 0;
  // Many messages in one transaction (a maildir run): each take_mail is then a
  // savepoint, and commit_mail_batch makes them durable together.
  virtual void begin_mail_batch() = 0;
  virtual void commit_mail_batch() = 0;
  // A reply sent to the customer: a `reply` event with its message (direction
  // out), its Message-ID recorded as seen, in one transaction.
  virtual Case add_reply(std::int64_t id, const std::string& text, const Message& message,
                         Time now) = 0;

  // The look back (report.hpp): every figure in one snapshot; build_report
  // is the way in.
  virtual Report report(const ReportPeriod& period, Time now, ReportPlan plan,
                        std::optional<std::size_t> listed) = 0;

 protected:
  explicit Store(std::string path) : path_(std::move(path)) {}

  std::string path_;
  std::optional<std::string> user_;
};

// What a store is opened for. bulk_load: a process that writes many rows in
// long transactions (an import, mail taking many messages); on SQLite its
// connection goes through the VFS that buffers the WAL and its statement
// journals stay in memory longer (docs/ARCHITECTURE.md); every other use runs
// SQLite as it comes. PostgreSQL opens the same way for both.
enum class StoreUse { everyday, bulk_load };

// Opens the store at `location`: a PostgreSQL database (is_postgres_location)
// or the SQLite file at an absolute path (or ":memory:").
std::unique_ptr<Store> open_store(const std::string& location, StoreUse use = StoreUse::everyday);

}  // namespace mend
