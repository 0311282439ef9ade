#include "core/pg_store.hpp"
#include "core/sqlite_store.hpp"

namespace mend {

bool is_postgres_location(std::string_view location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0 ||
         location.rfind("service=", 0) == 0;
}

std::unique_ptr<Store> open_store(const std::string& location, StoreUse use) {
  if (is_postgres_location(location)) return std::make_unique<PgStore>(location);
  return std::make_unique<SqliteStore>(location, use);
}

}  // namespace mend
