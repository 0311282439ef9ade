// The PostgreSQL store's data commands: export, import, backup (to an SQLite
// file) and forget. Large reads go through a cursor, a batch of rows at a
// time, so memory stays flat however many cases there are.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "core/digest.hpp"
#include "core/import_reader.hpp"
#include "core/limits.hpp"
#include "core/pg_store.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/status_filter.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

constexpr int kBatch = 2000;

// Runs `sql` through a cursor (inside the caller's transaction) and calls
// `each(result, row)` for every row, kBatch rows at a time.
void each_row(PgConn& conn, const std::string& sql, const PgParams& params,
              const std::function<void(const PgResult&, int)>& each) {
  conn.exec("DECLARE mend_rows NO SCROLL CURSOR FOR " + sql, params);
  for (;;) {
    auto r = conn.exec("FETCH " + std::to_string(kBatch) + " FROM mend_rows");
    for (int i = 0; i < r.rows(); ++i)
      each(r, i);
    if (r.rows() < kBatch) break;
  }
  conn.exec("CLOSE mend_rows");
}

// The bytes of files_dir/<sha256>, checked against the SHA-256 and size listed.
std::string attachment_bytes(const Attachment& a, const std::string& files_dir) {
  const std::string path = files_dir + "/" + a.sha256;
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) fail(ErrorKind::data, "cannot read " + path + ": " + std::strerror(errno));
  struct stat st {};
  std::string bytes;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == a.size) {
    bytes.resize(static_cast<std::size_t>(a.size));
    std::size_t got = 0;
    while (got < bytes.size()) {
      const auto n = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    bytes.resize(got);
  }
  ::close(fd);
  if (bytes.size() != static_cast<std::size_t>(a.size))
    fail(ErrorKind::data, path + " is not the " + std::to_string(a.size) +
                              "-byte file attachment '" + a.name + "' lists");
  if (const auto sum = sha256_hex(bytes); sum != a.sha256)
    fail(ErrorKind::data, path + " does not hold the bytes of SHA-256 " + a.sha256 +
                              " (its SHA-256 is " + sum + ")");
  return bytes;
}

}  // namespace

void PgStore::export_cases(const ExportFilter& f, const std::function<void(const Case&)>& each) {
  std::string sql = std::string("SELECT ") + pg_case_columns() +
                    " FROM mend.cases c JOIN mend.customers u ON u.id = c.customer_id WHERE true";
  PgParams p;
  sql += status_condition("c.status", f.statuses);
  for (const auto& status : f.statuses)
    p << status;
  auto time_bound = [&](const char* fragment, const std::optional<Time>& t) {
    if (!t) return;
    sql += fragment;
    p << static_cast<std::int64_t>(*t);
  };
  time_bound(" AND c.opened_at >= ?", f.since);
  time_bound(" AND c.opened_at < ?", f.until);
  time_bound(" AND c.resolved_at >= ?", f.resolved_since);
  time_bound(" AND c.resolved_at < ?", f.resolved_until);
  sql += " ORDER BY c.id";
  read([&] {
    each_row(conn_, sql, p, [&](const PgResult& r, int i) {
      Case c = pg_case_from(r, i);
      c.events = events_of(c.id);
      c.attachments = attachments_of(c.id);
      each(c);
    });
  });
}

ImportSummary PgStore::import_cases(const LineReader& read_line, const std::string& source,
                                    Time now,
                                    const std::function<void(const Reassignment&)>& reassigned,
                                    const std::optional<std::string>& files_dir) {
  std::vector<Reassignment> moved;
  ImportSummary summary = write([&] {
    ImportSummary s;
    moved.clear();
    std::map<std::int64_t, std::int64_t> customers;  // the input's id -> the stored one
    std::set<std::int64_t> taken;                    // case ids this import has used
    std::vector<Case> later;                         // lines whose case or customer needs a new id
    auto exists = [&](const char* table, std::int64_t id) {
      return conn_
                 .exec(std::string("SELECT 1 FROM mend.") + table + " WHERE id = ?",
                       PgParams{} << id)
                 .rows() > 0;
    };
    auto customer_fits_now = [&](const Customer& in) {
      if (customers.count(in.id)) return true;
      if (!exists("customers", in.id)) return true;
      return !is_forgotten_marker(in) && find_customer(match_probe(in)).has_value();
    };
    auto resolve_customer = [&](const Customer& in, Time created) {
      if (const auto known = customers.find(in.id); known != customers.end()) return known->second;
      ++s.customers;
      const bool forgotten = is_forgotten_marker(in);
      const std::optional<std::int64_t> forgotten_at =
          forgotten ? std::optional<std::int64_t>(now) : std::nullopt;
      const std::optional<std::string> key =
          in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt;
      std::int64_t id = 0;
      if (!exists("customers", in.id)) {
        conn_.exec(
            "INSERT INTO mend.customers (id, name, email, phone, phone_key, created_at, "
            "forgotten_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            PgParams{} << in.id << in.name << in.email << in.phone << key
                       << static_cast<std::int64_t>(created) << forgotten_at);
        ++s.customers_created;
        id = in.id;
      } else if (!forgotten && find_customer(match_probe(in))) {
        id = find_or_create_customer(match_probe(in), created);
        ++s.customers_matched;
      } else {
        id = conn_
                 .exec(
                     "INSERT INTO mend.customers (name, email, phone, phone_key, created_at, "
                     "forgotten_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                     PgParams{} << in.name << in.email << in.phone << key
                                << static_cast<std::int64_t>(created) << forgotten_at)
                 .int64(0, 0);
        ++s.customers_created;
      }
      customers[in.id] = id;
      if (id != in.id) moved.push_back(Reassignment{"customer", in.id, id});
      return id;
    };
    auto insert_case = [&](const Case& c, std::int64_t customer_id, bool keep_id) {
      std::optional<std::int64_t> done_at;
      if (c.satisfaction)
        for (const auto& e : c.events)
          if (e.kind == "followup-done" && (!done_at || e.at >= *done_at)) done_at = e.at;
      const Resolution none;
      const Resolution& r = c.resolution ? *c.resolution : none;
      const bool resolved = c.resolution.has_value();
      PgParams p;
      if (keep_id) p << c.id;
      p << customer_id << c.status << c.summary << c.complaint << c.wants << c.channel << c.category
        << c.priority << c.reference << static_cast<std::int64_t>(c.opened_at) << c.due_at
        << c.resolved_at << c.followup_at << c.closed_at
        << (resolved ? std::optional<std::string>(r.outcome) : std::nullopt)
        << (resolved ? r.text : std::nullopt) << (resolved ? r.amount_cents : std::nullopt)
        << (resolved ? std::optional<std::string>(r.currency) : std::nullopt)
        << (resolved ? std::optional<std::string>(r.fault) : std::nullopt)
        << (resolved ? r.cause : std::nullopt)
        << (c.satisfaction ? std::optional<std::int64_t>(*c.satisfaction) : std::nullopt) << done_at
        << c.owner;
      const std::string columns =
          "customer_id, status, summary, complaint, wants, channel, category, priority, "
          "reference, opened_at, due_at, resolved_at, followup_at, closed_at, outcome, "
          "resolution_text, amount_cents, currency, fault, cause, satisfaction, "
          "followup_done_at, owner";
      const std::string values =
          "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
      const auto id = conn_
                          .exec(keep_id ? "INSERT INTO mend.cases (id, " + columns +
                                              ") VALUES (?, " + values + ") RETURNING id"
                                        : "INSERT INTO mend.cases (" + columns + ") VALUES (" +
                                              values + ") RETURNING id",
                                p)
                          .int64(0, 0);
      if (id > kMaxId)
        fail(ErrorKind::data, "no case id is left: ids go up to " + std::to_string(kMaxId));
      if (id != c.id) moved.push_back(Reassignment{"case", c.id, id});
      taken.insert(id);
      for (const auto& t : c.tags)
        conn_.exec("INSERT INTO mend.case_tags (case_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
                   PgParams{} << id << t);
      for (const auto& e : c.events) {
        PgParams ep;
        ep << id << static_cast<std::int64_t>(e.at) << e.kind << e.text << e.by;
        if (e.message) {
          ep << e.message->id << e.message->from << e.message->to << e.message->subject
             << e.message->direction;
        } else {
          ep << nullptr << nullptr << nullptr << nullptr << nullptr;
        }
        conn_.exec(
            "INSERT INTO mend.events (case_id, at, kind, text, author, message_id, "
            "message_from, message_to, message_subject, message_direction) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ep);
        if (e.message && e.message->id)
          conn_.exec(
              "INSERT INTO mend.mail_seen (key, case_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
              PgParams{} << *e.message->id << id);
      }
      for (const auto& a : c.attachments) {
        const std::string bytes = attachment_bytes(a, *files_dir);
        conn_.exec(
            "INSERT INTO mend.blobs (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            PgParams{} << a.sha256 << a.size << PgBytes{bytes});
        conn_.exec(
            "INSERT INTO mend.attachments (case_id, name, type, size, sha256, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            PgParams{} << id << a.name << a.type << a.size << a.sha256
                       << static_cast<std::int64_t>(a.at));
      }
      ++s.cases;
    };
    // Ids given by the server come after every id the input keeps: the
    // identities start above the highest id there is.
    auto lift_identities = [&] {
      conn_.run(
          "SELECT setval(pg_get_serial_sequence('mend.cases', 'id'), "
          "greatest((SELECT max(id) FROM mend.cases), 1), (SELECT max(id) FROM mend.cases) IS NOT "
          "NULL); "
          "SELECT setval(pg_get_serial_sequence('mend.customers', 'id'), "
          "greatest((SELECT max(id) FROM mend.customers), 1), (SELECT max(id) FROM "
          "mend.customers) IS NOT NULL)");
    };
    std::string line;
    std::int64_t line_no = 0;
    while (read_line(line)) {
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      Case c;
      try {
        c = parse_import_line(line);
        if (!c.attachments.empty()) check_attachment_files(c, files_dir);
      } catch (const Error& e) {
        fail(e.kind(), source + ":" + std::to_string(line_no) + ": " + e.what());
      }
      if (!customer_fits_now(c.customer) || taken.count(c.id) || exists("cases", c.id)) {
        if (customer_fits_now(c.customer)) resolve_customer(c.customer, c.opened_at);
        later.push_back(std::move(c));
        continue;
      }
      insert_case(c, resolve_customer(c.customer, c.opened_at), true);
    }
    lift_identities();
    for (const auto& c : later) {
      const auto customer_id = resolve_customer(c.customer, c.opened_at);
      const bool keep = !taken.count(c.id) && !exists("cases", c.id);
      insert_case(c, customer_id, keep);
      lift_identities();  // ids given next come after any this line kept
    }
    lift_identities();
    s.customers = static_cast<std::int64_t>(customers.size());
    return s;
  });
  for (const auto& m : moved)
    reassigned(m);
  return summary;
}

std::pair<Customer, std::int64_t> PgStore::get_customer(std::int64_t id) {
  return read([&] {
    auto r = conn_.exec(
        "SELECT id, name, email, phone, (SELECT count(*) FROM mend.cases WHERE customer_id = u.id) "
        "FROM mend.customers u WHERE id = ?",
        PgParams{} << id);
    if (r.rows() == 0) fail(ErrorKind::not_found, "no customer #" + std::to_string(id));
    Customer c{r.int64(0, 0), r.text(0, 1), r.opt_text(0, 2), r.opt_text(0, 3)};
    return std::pair<Customer, std::int64_t>(std::move(c), r.int64(0, 4));
  });
}

ForgetSummary PgStore::forget_customer(std::int64_t id, Time now) {
  ForgetSummary summary = write([&] {
    ForgetSummary s;
    if (conn_.exec("SELECT 1 FROM mend.customers WHERE id = ?", PgParams{} << id).rows() == 0)
      fail(ErrorKind::not_found, "no customer #" + std::to_string(id));
    conn_.exec(
        "UPDATE mend.customers SET name = ?, email = NULL, phone = NULL, phone_key = NULL, "
        "forgotten_at = coalesce(forgotten_at, ?) WHERE id = ?",
        PgParams{} << "[forgotten #" + std::to_string(id) + "]" << static_cast<std::int64_t>(now)
                   << id);
    // Dates, channel, category, priority, tags, outcome, amount, fault,
    // cause and satisfaction stay, so reports stay right.
    s.cases = conn_
                  .exec(
                      "UPDATE mend.cases SET summary = '', complaint = NULL, wants = NULL, "
                      "reference = NULL, resolution_text = NULL WHERE customer_id = ?",
                      PgParams{} << id)
                  .affected();
    s.events = conn_
                   .exec(
                       "UPDATE mend.events SET text = '', message_from = NULL, message_to = NULL, "
                       "message_subject = NULL WHERE case_id IN "
                       "(SELECT id FROM mend.cases WHERE customer_id = ?)",
                       PgParams{} << id)
                   .affected();
    // Their files go whole, and with them every stored file no other case keeps.
    s.attachments = conn_
                        .exec(
                            "DELETE FROM mend.attachments WHERE case_id IN "
                            "(SELECT id FROM mend.cases WHERE customer_id = ?)",
                            PgParams{} << id)
                        .affected();
    conn_.exec(
        "DELETE FROM mend.blobs b WHERE NOT EXISTS "
        "(SELECT 1 FROM mend.attachments a WHERE a.sha256 = b.sha256)");
    return s;
  });
  // The old row versions that still hold the words go at the next VACUUM;
  // this one runs now, on the tables forget touched. What the server keeps
  // beyond (WAL archives, base backups) is the README's to tell.
  vacuum("mend.customers, mend.cases, mend.events, mend.attachments, mend.blobs");
  // The search words are written again at every change of a case, and a
  // plain VACUUM leaves the old ones' bytes in the pages' free space; the GIN
  // index keeps a word as a key after the last case that held it is gone. So
  // they are both written anew, without them.
  vacuum("FULL mend.search");
  summary.wal_truncated = true;
  return summary;
}

void PgStore::vacuum(const char* tables) {
  conn_.run((std::string("VACUUM ") + tables).c_str());
}

void PgStore::backup_to(const std::string& dest, const std::string& shown_as) {
  const std::string& shown = shown_as.empty() ? dest : shown_as;
  guarded(shown, [&] {
    SqliteStore copy(dest);  // mend's schema in the empty file
    auto& db = copy.db();
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    // One REPEATABLE READ snapshot: every table as of the same moment.
    read([&] {
      struct Table {
        const char* name;
        const char* columns;
        int count;
      };
      for (const Table& t : {
               Table{"customers", "id, name, email, phone, phone_key, created_at, forgotten_at", 7},
               Table{"cases",
                     "id, customer_id, status, summary, complaint, wants, channel, category, "
                     "priority, reference, opened_at, due_at, resolved_at, followup_at, "
                     "closed_at, outcome, resolution_text, amount_cents, currency, fault, cause, "
                     "satisfaction, followup_done_at, owner",
                     24},
               Table{"case_tags", "case_id, tag", 2},
               Table{"events",
                     "id, case_id, at, kind, text, author, message_id, message_from, message_to, "
                     "message_subject, message_direction",
                     11},
               Table{"blobs", "sha256, size, data", 3},
               Table{"attachments", "id, case_id, name, type, size, sha256, at", 7},
               Table{"mail_seen", "key, case_id", 2},
           }) {
        std::string marks;
        for (int i = 0; i < t.count; ++i)
          marks += i == 0 ? "?" : ", ?";
        SQLite::Statement ins(db, std::string("INSERT INTO ") + t.name + " (" + t.columns +
                                      ") VALUES (" + marks + ")");
        // Bytes leave PostgreSQL as hex text and go into SQLite as a blob.
        const bool blobs = std::string(t.name) == "blobs";
        const std::string select =
            blobs ? "SELECT sha256, size, encode(data, 'hex') FROM mend.blobs"
                  : std::string("SELECT ") + t.columns + " FROM mend." + t.name;
        each_row(conn_, select, PgParams{}, [&](const PgResult& r, int row) {
          ins.reset();
          for (int col = 0; col < t.count; ++col) {
            if (r.null(row, col)) {
              ins.bind(col + 1);
            } else if (blobs && col == 2) {
              const auto hex = r.view(row, col);
              std::string bytes(hex.size() / 2, '\0');
              for (std::size_t k = 0; k < bytes.size(); ++k)
                bytes[k] =
                    static_cast<char>(std::stoi(std::string(hex.substr(2 * k, 2)), nullptr, 16));
              ins.bind(col + 1, bytes.data(), static_cast<int>(bytes.size()));
            } else {
              ins.bind(col + 1, r.text(row, col));
            }
          }
          ins.exec();
        });
      }
    });
    rebuild_search_index(db);
    tx.commit();
    db.exec("PRAGMA journal_mode=DELETE");  // one self-contained file, no -wal beside it
    SQLite::Statement q(db, "PRAGMA integrity_check");
    if (!q.executeStep() || q.getColumn(0).getString() != "ok")
      fail(ErrorKind::io, "the copy in " + shown + " failed its integrity check");
  });
}

}  // namespace mend
