// Reading case rows and binding nullable values, shared by the store modules.
// Internal to the core.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/model.hpp"
#include "core/sqlite_store.hpp"
#include "core/status_filter.hpp"

namespace mend {

// Binds an optional value, or NULL when it is empty.
// Whether the prepared `q` (one `?`, an id) finds a row.
inline bool row_exists(SQLite::Statement& q, std::int64_t id) {
  q.reset();
  q.bind(1, id);
  return q.executeStep();
}

// Binds the word for an enum value (status, kind, ...); the word is a string
// literal, so SQLite need not copy it.
template <class E>
requires requires {
  Spelling<E>::words;
}
void bind_word(SQLite::Statement& st, int index, E value) {
  st.bindNoCopy(index, spelling(value).data());
}

// The enum value a column holds; Error(data) for a word mend does not know.
template <class E>
E word_of(const SQLite::Column& column) {
  return stored_value<E>(column.getText());
}

inline void bind_opt(SQLite::Statement& st, int index, const std::optional<std::string>& v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bind(index);
  }
}

inline void bind_opt(SQLite::Statement& st, int index, const std::optional<std::int64_t>& v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bind(index);
  }
}

// A nullable column as an optional.
inline std::optional<std::string> opt_text(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

inline std::optional<std::int64_t> opt_time(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

// The columns a case query selects ("c." = cases, "u." = customers), in the
// order case_from_statement reads them.
const char* case_columns();
// The case at the statement's current row, without events.
Case case_from_statement(SQLite::Statement& st);

// The conditions on cases that `list` and `search` share, as SQL fragments
// (" AND ...", on the columns c. of cases and u. of customers) with `?`
// placeholders, and their values, bound in order.
class CaseConditions {
 public:
  CaseConditions() = default;
  // The filters both commands take, each when it is set.
  CaseConditions(const StatusSet& statuses, const std::optional<std::string>& customer,
                 const OwnerFilter& owner, std::optional<Time> since, std::optional<Time> until);
  void statuses(const StatusSet& statuses);
  // An id, or a part of the name, email or phone number; a number of five
  // digits or more is also a part of a phone number.
  void customer(const std::string& who);
  void owner(const OwnerFilter& owner);
  void opened_since(Time since);
  void opened_until(Time until);
  // `list` alone: its other filters, and the ones `list` and `search` share.
  static CaseConditions of_list(const ListFilter& filter, Time now);
  const std::string& sql() const { return sql_; }
  // Binds the values to the placeholders after `index`; returns the last one.
  int bind(SQLite::Statement& st, int index) const;
  const std::vector<std::variant<std::string, std::int64_t>>& values() const { return values_; }

 private:
  void add(const char* fragment, std::string value);
  void add(const char* fragment, std::int64_t value);
  std::string sql_;
  std::vector<std::variant<std::string, std::int64_t>> values_;
};

// A case's events, oldest first: prepare kEventsOfCase once and read with
// events_of for each case.
inline constexpr const char* kEventsOfCase =
    "SELECT id, at, kind, text, author, message_id, message_from, message_to, message_subject, "
    "message_direction FROM events WHERE case_id = ? ORDER BY id";
std::vector<Event> events_of(SQLite::Statement& query, std::int64_t case_id);

// The case's status; Error(not_found) when there is no such case.
Status status_of(SQLite::Database& db, std::int64_t id);

// Appends an event to case `case_id`'s timeline, written by `by`; a mail event
// also records its Message-ID as seen (mail_seen) for this case.
void insert_event(SQLite::Database& db, std::int64_t case_id, Time at, EventKind kind,
                  const std::string& text, const std::optional<std::string>& by,
                  const std::optional<Message>& message = std::nullopt);

// A case's attachments, oldest first: prepare kAttachmentsOfCase once and
// read with attachments_of for each case.
inline constexpr const char* kAttachmentsOfCase =
    "SELECT name, type, size, sha256, at FROM attachments WHERE case_id = ? ORDER BY id";
std::vector<Attachment> attachments_of(SQLite::Statement& query, std::int64_t case_id);

class MimeSniffer;
// Keeps `bytes` with case `case_id` under `name` (of `type`, or the type read
// from the bytes by `mime` when empty), once per SHA-256, with an `attached` event.
Attachment keep_bytes(SQLite::Database& db, std::int64_t case_id, const std::string& name,
                      const std::string& type, const std::string& bytes, Time at,
                      const std::optional<std::string>& by, const MimeSniffer* mime);

// A case's tags from the case query's column, the tags joined by U+001F,
// sorted.
inline std::vector<std::string> split_tags(const std::string& joined) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  for (;;) {
    const auto sep = joined.find('\x1f', start);
    tags.push_back(joined.substr(start, sep - start));
    if (sep == std::string::npos) break;
    start = sep + 1;
  }
  std::sort(tags.begin(), tags.end());
  return tags;
}

// Import: followup_done_at of an imported case, when the follow-up that gave
// its score was recorded (the last followup-done event); none without a score.
inline std::optional<std::int64_t> followup_done_at(const Case& c) {
  std::optional<std::int64_t> done_at;
  if (c.satisfaction)
    for (const auto& e : c.events)
      if (e.kind == EventKind::followup_done && (!done_at || e.at >= *done_at)) done_at = e.at;
  return done_at;
}

// Import: the customer `open` would match for an imported one.
inline NewCase match_probe(const Customer& c) {
  NewCase probe;
  probe.customer_name = c.name;
  probe.email = c.email;
  probe.phone = c.phone;
  return probe;
}

// A name that `forget` wrote: such a customer stays out of `open`'s matching.
inline bool is_forgotten_marker(const Customer& c) {
  return c.name.rfind("[forgotten #", 0) == 0 && c.name.back() == ']' && !c.email && !c.phone;
}

// The refusal of a file over the max_attachment limit, as both stores word it.
std::string attachment_over_limit(const std::string& name, std::int64_t max_bytes);

// Import (store_attach.cpp): Error(data) unless every attachment of `c` has
// its bytes in `files_dir` as a file named by its SHA-256.
void check_attachment_files(const Case& c, const std::optional<std::string>& files_dir);
// Keeps `a` with case `case_id`, its bytes read from files_dir/<sha256> (once
// per SHA-256) and checked against the SHA-256 and size it lists.
void import_attachment(SQLite::Database& db, std::int64_t case_id, const Attachment& a,
                       const std::string& files_dir);

}  // namespace mend
