// The limits of what mend stores, defined once. The rule behind them: what
// mend stores, mend can always export and import again. Every way in (the
// command line, -F files and stdin, the editor, import) checks the same
// limits; the CLI checks options first so that they fail as usage errors
// (64), and the store checks every case it writes, as a last line, before
// the transaction commits.
//
//  - Times: every stored time lies in 1970-01-01T00:00:00Z ..
//    9999-12-31T23:59:59Z, the times import reads back as they were written.
//  - Text: one-line fields (customer name, email and phone, summary,
//    category, reference, cause, currency, each tag) at most 4 KiB; long
//    fields (complaint, wants, resolution text) at most 1 MiB; an event's
//    text at most 4 MiB (it may quote an edited field's old and new value);
//    at most 100 tags; at most 1000 attached files, their names and types at
//    most 255 bytes.
//  - A case as a whole: the longest line export could write for it (every
//    byte of text escaped as \u00XX, 6 bytes, plus the fixed parts) stays
//    within import's 64 MiB line limit. A case that has grown that far is
//    full: no more events can be added (65).
//  - Amounts: 0 .. 9999999999999.99 in currency units (what --amount
//    accepts); report sums are taken in 128 bits and cannot overflow.
//  - Ids: case and customer ids 1 .. 2^53 - 1, the largest integer every
//    JSON reader keeps exact; mend never makes a larger one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/dates.hpp"
#include "core/errors.hpp"

namespace mend {

struct Case;

inline constexpr Time kFirstTime = 0;                               // 1970-01-01T00:00:00Z
inline constexpr Time kLastTime = 253402300799;                     // 9999-12-31T23:59:59Z
inline constexpr std::size_t kMaxLineText = 4096;                   // one-line fields and tags
inline constexpr std::size_t kMaxLongText = std::size_t{1} << 20;   // complaint, wants, ...
inline constexpr std::size_t kMaxEventText = std::size_t{4} << 20;  // an event's text
inline constexpr std::size_t kMaxTags = 100;
inline constexpr std::size_t kMaxAttachments = 1000;  // files kept with one case
inline constexpr std::size_t kMaxFileName = 255;      // an attachment's name and type
inline constexpr std::size_t kMaxImportLine = std::size_t{64} << 20;  // import's line limit
inline constexpr std::int64_t kMaxAmountCents = 999'999'999'999'999;  // 9999999999999.99
inline constexpr std::int64_t kMaxId = (std::int64_t{1} << 53) - 1;   // 9007199254740991

// "1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z"
std::string time_range_words();
// "1 MiB", "4096 bytes"
std::string size_words(std::size_t bytes);

// Each throws Error(kind) naming `what` and the limit when the value is past it.
void check_time(Time t, std::string_view what, ErrorKind kind);
void check_text(std::string_view text, std::size_t max_bytes, std::string_view what,
                ErrorKind kind);
void check_amount(std::int64_t cents, std::string_view what, ErrorKind kind);
void check_id(std::int64_t id, std::string_view what, ErrorKind kind);

// The longest line `mend export` could write for the case (an upper bound).
std::size_t worst_case_export_bytes(const Case& c);

// Every limit above, for a whole case (its fields named as in the export:
// summary, customer.name, events[3].text, ...). Throws Error(kind).
void check_case(const Case& c, ErrorKind kind);

}  // namespace mend
