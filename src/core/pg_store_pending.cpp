// What the PostgreSQL store does not do yet: each refuses plainly, before
// anything is written, naming the command and the store that can.
#include "core/pg_store.hpp"
#include "core/report.hpp"

namespace mend {
namespace {

[[noreturn]] void not_yet(const std::string& command) {
  fail(ErrorKind::internal, "mend " + command +
                                " does not work on a PostgreSQL database yet; run it on an "
                                "SQLite database (export, then import there)");
}

}  // namespace

void PgStore::export_cases(const ExportFilter&, const std::function<void(const Case&)>&) {
  not_yet("export");
}
ImportSummary PgStore::import_cases(const LineReader&, const std::string&, Time,
                                    const std::function<void(const Reassignment&)>&,
                                    const std::optional<std::string>&) {
  not_yet("import");
}
void PgStore::backup_to(const std::string&, const std::string&) {
  not_yet("backup");
}
ForgetSummary PgStore::forget_customer(std::int64_t, Time) {
  not_yet("forget");
}
Case PgStore::attach_files(std::int64_t, const std::vector<AttachmentSource>&, std::int64_t, Time) {
  not_yet("attach");
}
void PgStore::read_blob(const std::string&, const std::function<void(std::string_view)>&) {
  not_yet("evidence");
}
MailOutcome PgStore::take_mail(const std::string&, const ParsedMail&, const MailRules&, Time) {
  not_yet("mail");
}
void PgStore::begin_mail_batch() {
  not_yet("mail");
}
void PgStore::commit_mail_batch() {
  not_yet("mail");
}
Case PgStore::add_reply(std::int64_t, const std::string&, const Message&, Time) {
  not_yet("reply");
}
Report PgStore::report(const ReportPeriod&, Time, ReportPlan, std::optional<std::size_t>) {
  not_yet("report");
}
void PgStore::vacuum(const char*) {
  not_yet("forget");
}

}  // namespace mend
