// The PostgreSQL store's import: lines of export JSON into the database in one
// transaction, sent with COPY in batches.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/digest.hpp"
#include "core/import_reader.hpp"
#include "core/limits.hpp"
#include "core/pg_store.hpp"
#include "core/store_rows.hpp"
#include "core/text.hpp"

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

// A PostgreSQL array literal of ids, for `= ANY(?::bigint[])`.
std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string a = "{";
  for (const auto id : ids) {
    if (a.size() > 1) a += ',';
    a += std::to_string(id);
  }
  return a + "}";
}

}  // namespace

// One import into PostgreSQL, inside the store's write transaction. Cases
// whose id is free and whose customer is placed or has a free id go in by
// COPY, a batch at a time; the others one by one, as `open` would match
// their customer, after what came before. Lines whose id is taken, or whose
// customer cannot be matched yet, are put off until every kept id is in.
class PgImporter {
 public:
  PgImporter(PgStore& store, Time now, const std::optional<std::string>& files_dir);
  PgImporter(const PgImporter&) = delete;
  PgImporter& operator=(const PgImporter&) = delete;
  // Loads every line; the transaction around it commits or rolls back.
  ImportSummary run(const LineReader& read_line, const std::string& source);
  // The ids that moved, to report once the transaction has committed.
  const std::vector<Reassignment>& moved() const { return moved_; }

 private:
  using Batch = std::vector<std::pair<std::string, Case>>;
  // The ids of a batch already in the database, looked up together.
  struct Taken {
    std::unordered_set<std::int64_t> cases;
    std::unordered_set<std::int64_t> customers;
  };

  // The steps, in the order run() takes them.
  void lock_tables();
  void create_tables();
  void read_lines(const LineReader& read_line, const std::string& source);
  void run_batch(Batch& batch);
  void place_deferred();
  void finish();

  // A batch.
  Taken look_up(const Batch& batch);
  void place_line(const std::string& line, const Case& c, Taken& taken);
  void flush();

  // Customers.
  std::optional<std::int64_t> mapped(std::int64_t input_id);
  void map_customer(std::int64_t input_id, std::int64_t stored_id);
  bool exists(const char* table, std::int64_t id);
  bool customer_fits_now(const Customer& in);
  std::int64_t create_kept(const Customer& in, Time created);
  std::int64_t resolve_customer(const Customer& in, Time created);

  // Cases and what hangs off them.
  template <class Out>
  void case_values(const Case& c, std::int64_t customer_id, Out& out);
  void queue_case(const Case& c, std::int64_t customer_id);
  void queue_details(const Case& c, std::int64_t id);
  std::int64_t insert_case(const Case& c, std::int64_t customer_id, bool keep_id);
  void insert_attachments(const Case& c, std::int64_t id);
  void lift_identities();

  PgStore& store_;
  PgConn& conn_;
  const Time now_;
  const std::optional<std::string>& files_dir_;
  ImportSummary summary_;
  std::vector<Reassignment> moved_;

  // Rows waiting to be sent (flush()).
  CopyRows customer_rows_, map_rows_, case_rows_, tag_rows_, event_rows_, seen_rows_, later_rows_;
  std::int64_t seen_seq_ = 0;
  std::int64_t later_count_ = 0;
  // This batch's customer mappings, all of them while `known_complete_`.
  std::unordered_map<std::int64_t, std::int64_t> known_;
  bool known_complete_ = false;
};

PgImporter::PgImporter(PgStore& store, Time now, const std::optional<std::string>& files_dir)
    : store_(store), conn_(store.conn_), now_(now), files_dir_(files_dir) {}

ImportSummary PgImporter::run(const LineReader& read_line, const std::string& source) {
  lock_tables();
  create_tables();
  read_lines(read_line, source);
  lift_identities();
  place_deferred();
  finish();
  return summary_;
}

// Other writers wait for the import, as they wait for an import into an
// SQLite file, and fail with "try again" after the busy timeout: a write
// beside it would end the import with a serialization failure, and the
// input, read once, cannot be read again for a second try. Readers go on.
// Taken before the first query, so the import's snapshot starts after every
// write that came before it.
void PgImporter::lock_tables() {
  conn_.run(
      "LOCK TABLE mend.customers, mend.cases, mend.case_tags, mend.events, mend.blobs, "
      "mend.attachments, mend.mail_seen IN SHARE ROW EXCLUSIVE MODE");
}

// The input's customer ids and the stored ones they became, and the lines
// put off until every kept id is in, live in the database: a million of
// either would not fit in memory.
void PgImporter::create_tables() {
  conn_.run(
      "CREATE TEMP TABLE mend_import_customers (input_id bigint PRIMARY KEY, "
      "stored_id bigint NOT NULL) ON COMMIT DROP; "
      "CREATE TEMP TABLE mend_import_later (seq bigint PRIMARY KEY, line text NOT NULL) "
      "ON COMMIT DROP; "
      "CREATE TEMP TABLE mend_import_seen (seq bigint PRIMARY KEY, key text NOT NULL, "
      "case_id bigint NOT NULL) ON COMMIT DROP");
}

void PgImporter::read_lines(const LineReader& read_line, const std::string& source) {
  Batch batch;
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
      if (!c.attachments.empty()) check_attachment_files(c, files_dir_);
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
}

void PgImporter::run_batch(Batch& batch) {
  Taken taken = look_up(batch);
  for (const auto& [line, c] : batch)
    place_line(line, c, taken);
  flush();
  known_.clear();
  known_complete_ = false;
  batch.clear();
}

// The batch's case and customer ids already taken, and every mapping its
// customers have, in three queries.
PgImporter::Taken PgImporter::look_up(const Batch& batch) {
  std::vector<std::int64_t> case_ids, customer_ids;
  for (const auto& [line, c] : batch) {
    case_ids.push_back(c.id);
    customer_ids.push_back(c.customer.id);
  }
  Taken taken;
  const auto cases = conn_.exec("SELECT id FROM mend.cases WHERE id = ANY(?::bigint[])",
                                PgParams{} << id_array(case_ids));
  for (int i = 0; i < cases.rows(); ++i)
    taken.cases.insert(cases.int64(i, 0));
  const auto customers = conn_.exec("SELECT id FROM mend.customers WHERE id = ANY(?::bigint[])",
                                    PgParams{} << id_array(customer_ids));
  for (int i = 0; i < customers.rows(); ++i)
    taken.customers.insert(customers.int64(i, 0));
  known_.clear();
  const auto r = conn_.exec(
      "SELECT input_id, stored_id FROM mend_import_customers WHERE input_id = "
      "ANY(?::bigint[])",
      PgParams{} << id_array(customer_ids));
  for (int i = 0; i < r.rows(); ++i)
    known_[r.int64(i, 0)] = r.int64(i, 1);
  known_complete_ = true;
  return taken;
}

// One line of a batch: queued for COPY, inserted now, or put off.
void PgImporter::place_line(const std::string& line, const Case& c, Taken& taken) {
  const auto placed = known_.find(c.customer.id);
  if (!taken.cases.count(c.id) && c.attachments.empty() &&
      (placed != known_.end() || !taken.customers.count(c.customer.id))) {
    queue_case(c, placed != known_.end() ? placed->second : create_kept(c.customer, c.opened_at));
    taken.cases.insert(c.id);
    return;
  }
  flush();
  const bool fits = customer_fits_now(c.customer);
  if (!fits || taken.cases.count(c.id)) {
    if (fits) resolve_customer(c.customer, c.opened_at);
    later_rows_.row() << ++later_count_ << line;
    return;
  }
  insert_case(c, resolve_customer(c.customer, c.opened_at), true);
  taken.cases.insert(c.id);
}

// The lines put off, in their order, a few at a time.
void PgImporter::place_deferred() {
  for (std::int64_t from = 1; from <= later_count_; from += kLaterBatch) {
    auto rows =
        conn_.exec("SELECT line FROM mend_import_later WHERE seq >= ? AND seq < ? ORDER BY seq",
                   PgParams{} << from << from + kLaterBatch);
    for (int i = 0; i < rows.rows(); ++i) {
      const Case c = parse_import_line(rows.text(i, 0));
      const auto customer_id = resolve_customer(c.customer, c.opened_at);
      insert_case(c, customer_id, !exists("cases", c.id));
      lift_identities();  // ids given next come after any this line kept
      known_.clear();     // every mapping is in the table now
    }
  }
  lift_identities();
}

void PgImporter::finish() {
  summary_.customers = conn_.exec("SELECT count(*) FROM mend_import_customers").int64(0, 0);
  // Fresh statistics after a large load, so that the next commands' plans
  // use the indexes instead of waiting for autovacuum to notice.
  if (summary_.cases >= kAnalyzeAfter)
    conn_.run("ANALYZE mend.customers, mend.cases, mend.case_tags, mend.events");
}

// Sends the rows waiting, in the order the foreign keys need; the mail keys
// go through a table of their own, as the first case that saw one keeps it.
void PgImporter::flush() {
  customer_rows_.send(conn_,
                      "COPY mend.customers (id, name, email, phone, phone_key, created_at, "
                      "forgotten_at) FROM STDIN");
  map_rows_.send(conn_, "COPY mend_import_customers (input_id, stored_id) FROM STDIN");
  case_rows_.send(conn_,
                  "COPY mend.cases (id, customer_id, status, summary, complaint, wants, "
                  "channel, category, priority, reference, opened_at, due_at, resolved_at, "
                  "followup_at, closed_at, outcome, resolution_text, amount_cents, currency, "
                  "fault, cause, satisfaction, followup_done_at, owner) FROM STDIN");
  tag_rows_.send(conn_, "COPY mend.case_tags (case_id, tag) FROM STDIN");
  event_rows_.send(conn_,
                   "COPY mend.events (case_id, at, kind, text, author, message_id, "
                   "message_from, message_to, message_subject, message_direction) FROM STDIN");
  if (seen_rows_.send(conn_, "COPY mend_import_seen (seq, key, case_id) FROM STDIN"))
    conn_.run(
        "INSERT INTO mend.mail_seen (key, case_id) SELECT DISTINCT ON (key) key, case_id "
        "FROM mend_import_seen ORDER BY key, seq ON CONFLICT DO NOTHING; "
        "TRUNCATE mend_import_seen");
  later_rows_.send(conn_, "COPY mend_import_later (seq, line) FROM STDIN");
}

std::optional<std::int64_t> PgImporter::mapped(std::int64_t input_id) {
  if (const auto k = known_.find(input_id); k != known_.end()) return k->second;
  if (known_complete_) return std::nullopt;
  auto r = conn_.exec("SELECT stored_id FROM mend_import_customers WHERE input_id = ?",
                      PgParams{} << input_id);
  if (r.rows() == 0) return std::nullopt;
  return r.int64(0, 0);
}

void PgImporter::map_customer(std::int64_t input_id, std::int64_t stored_id) {
  known_[input_id] = stored_id;
  map_rows_.row() << input_id << stored_id;
  if (stored_id != input_id) moved_.push_back(Reassignment{"customer", input_id, stored_id});
}

bool PgImporter::exists(const char* table, std::int64_t id) {
  return conn_.exec(std::string("SELECT 1 FROM mend.") + table + " WHERE id = ?", PgParams{} << id)
             .rows() > 0;
}

bool PgImporter::customer_fits_now(const Customer& in) {
  if (mapped(in.id)) return true;
  if (!exists("customers", in.id)) return true;
  return !is_forgotten_marker(in) && store_.find_customer(match_probe(in)).has_value();
}

// A customer whose id is free, kept under it and sent with the next batch.
std::int64_t PgImporter::create_kept(const Customer& in, Time created) {
  customer_rows_.row() << in.id << in.name << in.email << in.phone
                       << (in.phone ? std::optional<std::string>(phone_key(*in.phone))
                                    : std::nullopt)
                       << static_cast<std::int64_t>(created)
                       << (is_forgotten_marker(in) ? std::optional<std::int64_t>(now_)
                                                   : std::nullopt);
  ++summary_.customers_created;
  map_customer(in.id, in.id);
  return in.id;
}

// The customer-by-customer path, the database brought up to date first.
std::int64_t PgImporter::resolve_customer(const Customer& in, Time created) {
  if (const auto known_id = mapped(in.id)) return *known_id;
  if (!exists("customers", in.id)) {
    create_kept(in, created);
    flush();
    return in.id;
  }
  const bool forgotten = is_forgotten_marker(in);
  std::int64_t id = 0;
  if (!forgotten && store_.find_customer(match_probe(in))) {
    id = store_.find_or_create_customer(match_probe(in), created);
    ++summary_.customers_matched;
  } else {
    id = conn_
             .exec(
                 "INSERT INTO mend.customers (name, email, phone, phone_key, created_at, "
                 "forgotten_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                 PgParams{} << in.name << in.email << in.phone
                            << (in.phone ? std::optional<std::string>(phone_key(*in.phone))
                                         : std::nullopt)
                            << static_cast<std::int64_t>(created)
                            << (forgotten ? std::optional<std::int64_t>(now_) : std::nullopt))
             .int64(0, 0);
    ++summary_.customers_created;
  }
  map_customer(in.id, id);
  return id;
}

// The case's columns after its id, in the order of the COPY and INSERT lists.
template <class Out>
void PgImporter::case_values(const Case& c, std::int64_t customer_id, Out& out) {
  const Resolution none;
  const Resolution& r = c.resolution ? *c.resolution : none;
  const bool resolved = c.resolution.has_value();
  out << customer_id << c.status << c.summary << c.complaint << c.wants << c.channel << c.category
      << c.priority << c.reference << static_cast<std::int64_t>(c.opened_at) << c.due_at
      << c.resolved_at << c.followup_at << c.closed_at
      << (resolved ? std::optional<std::string>(spelling(r.outcome)) : std::nullopt)
      << (resolved ? r.text : std::nullopt) << (resolved ? r.amount_cents : std::nullopt)
      << (resolved ? std::optional<std::string>(r.currency) : std::nullopt)
      << (resolved ? std::optional<std::string>(spelling(r.fault)) : std::nullopt)
      << (resolved ? r.cause : std::nullopt)
      << (c.satisfaction ? std::optional<std::int64_t>(*c.satisfaction) : std::nullopt)
      << followup_done_at(c) << c.owner;
}

// A case kept under its free id, sent with the next batch.
void PgImporter::queue_case(const Case& c, std::int64_t customer_id) {
  auto& r = case_rows_.row();
  r << c.id;
  case_values(c, customer_id, r);
  queue_details(c, c.id);
}

// The rows of a case that has its id: tags, events and mail keys queued.
void PgImporter::queue_details(const Case& c, std::int64_t id) {
  std::set<std::string> tags_folded;  // as the unique index folds them
  for (const auto& t : c.tags) {
    std::string folded = t;
    for (auto& ch : folded)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (tags_folded.insert(std::move(folded)).second) tag_rows_.row() << id << t;
  }
  for (const auto& e : c.events) {
    auto& r = event_rows_.row();
    r << id << static_cast<std::int64_t>(e.at) << e.kind << e.text << e.by;
    if (e.message) {
      r << e.message->id << e.message->from << e.message->to << e.message->subject
        << e.message->direction;
      if (e.message->id) seen_rows_.row() << ++seen_seq_ << *e.message->id << id;
    } else {
      r << nullptr << nullptr << nullptr << nullptr << nullptr;
    }
  }
  ++summary_.cases;
}

// A case inserted now (under a new id unless `keep_id`), with its files.
std::int64_t PgImporter::insert_case(const Case& c, std::int64_t customer_id, bool keep_id) {
  PgParams p;
  if (keep_id) p << c.id;
  case_values(c, customer_id, p);
  const std::string columns =
      "customer_id, status, summary, complaint, wants, channel, category, priority, "
      "reference, opened_at, due_at, resolved_at, followup_at, closed_at, outcome, "
      "resolution_text, amount_cents, currency, fault, cause, satisfaction, "
      "followup_done_at, owner";
  const std::string values = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
  const auto id = conn_
                      .exec(keep_id ? "INSERT INTO mend.cases (id, " + columns + ") VALUES (?, " +
                                          values + ") RETURNING id"
                                    : "INSERT INTO mend.cases (" + columns + ") VALUES (" + values +
                                          ") RETURNING id",
                            p)
                      .int64(0, 0);
  if (id > kMaxId)
    fail(ErrorKind::data, "no case id is left: ids go up to " + std::to_string(kMaxId));
  if (id != c.id) moved_.push_back(Reassignment{"case", c.id, id});
  queue_details(c, id);
  flush();
  insert_attachments(c, id);
  return id;
}

void PgImporter::insert_attachments(const Case& c, std::int64_t id) {
  for (const auto& a : c.attachments) {
    const std::string bytes = attachment_bytes(a, *files_dir_);
    conn_.exec(
        "INSERT INTO mend.blobs (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        PgParams{} << a.sha256 << a.size << PgBytes{bytes});
    conn_.exec(
        "INSERT INTO mend.attachments (case_id, name, type, size, sha256, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        PgParams{} << id << a.name << a.type << a.size << a.sha256
                   << static_cast<std::int64_t>(a.at));
  }
}

// Ids given by the server come after every id the input keeps: the
// identities start above the highest id there is.
void PgImporter::lift_identities() {
  conn_.run(
      "SELECT setval(pg_get_serial_sequence('mend.cases', 'id'), "
      "greatest((SELECT max(id) FROM mend.cases), 1), (SELECT max(id) FROM mend.cases) IS NOT "
      "NULL); "
      "SELECT setval(pg_get_serial_sequence('mend.customers', 'id'), "
      "greatest((SELECT max(id) FROM mend.customers), 1), (SELECT max(id) FROM "
      "mend.customers) IS NOT NULL)");
}

// The input is read once: should the transaction still have to run again
// after lines were read (lock_tables() says why it should not), the import
// stops with nothing written and asks to be run again.
ImportSummary PgStore::import_cases(const LineReader& read_line, const std::string& source,
                                    Time now,
                                    const std::function<void(const Reassignment&)>& reassigned,
                                    const std::optional<std::string>& files_dir) {
  bool read_before = false;
  bool any_line = false;
  const LineReader counted = [&](std::string& line) {
    const bool got = read_line(line);
    any_line = any_line || got;
    return got;
  };
  std::vector<Reassignment> moved;
  ImportSummary summary = write([&] {
    if (read_before && any_line)
      fail(ErrorKind::busy, path_ +
                                " changed under the import (another writer's transaction "
                                "conflicted with it); nothing was imported; run it again");
    read_before = true;
    PgImporter importer(*this, now, files_dir);
    const ImportSummary s = importer.run(counted, source);
    moved = importer.moved();
    return s;
  });
  for (const auto& m : moved)
    reassigned(m);
  return summary;
}

}  // namespace mend
