// Mail in on PostgreSQL: the shared flow (mail_flow.hpp) over the PostgreSQL
// store, each message in its own SERIALIZABLE transaction (retried whole when
// it conflicts), so a batch is no more than many messages one after another.
#include "core/digest.hpp"
#include "core/evidence.hpp"
#include "core/limits.hpp"
#include "core/mail_flow.hpp"
#include "core/mime.hpp"
#include "core/pg_store.hpp"

namespace mend {

class PgMailSink final : public MailSink {
 public:
  explicit PgMailSink(PgStore& store) : store_(store), conn_(store.conn()) {}
  std::optional<std::int64_t> seen_case(const std::string& key) override {
    auto r = conn_.exec("SELECT case_id FROM mend.mail_seen WHERE key = ?", PgParams{} << key);
    if (r.rows() == 0) return std::nullopt;
    return r.int64(0, 0);
  }
  void record_seen(const std::string& key, std::int64_t case_id) override {
    conn_.exec("INSERT INTO mend.mail_seen (key, case_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
               PgParams{} << key << case_id);
  }
  std::optional<std::optional<std::string>> case_email(std::int64_t case_id) override {
    auto r = conn_.exec(
        "SELECT u.email FROM mend.cases c JOIN mend.customers u ON u.id = c.customer_id "
        "WHERE c.id = ?",
        PgParams{} << case_id);
    if (r.rows() == 0) return std::nullopt;
    return r.opt_text(0, 0);
  }
  void begin_change(std::int64_t) override {}
  void end_change() override {}
  std::int64_t create_case(const NewCase& in, Time opened_at, Time now) override {
    return store_.create_case(in, opened_at, now);
  }
  void created(std::int64_t) override {}
  void add_event(std::int64_t case_id, Time at, EventKind kind, const std::string& text,
                 const std::optional<Message>& message) override {
    store_.insert_event(case_id, at, kind, text, message);
  }
  void keep(std::int64_t case_id, const std::string& name, const std::string& type,
            const std::string& bytes, Time at, const MimeSniffer* mime) override {
    const std::string kind = !type.empty() ? type
                             : mime        ? mime->type_of(std::string_view(bytes).substr(
                                                 0, std::min(bytes.size(), MimeSniffer::kHeadBytes)))
                                           : "application/octet-stream";
    const std::string sha = sha256_hex(bytes);
    const auto size = static_cast<std::int64_t>(bytes.size());
    conn_.exec(
        "INSERT INTO mend.blobs (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        PgParams{} << sha << size << PgBytes{bytes});
    conn_.exec(
        "INSERT INTO mend.attachments (case_id, name, type, size, sha256, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        PgParams{} << case_id << name << kind << size << sha << static_cast<std::int64_t>(at));
    store_.insert_event(case_id, at, EventKind::attached,
                        name + " (" + kind + ", " + human_size(size) + ")");
  }
  std::string customer_name(std::int64_t case_id) override {
    return store_.read_case(case_id, false).customer.name;
  }
  void check(std::int64_t case_id) override {
    check_case(store_.read_case(case_id, true), ErrorKind::data);
  }
  void commit() override {}  // the store's write() commits

 private:
  PgStore& store_;
  PgConn& conn_;
};

MailOutcome PgStore::take_mail(const std::string& raw, const ParsedMail& mail,
                               const MailRules& rules, Time now) {
  if (auto skipped = skipped_as_automatic(mail)) return *skipped;
  return write([&] {
    PgMailSink sink(*this);
    return take_message(sink, raw, mail, rules, now);
  });
}

void PgStore::begin_mail_batch() {}
void PgStore::commit_mail_batch() {}

}  // namespace mend
