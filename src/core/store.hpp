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

// One shell-completion candidate: the word to insert and what it is.
struct CompletionItem {
  std::string value;
  std::string description;
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

  // Shell completion (docs, store_complete.cpp): bounded reads that use indexes,
  // fast enough for every TAB on a large database.
  // Open cases first (newest first), then the most recent resolved and closed ones.
  std::vector<CompletionItem> completion_cases(int limit);
  // Categories used by the most recent cases, most used first, with their counts.
  std::vector<CompletionItem> completion_categories(int limit);
  // The most recent customers (not forgotten): id and name.
  std::vector<CompletionItem> completion_customers(int limit);

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
