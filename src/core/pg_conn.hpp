// One connection to PostgreSQL through libpq, which is loaded with dlopen on
// the first connection only: linked, libpq and the libraries it pulls in
// (TLS, Kerberos, LDAP) would load at every start of mend. Every value is
// sent bound, apart from the SQL text; `?` in the text stands for the next
// value (written $1, $2, ... for the server), so the store's SQL reads like
// the SQLite store's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/errors.hpp"
#include "core/kinds.hpp"

struct pg_conn;
struct pg_result;

namespace mend {

// A value bound to one `?`: text, an integer, bytes (bytea) or NULL.
struct PgBytes {
  std::string_view data;
};
using PgValue = std::variant<std::nullptr_t, std::string, std::int64_t, PgBytes>;

// Builds the values of a statement: PgParams{} << id << name << std::nullopt.
class PgParams {
 public:
  PgParams& operator<<(std::int64_t v);
  PgParams& operator<<(int v) { return *this << static_cast<std::int64_t>(v); }
  PgParams& operator<<(std::string v);
  PgParams& operator<<(std::string_view v) { return *this << std::string(v); }
  PgParams& operator<<(const char* v) { return *this << std::string(v); }
  PgParams& operator<<(PgBytes v);
  PgParams& operator<<(std::nullptr_t);
  template <class E>
  requires requires { Spelling<E>::words; }
  PgParams& operator<<(E v) { return *this << spelling(v); }
  PgParams& operator<<(const std::optional<std::string>& v);
  PgParams& operator<<(const std::optional<std::int64_t>& v);
  const std::vector<PgValue>& values() const { return values_; }

 private:
  std::vector<PgValue> values_;
};

// A result's rows, read as text; freed with it.
class PgResult {
 public:
  explicit PgResult(pg_result* r) : r_(r) {}
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  bool null(int row, int col) const;
  std::string text(int row, int col) const;
  std::string_view view(int row, int col) const;
  std::int64_t int64(int row, int col) const;
  std::optional<std::string> opt_text(int row, int col) const;
  std::optional<std::int64_t> opt_int64(int row, int col) const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t affected() const;

 private:
  pg_result* r_;
};

// A conflict with another writer (serialization failure or deadlock): the
// whole transaction is run again.
class PgRetry : public std::exception {
 public:
  const char* what() const noexcept override { return "serialization failure"; }
};

class PgConn {
 public:
  // Connects to `location` (a postgresql:// URI or a libpq connection string
  // such as service=NAME). A server that cannot be reached is Error(busy),
  // worded without the password.
  explicit PgConn(const std::string& location);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Where the database is, for messages: "PostgreSQL database NAME on HOST".
  const std::string& where() const { return where_; }

  PgResult exec(std::string_view sql, const PgParams& params = {});
  // Several statements without values (schema migrations, BEGIN, COMMIT).
  void run(const char* sql);
  // COPY ... FROM STDIN: starts it, sends rows of text, ends it.
  void copy_begin(std::string_view sql);
  void copy_send(std::string_view data);
  void copy_end();

 private:
  [[noreturn]] void fail_from(pg_result* r, std::string_view sql);
  pg_conn* conn_ = nullptr;
  std::string where_;
};

// `location` with any password taken out, fit for a message.
std::string pg_location_shown(const std::string& location);
// Where the passwords are in a location: [begin, end) byte ranges.
std::vector<std::pair<std::size_t, std::size_t>> pg_password_spans(std::string_view location);

}  // namespace mend
