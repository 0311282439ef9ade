// What the PostgreSQL store does not do yet: each refuses plainly, before
// anything is written, naming the command and the store that can.
#include "core/pg_store.hpp"

namespace mend {
namespace {

[[noreturn]] void not_yet(const std::string& command) {
  fail(ErrorKind::internal, "mend " + command +
                                " does not work on a PostgreSQL database yet; run it on an "
                                "SQLite database (export, then import there)");
}

}  // namespace

void PgStore::search_cases(std::string_view, const SearchFilter&,
                           const std::function<void(const SearchHit&)>&) {
  not_yet("search");
}

}  // namespace mend
