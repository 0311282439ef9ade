// Turns SQLite's failures into mend's error kinds, with a message that says
// what to do. Used only inside the core.
#pragma once

#include <SQLiteCpp/Exception.h>

#include <cstdint>
#include <string>
#include <utility>

#include "core/errors.hpp"

namespace mend {

Error translate_sqlite_error(const SQLite::Exception& e, const std::string& db_path);

// Runs `f`, rethrowing any SQLite exception as a mend::Error.
template <class F>
auto guarded(const std::string& db_path, F&& f) -> decltype(f()) {
  try {
    return std::forward<F>(f)();
  } catch (const SQLite::Exception& e) {
    throw translate_sqlite_error(e, db_path);
  }
}

// Error(io) for a case whose customer row is missing (a damaged file):
// `consequence` says what could not be done ("the export stopped there").
Error missing_customer(const std::string& db_path, std::int64_t case_id,
                       const std::string& consequence);

// How long a writer waits for another to finish before giving up (exit 75).
int busy_timeout_ms();

}  // namespace mend
