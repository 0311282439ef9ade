// libFuzzer harness: terminal-safe text must never carry a control character,
// escape, C1 control or bidi control, whatever bytes come in; JSON output
// must parse back to valid UTF-8 text.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cli/output.hpp"

namespace {

bool has_forbidden(const std::string& s, bool multiline) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && !(multiline && c == '\n')) return true;
    if (c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < s.size()) {
      const auto n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0x80 && n <= 0x9F) return true;  // C1 control
    }
    if (c == 0xE2 && i + 2 < s.size()) {
      const auto a = static_cast<unsigned char>(s[i + 1]);
      const auto b = static_cast<unsigned char>(s[i + 2]);
      if (a == 0x80 && (b >= 0xAA && b <= 0xAE)) return true;  // U+202A..U+202E
      if (a == 0x81 && (b >= 0xA6 && b <= 0xA9)) return true;  // U+2066..U+2069
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (bool multiline : {false, true}) {
    const auto out = mend::cli::terminal_safe(text, multiline);
    if (has_forbidden(out, multiline)) std::abort();
    if (mend::cli::terminal_safe(out, multiline) != out) std::abort();  // idempotent
    const auto w = mend::cli::display_width(out);
    if (w < 0) std::abort();
    if (mend::cli::display_width(mend::cli::fit(out, 10)) > 10) std::abort();
  }
  mend::cli::Json j;
  j["text"] = text;
  const auto dumped = mend::cli::dump_json(j);
  for (unsigned char c : dumped)
    if (c < 0x20 || c == 0x7F) std::abort();
  const auto parsed = mend::cli::Json::parse(dumped);
  if (!parsed["text"].is_string()) std::abort();
  return 0;
}
