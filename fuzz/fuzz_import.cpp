// libFuzzer harness: the import line reader must never crash and must refuse
// bad input only with Error(data) (anything else would reach the user as an
// internal error, exit 70). What it accepts must survive the export shape:
// printed as `mend export` prints it and read back, it prints the same; it is
// within the limits of stored data (core/limits.hpp), so the store would keep
// it; and its export line is no longer than the worst case the limits bound,
// which stays within import's line limit. And
// the fast reader (json_lite) must agree with the full one (nlohmann::json)
// on every line it does not hand over: the same case, or the same error.
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "cli/output.hpp"
#include "core/errors.hpp"
#include "core/import_reader.hpp"
#include "core/limits.hpp"

namespace {

// The case as export prints it, or the error as the user would read it.
std::string outcome(mend::Case (*read)(std::string_view), const std::string& line) {
  try {
    return mend::cli::dump_json(mend::cli::case_json(read(line), true));
  } catch (const mend::Error& e) {
    return std::string("error: ") + e.what();
  }
}

mend::Case lite_or_abort(std::string_view line) {
  auto c = mend::parse_import_line_lite(line);
  if (!c) throw mend::Error(mend::ErrorKind::internal, "handed over");
  return std::move(*c);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  {
    const std::string fast = outcome(&lite_or_abort, line);
    if (fast != "error: handed over" && fast != outcome(&mend::parse_import_line_full, line))
      std::abort();  // the two readers disagree
  }
  mend::Case c;
  try {
    c = mend::parse_import_line(line);
  } catch (const mend::Error& e) {
    if (e.kind() != mend::ErrorKind::data) std::abort();
    return 0;
  }
  try {
    mend::check_case(c, mend::ErrorKind::data);
  } catch (const mend::Error&) {
    std::abort();  // import accepted what the store would refuse to keep
  }
  // Anything but mend::Error escapes to libFuzzer, which reports it as a crash.
  const std::string once = mend::cli::dump_json(mend::cli::case_json(c, true));
  std::string exported;  // as `mend export` writes it
  mend::cli::append_case_json(exported, c, true);
  if (exported != once) std::abort();  // the two writers disagree
  if (exported.size() > mend::worst_case_export_bytes(c) ||
      mend::worst_case_export_bytes(c) > mend::kMaxImportLine)
    std::abort();  // the bound on an export line does not hold
  mend::Case again;
  try {
    again = mend::parse_import_line(once);
  } catch (const mend::Error&) {
    std::abort();  // an exported case that import refuses
  }
  if (mend::cli::dump_json(mend::cli::case_json(again, true)) != once) std::abort();
  return 0;
}
