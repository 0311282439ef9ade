#include "core/pg_store.hpp"
#include "core/sqlite_store.hpp"

namespace mend {

std::unique_ptr<Store> open_store(const std::string& location, StoreUse use) {
  if (is_postgres_location(location)) return std::make_unique<PgStore>(location);
  return std::make_unique<SqliteStore>(location, use);
}

}  // namespace mend
