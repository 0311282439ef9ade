// Reading case rows and binding nullable values, shared by the store modules.
// Internal to the core.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>

#include "core/model.hpp"

namespace mend {

// Binds an optional value, or NULL when it is empty.
inline void bind_opt(SQLite::Statement& st, int index, const std::optional<std::string>& v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bind(index);
  }
}

inline void bind_opt(SQLite::Statement& st, int index, const std::optional<std::int64_t>& v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bind(index);
  }
}

// A nullable column as an optional.
inline std::optional<std::string> opt_text(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

inline std::optional<std::int64_t> opt_time(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

// The columns a case query selects ("c." = cases, "u." = customers), in the
// order case_from_statement reads them.
const char* case_columns();
// The case at the statement's current row, without events.
Case case_from_statement(SQLite::Statement& st);

}  // namespace mend
