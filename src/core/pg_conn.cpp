#include "core/pg_conn.hpp"

#include <dlfcn.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>

namespace mend {
namespace {

// libpq's functions, found with dlsym in the library loaded on first use.
struct LibPq {
  decltype(&PQconnectdbParams) connectdb_params;
  decltype(&PQstatus) status;
  decltype(&PQerrorMessage) error_message;
  decltype(&PQfinish) finish;
  decltype(&PQexecParams) exec_params;
  decltype(&PQexec) exec;
  decltype(&PQresultStatus) result_status;
  decltype(&PQresultErrorField) result_error_field;
  decltype(&PQclear) clear;
  decltype(&PQntuples) ntuples;
  decltype(&PQgetvalue) getvalue;
  decltype(&PQgetlength) getlength;
  decltype(&PQgetisnull) getisnull;
  decltype(&PQcmdTuples) cmd_tuples;
  decltype(&PQdb) db;
  decltype(&PQhost) host;
  decltype(&PQport) port;
  decltype(&PQputCopyData) put_copy_data;
  decltype(&PQputCopyEnd) put_copy_end;
  decltype(&PQgetResult) get_result;
  decltype(&PQsetNoticeProcessor) set_notice_processor;
};

template <class F>
void find(void* lib, F& f, const char* name) {
  f = reinterpret_cast<F>(::dlsym(lib, name));
  if (!f)
    fail(ErrorKind::io, std::string("libpq.so.5 has no ") + name + "; install libpq5 from Debian");
}

const LibPq& libpq() {
  static const LibPq api = [] {
    void* lib = ::dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      fail(ErrorKind::io,
           "a PostgreSQL database needs libpq (libpq.so.5), which is not installed; "
           "install the libpq5 package");
    LibPq a{};
    find(lib, a.connectdb_params, "PQconnectdbParams");
    find(lib, a.status, "PQstatus");
    find(lib, a.error_message, "PQerrorMessage");
    find(lib, a.finish, "PQfinish");
    find(lib, a.exec_params, "PQexecParams");
    find(lib, a.exec, "PQexec");
    find(lib, a.result_status, "PQresultStatus");
    find(lib, a.result_error_field, "PQresultErrorField");
    find(lib, a.clear, "PQclear");
    find(lib, a.ntuples, "PQntuples");
    find(lib, a.getvalue, "PQgetvalue");
    find(lib, a.getlength, "PQgetlength");
    find(lib, a.getisnull, "PQgetisnull");
    find(lib, a.cmd_tuples, "PQcmdTuples");
    find(lib, a.db, "PQdb");
    find(lib, a.host, "PQhost");
    find(lib, a.port, "PQport");
    find(lib, a.put_copy_data, "PQputCopyData");
    find(lib, a.put_copy_end, "PQputCopyEnd");
    find(lib, a.get_result, "PQgetResult");
    find(lib, a.set_notice_processor, "PQsetNoticeProcessor");
    return a;
  }();
  return api;
}

// The first line of a libpq message, without its trailing newline.
std::string first_line(const char* message) {
  std::string s = message ? message : "";
  if (const auto nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
  if (s.rfind("ERROR:  ", 0) == 0) s.erase(0, 8);
  return s;
}

// `?` outside quotes becomes $1, $2, ...
std::string numbered(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool quoted = false;
  for (const char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

PgParams& PgParams::operator<<(std::int64_t v) {
  values_.emplace_back(v);
  return *this;
}
PgParams& PgParams::operator<<(std::string v) {
  values_.emplace_back(std::move(v));
  return *this;
}
PgParams& PgParams::operator<<(PgBytes v) {
  values_.emplace_back(v);
  return *this;
}
PgParams& PgParams::operator<<(std::nullptr_t) {
  values_.emplace_back(nullptr);
  return *this;
}
PgParams& PgParams::operator<<(const std::optional<std::string>& v) {
  if (v) return *this << *v;
  return *this << nullptr;
}
PgParams& PgParams::operator<<(const std::optional<std::int64_t>& v) {
  if (v) return *this << *v;
  return *this << nullptr;
}

PgResult::~PgResult() {
  if (r_) libpq().clear(r_);
}
int PgResult::rows() const {
  return libpq().ntuples(r_);
}
bool PgResult::null(int row, int col) const {
  return libpq().getisnull(r_, row, col) != 0;
}
std::string_view PgResult::view(int row, int col) const {
  return {libpq().getvalue(r_, row, col),
          static_cast<std::size_t>(libpq().getlength(r_, row, col))};
}
std::string PgResult::text(int row, int col) const {
  return std::string(view(row, col));
}
std::int64_t PgResult::int64(int row, int col) const {
  return std::strtoll(libpq().getvalue(r_, row, col), nullptr, 10);
}
std::optional<std::string> PgResult::opt_text(int row, int col) const {
  if (null(row, col)) return std::nullopt;
  return text(row, col);
}
std::optional<std::int64_t> PgResult::opt_int64(int row, int col) const {
  if (null(row, col)) return std::nullopt;
  return int64(row, col);
}
std::int64_t PgResult::affected() const {
  return std::strtoll(libpq().cmd_tuples(r_), nullptr, 10);
}

std::string pg_location_shown(const std::string& location) {
  std::string s = location;
  // postgresql://user:password@host/...: the password goes.
  if (const auto scheme = s.find("://"); scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto at = s.find('@', start);
    const auto slash = s.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const auto colon = s.find(':', start);
      if (colon != std::string::npos && colon < at) s.replace(colon, at - colon, ":***");
    }
  }
  // password=... in a query string or a key=value string.
  for (std::size_t p = s.find("password="); p != std::string::npos;
       p = s.find("password=", p + 1)) {
    const auto value = p + 9;
    auto end = s.find_first_of("& ", value);
    if (end == std::string::npos) end = s.size();
    s.replace(value, end - value, "***");
  }
  return s;
}

PgConn::PgConn(const std::string& location) {
  const auto& pq = libpq();
  // Ours first: with expand_dbname, what the location says wins.
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "mend", location.c_str(), nullptr};
  conn_ = pq.connectdb_params(keys, values, 1);
  if (!conn_) fail(ErrorKind::busy, "cannot connect to PostgreSQL: out of memory; try again");
  if (pq.status(conn_) != CONNECTION_OK) {
    const std::string why = first_line(pq.error_message(conn_));
    pq.finish(conn_);
    conn_ = nullptr;
    fail(ErrorKind::busy, "cannot reach the PostgreSQL database " + pg_location_shown(location) +
                              " (" + why + "); check the server is running, then try again");
  }
  pq.set_notice_processor(
      conn_, [](void*, const char*) {}, nullptr);
  const char* host = pq.host(conn_);
  where_ = std::string("PostgreSQL database ") + pq.db(conn_) + " on " +
           (host && *host == '/' ? std::string(host) + " port " + pq.port(conn_)
                                 : std::string(host ? host : "") + ":" + pq.port(conn_));
}

PgConn::~PgConn() {
  if (conn_) libpq().finish(conn_);
}

void PgConn::fail_from(pg_result* r, std::string_view sql) {
  const auto& pq = libpq();
  const char* state = r ? pq.result_error_field(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state ? state : "";
  std::string message =
      first_line(r ? pq.result_error_field(r, PG_DIAG_MESSAGE_PRIMARY) : pq.error_message(conn_));
  if (message.empty()) message = first_line(pq.error_message(conn_));
  if (r) pq.clear(r);
  if (code == "40001" || code == "40P01") throw PgRetry();
  if (code == "55P03" || code == "57014")
    fail(ErrorKind::busy, where_ + " stayed locked by another writer past the timeout; try again");
  if (code.rfind("08", 0) == 0 || code.rfind("57P", 0) == 0 || pq.status(conn_) != CONNECTION_OK)
    fail(ErrorKind::busy, "lost the connection to the " + where_ + " (" + message +
                              "); nothing was written; try again");
  if (code == "22021" || code == "22P05")
    fail(ErrorKind::data,
         "the text is not valid UTF-8, which a PostgreSQL database cannot store; "
         "nothing was written");
  if (code == "53100") fail(ErrorKind::io, where_ + " is out of disk space; nothing was written");
  if (code == "42501")
    fail(ErrorKind::io, where_ + ": " + message + "; the role needs the rights the README lists");
  if (code == "23505" || code == "23503" || code == "23514")
    fail(ErrorKind::data, where_ + " refused the change (" + message + ")");
  (void)sql;
  fail(ErrorKind::io, where_ + ": " + message);
}

PgResult PgConn::exec(std::string_view sql, const PgParams& params) {
  const auto& pq = libpq();
  const auto& vals = params.values();
  std::vector<std::string> ints;
  ints.reserve(vals.size());
  std::vector<const char*> ptrs(vals.size(), nullptr);
  std::vector<int> lengths(vals.size(), 0), formats(vals.size(), 0);
  for (std::size_t i = 0; i < vals.size(); ++i) {
    const auto& v = vals[i];
    if (const auto* s = std::get_if<std::string>(&v)) {
      // libpq sends text up to its first NUL: the rest would be lost unsaid.
      if (s->find('\0') != std::string::npos)
        fail(ErrorKind::data,
             "the text holds a NUL byte, which a PostgreSQL database cannot "
             "store; nothing was written");
      ptrs[i] = s->c_str();
    } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
      ints.push_back(std::to_string(*n));
      ptrs[i] = ints.back().c_str();
    } else if (const auto* b = std::get_if<PgBytes>(&v)) {
      ptrs[i] = b->data.data();
      lengths[i] = static_cast<int>(b->data.size());
      formats[i] = 1;
    }
  }
  const std::string text = numbered(sql);
  pg_result* r = pq.exec_params(conn_, text.c_str(), static_cast<int>(vals.size()), nullptr,
                                ptrs.data(), lengths.data(), formats.data(), 0);
  const auto st = r ? pq.result_status(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail_from(r, sql);
  return PgResult(r);
}

void PgConn::run(const char* sql) {
  const auto& pq = libpq();
  pg_result* r = pq.exec(conn_, sql);
  const auto st = r ? pq.result_status(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail_from(r, sql);
  pq.clear(r);
}

void PgConn::copy_begin(std::string_view sql) {
  const auto& pq = libpq();
  const std::string text(sql);
  pg_result* r = pq.exec(conn_, text.c_str());
  if (!r || pq.result_status(r) != PGRES_COPY_IN) fail_from(r, sql);
  pq.clear(r);
}

void PgConn::copy_send(std::string_view data) {
  if (libpq().put_copy_data(conn_, data.data(), static_cast<int>(data.size())) != 1)
    fail_from(nullptr, "COPY");
}

void PgConn::copy_end() {
  const auto& pq = libpq();
  if (pq.put_copy_end(conn_, nullptr) != 1) fail_from(nullptr, "COPY");
  pg_result* r = pq.get_result(conn_);
  const auto st = r ? pq.result_status(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK) fail_from(r, "COPY");
  pq.clear(r);
  while ((r = pq.get_result(conn_)) != nullptr)
    pq.clear(r);
}

}  // namespace mend
