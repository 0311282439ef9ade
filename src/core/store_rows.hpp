// Reading case rows, shared by the store modules (store.cpp, store_io.cpp).
// Internal to the core.
#pragma once

#include <SQLiteCpp/Statement.h>

#include "core/model.hpp"

namespace mend {

// The columns a case query selects ("c." = cases, "u." = customers), in the
// order case_from_statement reads them.
const char* case_columns();
// The case at the statement's current row, without events.
Case case_from_statement(SQLite::Statement& st);

}  // namespace mend
