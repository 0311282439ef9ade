// The store: every SQL statement of mend lives behind this class. Each public
// method that writes is one BEGIN IMMEDIATE transaction; each that reads sees
// one consistent snapshot. SQLite errors leave here as mend::Error.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace mend {

// What `mend open` records.
struct NewCase {
  std::string customer_name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::string summary;
  std::optional<std::string> complaint;
  std::optional<std::string> wants;
  std::string channel = "other";
  std::string category = "other";
  std::string priority = "normal";
  std::optional<std::string> reference;
  std::vector<std::string> tags;
  std::optional<Time> due_at;
};

// Filters of `mend list`; every one that is set must match.
struct ListFilter {
  std::optional<std::string> status;
  std::optional<std::string> customer;  // id, exact email, or part of the name
  std::optional<std::string> category;
  std::optional<std::string> channel;
  std::optional<std::string> tag;
  bool overdue = false;
  std::optional<Time> since;  // on opened_at, inclusive
  std::optional<Time> until;  // on opened_at, exclusive
  std::optional<std::int64_t> limit;
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

class Store {
 public:
  // Opens the database at an absolute path (or ":memory:"), creating it and its
  // folder (0700) when missing, and migrating an older schema.
  explicit Store(const std::string& path);

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }

  Case open_case(const NewCase& input, Time now);

  // The case with its events; Error(not_found) when there is none.
  Case get_case(std::int64_t id);
  // The customer's cases other than `except_case`, newest first.
  std::vector<HistoryItem> customer_history(std::int64_t customer_id, std::int64_t except_case);
  std::vector<Case> list_cases(const ListFilter& filter, Time now);

  // Follow-ups (store_followup.cpp).
  // Resolved cases with followup_at <= followups_until, and open cases with
  // due_at <= due_until (overdue when due_at < now, else due-soon); oldest
  // `at` first, ties by case id.
  std::vector<DueItem> due_items(Time now, Time followups_until, Time due_until);
  // SQLite's plan for the queries of due_items, for tests that they use the indexes.
  std::string explain_due_items();
  // Records the follow-up on a resolved case in one transaction: done closes it
  // (followup_at is kept as the date the follow-up was due, so reports can count
  // it); no_answer and reschedule move followup_at. Error(not_found) for no
  // such case, Error(data) when the case is open or closed.
  Case record_followup(std::int64_t id, const FollowupRecord& record, Time now);

  // Direct access for tests and for later store modules.
  SQLite::Database& db() { return db_; }

 private:
  void configure();
  void migrate();
  void require_writable();
  std::int64_t find_or_create_customer(const NewCase& input, Time now);
  Case read_case(std::int64_t id, bool with_events);

  std::string path_;
  SQLite::Database db_;
};

// Normalised forms used for matching and storing.
std::string lowercase(std::string_view s);
std::string trimmed(std::string_view s);
// Digits of a phone number (and a leading +), so that "555-0100" matches "555 0100".
std::string phone_key(std::string_view phone);

inline constexpr int kSchemaVersion = 1;
inline constexpr std::int64_t kApplicationId = 0x4D454E44;  // "MEND"

}  // namespace mend
