// The PostgreSQL store's import: lines of export JSON into the database in one
// transaction, sent with COPY in batches.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

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

constexpr std::size_t kImportBatch = 1000;                       // lines looked up together
constexpr std::size_t kImportBatchBytes = std::size_t{8} << 20;  // or this much of their text
constexpr std::int64_t kLaterBatch = 100;                        // put-off lines read together
constexpr std::int64_t kAnalyzeAfter = 10000;  // imported cases that call for ANALYZE

// Rows for COPY ... FROM STDIN in its text format: fields split by tabs,
// rows by newlines, \N for none, backslash, tab, newline and CR escaped.
class CopyRows {
 public:
  CopyRows& row() {
    if (open_) buf_ += '\n';
    open_ = true;
    first_ = true;
    return *this;
  }
  CopyRows& operator<<(std::int64_t v) {
    sep();
    buf_ += std::to_string(v);
    return *this;
  }
  CopyRows& operator<<(std::string_view v) {
    sep();
    for (const char ch : v) {
      switch (ch) {
        case '\\':
          buf_ += "\\\\";
          break;
        case '\t':
          buf_ += "\\t";
          break;
        case '\n':
          buf_ += "\\n";
          break;
        case '\r':
          buf_ += "\\r";
          break;
        default:
          buf_ += ch;
      }
    }
    return *this;
  }
  CopyRows& operator<<(const std::string& v) { return *this << std::string_view(v); }
  template <class E>
  requires requires { Spelling<E>::words; }
  CopyRows& operator<<(E v) { return *this << spelling(v); }
  CopyRows& operator<<(std::nullptr_t) {
    sep();
    buf_ += "\\N";
    return *this;
  }
  CopyRows& operator<<(const std::optional<std::string>& v) {
    return v ? *this << std::string_view(*v) : *this << nullptr;
  }
  CopyRows& operator<<(const std::optional<std::int64_t>& v) {
    return v ? *this << *v : *this << nullptr;
  }
  // Sends the rows with `copy_sql` and empties the buffer; false when there were none.
  bool send(PgConn& conn, std::string_view copy_sql) {
    if (!open_) return false;
    buf_ += '\n';
    conn.copy_begin(copy_sql);
    conn.copy_send(buf_);
    conn.copy_end();
    buf_.clear();
    if (buf_.capacity() > (std::size_t{16} << 20)) buf_.shrink_to_fit();
    open_ = false;
    return true;
  }

 private:
  void sep() {
    if (!first_) buf_ += '\t';
    first_ = false;
  }
  std::string buf_;
  bool open_ = false;
  bool first_ = true;
};

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

// One transaction in one function, longer than the rest of this code: its
// steps (flush the COPY rows, map a customer, place a case, the put-off
// lines) are lambdas over the batch's shared state, where the SQLite store
// has the Importer class of store_import.hpp.
ImportSummary PgStore::import_cases(const LineReader& read_line, const std::string& source,
                                    Time now,
                                    const std::function<void(const Reassignment&)>& reassigned,
                                    const std::optional<std::string>& files_dir) {
  std::vector<Reassignment> moved;
  ImportSummary summary = write([&] {
    ImportSummary s;
    moved.clear();
    // The input's customer ids and the stored ones they became, and the lines
    // put off until every kept id is in, live in the database: a million of
    // either would not fit in memory.
    conn_.run(
        "CREATE TEMP TABLE mend_import_customers (input_id bigint PRIMARY KEY, "
        "stored_id bigint NOT NULL) ON COMMIT DROP; "
        "CREATE TEMP TABLE mend_import_later (seq bigint PRIMARY KEY, line text NOT NULL) "
        "ON COMMIT DROP; "
        "CREATE TEMP TABLE mend_import_seen (seq bigint PRIMARY KEY, key text NOT NULL, "
        "case_id bigint NOT NULL) ON COMMIT DROP");
    CopyRows customer_rows, map_rows, case_rows, tag_rows, event_rows, seen_rows, later_rows;
    std::int64_t seen_seq = 0;
    std::int64_t later_count = 0;
    // Rows waiting to be sent, in the order the foreign keys need; the mail
    // keys go through a table of their own, as the first case that saw one keeps it.
    auto flush = [&] {
      customer_rows.send(conn_,
                         "COPY mend.customers (id, name, email, phone, phone_key, created_at, "
                         "forgotten_at) FROM STDIN");
      map_rows.send(conn_, "COPY mend_import_customers (input_id, stored_id) FROM STDIN");
      case_rows.send(conn_,
                     "COPY mend.cases (id, customer_id, status, summary, complaint, wants, "
                     "channel, category, priority, reference, opened_at, due_at, resolved_at, "
                     "followup_at, closed_at, outcome, resolution_text, amount_cents, currency, "
                     "fault, cause, satisfaction, followup_done_at, owner) FROM STDIN");
      tag_rows.send(conn_, "COPY mend.case_tags (case_id, tag) FROM STDIN");
      event_rows.send(conn_,
                      "COPY mend.events (case_id, at, kind, text, author, message_id, "
                      "message_from, message_to, message_subject, message_direction) FROM STDIN");
      if (seen_rows.send(conn_, "COPY mend_import_seen (seq, key, case_id) FROM STDIN"))
        conn_.run(
            "INSERT INTO mend.mail_seen (key, case_id) SELECT DISTINCT ON (key) key, case_id "
            "FROM mend_import_seen ORDER BY key, seq ON CONFLICT DO NOTHING; "
            "TRUNCATE mend_import_seen");
      later_rows.send(conn_, "COPY mend_import_later (seq, line) FROM STDIN");
    };
    // This batch's customer mappings, all of them while `known_complete`.
    std::unordered_map<std::int64_t, std::int64_t> known;
    bool known_complete = false;
    auto mapped = [&](std::int64_t input_id) -> std::optional<std::int64_t> {
      if (const auto k = known.find(input_id); k != known.end()) return k->second;
      if (known_complete) return std::nullopt;
      auto r = conn_.exec("SELECT stored_id FROM mend_import_customers WHERE input_id = ?",
                          PgParams{} << input_id);
      if (r.rows() == 0) return std::nullopt;
      return r.int64(0, 0);
    };
    auto map_customer = [&](std::int64_t input_id, std::int64_t stored_id) {
      known[input_id] = stored_id;
      map_rows.row() << input_id << stored_id;
      if (stored_id != input_id) moved.push_back(Reassignment{"customer", input_id, stored_id});
    };
    auto exists = [&](const char* table, std::int64_t id) {
      return conn_
                 .exec(std::string("SELECT 1 FROM mend.") + table + " WHERE id = ?",
                       PgParams{} << id)
                 .rows() > 0;
    };
    auto customer_fits_now = [&](const Customer& in) {
      if (mapped(in.id)) return true;
      if (!exists("customers", in.id)) return true;
      return !is_forgotten_marker(in) && find_customer(match_probe(in)).has_value();
    };
    // A customer whose id is free, kept under it.
    auto create_kept = [&](const Customer& in, Time created) {
      const bool forgotten = is_forgotten_marker(in);
      customer_rows.row() << in.id << in.name << in.email << in.phone
                          << (in.phone ? std::optional<std::string>(phone_key(*in.phone))
                                       : std::nullopt)
                          << static_cast<std::int64_t>(created)
                          << (forgotten ? std::optional<std::int64_t>(now) : std::nullopt);
      ++s.customers_created;
      map_customer(in.id, in.id);
      return in.id;
    };
    // The customer-by-customer path, the database brought up to date first.
    auto resolve_customer = [&](const Customer& in, Time created) {
      if (const auto known_id = mapped(in.id)) return *known_id;
      if (!exists("customers", in.id)) {
        create_kept(in, created);
        flush();
        return in.id;
      }
      const bool forgotten = is_forgotten_marker(in);
      std::int64_t id = 0;
      if (!forgotten && find_customer(match_probe(in))) {
        id = find_or_create_customer(match_probe(in), created);
        ++s.customers_matched;
      } else {
        id = conn_
                 .exec(
                     "INSERT INTO mend.customers (name, email, phone, phone_key, created_at, "
                     "forgotten_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                     PgParams{} << in.name << in.email << in.phone
                                << (in.phone ? std::optional<std::string>(phone_key(*in.phone))
                                             : std::nullopt)
                                << static_cast<std::int64_t>(created)
                                << (forgotten ? std::optional<std::int64_t>(now) : std::nullopt))
                 .int64(0, 0);
        ++s.customers_created;
      }
      map_customer(in.id, id);
      return id;
    };
    // The rows of a case that has its id; tags, events and mail keys queued.
    auto queue_details = [&](const Case& c, std::int64_t id) {
      std::set<std::string> tags_folded;  // as the unique index folds them
      for (const auto& t : c.tags) {
        std::string folded = t;
        for (auto& ch : folded)
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        if (tags_folded.insert(std::move(folded)).second) tag_rows.row() << id << t;
      }
      for (const auto& e : c.events) {
        auto& r = event_rows.row();
        r << id << static_cast<std::int64_t>(e.at) << e.kind << e.text << e.by;
        if (e.message) {
          r << e.message->id << e.message->from << e.message->to << e.message->subject
            << e.message->direction;
          if (e.message->id) seen_rows.row() << ++seen_seq << *e.message->id << id;
        } else {
          r << nullptr << nullptr << nullptr << nullptr << nullptr;
        }
      }
      ++s.cases;
    };
    auto case_values = [&](const Case& c, std::int64_t customer_id, auto& out) {
      const auto done_at = followup_done_at(c);
      const Resolution none;
      const Resolution& r = c.resolution ? *c.resolution : none;
      const bool resolved = c.resolution.has_value();
      out << customer_id << c.status << c.summary << c.complaint << c.wants << c.channel
          << c.category << c.priority << c.reference << static_cast<std::int64_t>(c.opened_at)
          << c.due_at << c.resolved_at << c.followup_at << c.closed_at
          << (resolved ? std::optional<std::string>(spelling(r.outcome)) : std::nullopt)
          << (resolved ? r.text : std::nullopt) << (resolved ? r.amount_cents : std::nullopt)
          << (resolved ? std::optional<std::string>(r.currency) : std::nullopt)
          << (resolved ? std::optional<std::string>(spelling(r.fault)) : std::nullopt)
          << (resolved ? r.cause : std::nullopt)
          << (c.satisfaction ? std::optional<std::int64_t>(*c.satisfaction) : std::nullopt)
          << done_at << c.owner;
    };
    // A case kept under its free id, sent with the next batch.
    auto queue_case = [&](const Case& c, std::int64_t customer_id) {
      auto& r = case_rows.row();
      r << c.id;
      case_values(c, customer_id, r);
      queue_details(c, c.id);
    };
    // A case inserted now (under a new id unless `keep_id`), with its files.
    auto insert_case = [&](const Case& c, std::int64_t customer_id, bool keep_id) {
      PgParams p;
      if (keep_id) p << c.id;
      case_values(c, customer_id, p);
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
      queue_details(c, id);
      flush();
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
      return id;
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
    auto id_array = [](const std::vector<std::int64_t>& ids) {
      std::string a = "{";
      for (const auto id : ids) {
        if (a.size() > 1) a += ',';
        a += std::to_string(id);
      }
      return a + "}";
    };
    // One batch of parsed lines. Lines whose case id is free and whose
    // customer is already placed or has a free id go by COPY; the others one
    // by one, as `open` would match their customer, after what came before.
    auto run_batch = [&](std::vector<std::pair<std::string, Case>>& batch) {
      std::vector<std::int64_t> case_ids, customer_ids;
      for (const auto& [line, c] : batch) {
        case_ids.push_back(c.id);
        customer_ids.push_back(c.customer.id);
      }
      std::unordered_set<std::int64_t> taken, customers_there;
      const auto cases_there = conn_.exec("SELECT id FROM mend.cases WHERE id = ANY(?::bigint[])",
                                          PgParams{} << id_array(case_ids));
      for (int i = 0; i < cases_there.rows(); ++i)
        taken.insert(cases_there.int64(i, 0));
      const auto there = conn_.exec("SELECT id FROM mend.customers WHERE id = ANY(?::bigint[])",
                                    PgParams{} << id_array(customer_ids));
      for (int i = 0; i < there.rows(); ++i)
        customers_there.insert(there.int64(i, 0));
      known.clear();
      const auto r = conn_.exec(
          "SELECT input_id, stored_id FROM mend_import_customers WHERE input_id = "
          "ANY(?::bigint[])",
          PgParams{} << id_array(customer_ids));
      for (int i = 0; i < r.rows(); ++i)
        known[r.int64(i, 0)] = r.int64(i, 1);
      known_complete = true;
      for (auto& [line, c] : batch) {
        const auto placed = known.find(c.customer.id);
        if (!taken.count(c.id) && c.attachments.empty() &&
            (placed != known.end() || !customers_there.count(c.customer.id))) {
          queue_case(c,
                     placed != known.end() ? placed->second : create_kept(c.customer, c.opened_at));
          taken.insert(c.id);
          continue;
        }
        flush();
        const bool fits = customer_fits_now(c.customer);
        if (!fits || taken.count(c.id)) {
          if (fits) resolve_customer(c.customer, c.opened_at);
          later_rows.row() << ++later_count << line;
          continue;
        }
        insert_case(c, resolve_customer(c.customer, c.opened_at), true);
        taken.insert(c.id);
      }
      flush();
      known.clear();
      known_complete = false;
      batch.clear();
    };
    std::vector<std::pair<std::string, Case>> batch;
    std::size_t batch_bytes = 0;
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
      batch_bytes += line.size();
      batch.emplace_back(std::move(line), std::move(c));
      line.clear();
      if (batch.size() >= kImportBatch || batch_bytes >= kImportBatchBytes) {
        run_batch(batch);
        batch_bytes = 0;
      }
    }
    run_batch(batch);
    lift_identities();
    // The lines put off, in their order, a few at a time.
    for (std::int64_t from = 1; from <= later_count; from += kLaterBatch) {
      auto rows =
          conn_.exec("SELECT line FROM mend_import_later WHERE seq >= ? AND seq < ? ORDER BY seq",
                     PgParams{} << from << from + kLaterBatch);
      for (int i = 0; i < rows.rows(); ++i) {
        const Case c = parse_import_line(rows.text(i, 0));
        const auto customer_id = resolve_customer(c.customer, c.opened_at);
        insert_case(c, customer_id, !exists("cases", c.id));
        lift_identities();  // ids given next come after any this line kept
        known.clear();      // every mapping is in the table now
      }
    }
    lift_identities();
    s.customers = conn_.exec("SELECT count(*) FROM mend_import_customers").int64(0, 0);
    // Fresh statistics after a large load, so that the next commands' plans
    // use the indexes instead of waiting for autovacuum to notice.
    if (s.cases >= kAnalyzeAfter)
      conn_.run("ANALYZE mend.customers, mend.cases, mend.case_tags, mend.events");
    return s;
  });
  for (const auto& m : moved)
    reassigned(m);
  return summary;
}

}  // namespace mend
