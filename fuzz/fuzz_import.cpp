// libFuzzer harness: the import line reader must never crash and must refuse
// bad input only with Error(data) (anything else would reach the user as an
// internal error, exit 70). What it accepts must survive the export shape:
// printed as `mend export` prints it and read back, it prints the same; it is
// within the limits of stored data (core/limits.hpp), so the store would keep
// it; and its export line is no longer than the worst case the limits bound,
// which stays within import's line limit. And
// json_lite, import's only JSON parser, must agree with nlohmann::json as an
// oracle: what one accepts the other accepts as the same value, and what
// json_lite refuses nlohmann refuses too, unless json_lite's own limit on
// nesting refused it or the line holds a NUL byte, which json_lite refuses
// wherever it is.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "cli/output.hpp"
#include "core/errors.hpp"
#include "core/import_reader.hpp"
#include "core/json_lite.hpp"
#include "core/limits.hpp"

namespace {

// json_lite's node `i` as nlohmann::json, setting `i` past it; the last of
// duplicate keys wins, as in nlohmann.
nlohmann::json to_json(const mend::json_lite::Document& d, std::uint32_t& i) {
  using mend::json_lite::Kind;
  const auto& n = d.node(i++);
  switch (n.kind) {
    case Kind::null:
      return nullptr;
    case Kind::boolean:
      return n.flag;
    case Kind::string:
      return std::string(n.text);
    case Kind::integer:
      return n.integer;
    case Kind::unsigned_:
      return n.unsigned_;
    case Kind::floating:
      return nlohmann::json::parse(n.text);
    case Kind::object: {
      auto out = nlohmann::json::object();
      for (std::uint32_t k = 0; k < n.count; ++k) {
        const std::string key(d.node(i).key);
        out[key] = to_json(d, i);
      }
      return out;
    }
    case Kind::array: {
      auto out = nlohmann::json::array();
      for (std::uint32_t k = 0; k < n.count; ++k)
        out.push_back(to_json(d, i));
      return out;
    }
  }
  std::abort();
}

void compare_with_nlohmann(std::string_view line) {
  mend::json_lite::Document d;
  const bool lite = d.parse(line);
  // nlohmann reads a NUL byte as the end of the text ("1\0x" is 1); import
  // refuses the line.
  if (line.find('\0') != std::string_view::npos) {
    if (lite || std::string_view(d.problem().what) != "a NUL byte") std::abort();
    return;
  }
  const auto full = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
  if (!lite) {
    const std::string_view why = d.problem().what;
    if (!full.is_discarded() && why != "objects and arrays nested more than 64 deep")
      std::abort();  // json_lite refuses what is JSON
    return;
  }
  if (full.is_discarded()) std::abort();  // json_lite accepts what is not JSON
  std::uint32_t i = 0;
  const auto mine = to_json(d, i);
  // Compared as text, so that two NaN-free doubles compare by value and
  // integers keep their signedness.
  if (mine != full || mine.dump() != full.dump() || mine.type() != full.type()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  compare_with_nlohmann(line);
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
