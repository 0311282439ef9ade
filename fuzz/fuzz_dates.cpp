// libFuzzer harness: the WHEN parser and the RFC 3339 reader must never crash,
// and whatever they accept within the times mend stores (limits.hpp) must
// format and parse back. A WHEN may name a time outside them (`--since
// -99999d`); every command that stores one checks it first.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/dates.hpp"
#include "core/errors.hpp"
#include "core/limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool tz_set = [] {
    ::setenv("TZ", "Europe/Berlin", 1);
    return true;
  }();
  (void)tz_set;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const mend::Time now = 1'795'010'700;  // 2026-11-23T14:05:00Z
  for (auto role : {mend::DateRole::deadline, mend::DateRole::since, mend::DateRole::until}) {
    try {
      const auto r = mend::parse_when(text, now, role, true);
      if (r.at && *r.at >= mend::kFirstTime && *r.at <= mend::kLastTime) {
        const auto back = mend::parse_rfc3339(mend::format_utc(*r.at));
        if (!back || *back != *r.at) std::abort();
      }
    } catch (const mend::Error& e) {
      if (e.kind() != mend::ErrorKind::usage) std::abort();
    }
  }
  if (auto t = mend::parse_rfc3339(text)) {
    const auto back = mend::parse_rfc3339(mend::format_utc(*t));
    if (!back || *back != *t) std::abort();
  }
  return 0;
}
