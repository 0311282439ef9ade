// What the PostgreSQL store's files share to filter cases as `mend list`
// does (the case columns and rows are pg_case_columns and pg_case_from in
// pg_store.hpp). Internal to the core.
#pragma once

#include <string>

#include "core/pg_conn.hpp"
#include "core/store_rows.hpp"

namespace mend {

// The shared list and search conditions (CaseConditions) in PostgreSQL's
// words, and their values.
std::string pg_words(std::string sql);
void add_values(PgParams& p, const CaseConditions& shared);

}  // namespace mend
