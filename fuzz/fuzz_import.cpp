// libFuzzer harness: the import line reader must never crash and must refuse
// bad input only with Error(data) (anything else would reach the user as an
// internal error, exit 70). What it accepts must survive the export shape:
// printed as `mend export` prints it and read back, it prints the same.
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string>

#include "cli/output.hpp"
#include "core/errors.hpp"
#include "core/import_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  mend::Case c;
  try {
    c = mend::parse_import_line(line);
  } catch (const mend::Error& e) {
    if (e.kind() != mend::ErrorKind::data) std::abort();
    return 0;
  }
  // Anything but mend::Error escapes to libFuzzer, which reports it as a crash.
  const std::string once = mend::cli::dump_json(mend::cli::case_json(c, true));
  mend::Case again;
  try {
    again = mend::parse_import_line(once);
  } catch (const mend::Error&) {
    std::abort();  // an exported case that import refuses
  }
  if (mend::cli::dump_json(mend::cli::case_json(again, true)) != once) std::abort();
  return 0;
}
