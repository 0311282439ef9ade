// What the PostgreSQL store's files share to read cases and filter them.
// Internal to the core.
#pragma once

#include <string>

#include "core/model.hpp"
#include "core/pg_conn.hpp"
#include "core/store_rows.hpp"

namespace mend {

// The columns every case query selects, in the order case_from reads them
// (the SQLite store's, in PostgreSQL's words): `c` is the case, `u` its customer.
inline constexpr const char* kPgCaseColumns =
    "c.id, c.status, c.summary, c.complaint, c.wants, c.channel, c.category, c.priority, "
    "c.reference, c.opened_at, c.due_at, c.resolved_at, c.followup_at, c.closed_at, "
    "c.outcome, c.resolution_text, c.amount_cents, c.currency, c.fault, c.cause, "
    "c.satisfaction, u.id, u.name, u.email, u.phone, "
    "(SELECT string_agg(t.tag, chr(31)) FROM mend.case_tags t WHERE t.case_id = c.id), c.owner";

// The case in row `i` of a result that selected kPgCaseColumns.
Case case_from(const PgResult& r, int i);

// The shared list and search conditions (CaseConditions) in PostgreSQL's
// words, and their values.
std::string pg_words(std::string sql);
void add_values(PgParams& p, const CaseConditions& shared);

}  // namespace mend
