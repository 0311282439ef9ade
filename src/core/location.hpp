// Where a database is: the words that tell a PostgreSQL location from a file.
#pragma once

#include <string_view>

namespace mend {

// True for a location that names a PostgreSQL database rather than a file:
// postgresql://..., postgres://... or service=NAME.
inline bool is_postgres_location(std::string_view location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0 ||
         location.rfind("service=", 0) == 0;
}

}  // namespace mend
