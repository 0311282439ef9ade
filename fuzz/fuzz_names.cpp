// libFuzzer harness: the names `mend evidence` writes files under. Whatever
// bytes a stored name holds, safe_file_name gives a name with no '/' or '\',
// no leading '.' or '-', no control byte (C0, DEL, C1) or bidi control, valid
// UTF-8, not empty, "." or "..", at most 200 bytes; unique_file_name, fed the
// names of one pack, never returns a name already taken (ignoring ASCII case)
// and keeps every one of those properties but the length, which stays within
// what a file system allows (255 bytes).
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/evidence.hpp"

namespace {

// Whether s is valid UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF) and free of the code points a file name must not carry.
bool clean_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    std::size_t need = 0;
    if (b0 < 0x80) {
      cp = b0;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      cp = b0 & 0x1Fu;
      need = 1;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      cp = b0 & 0x0Fu;
      need = 2;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      cp = b0 & 0x07u;
      need = 3;
    } else {
      return false;
    }
    if (need > 0 && i + need >= s.size()) return false;  // cut short
    for (std::size_t k = 1; k <= need; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return false;  // C0, DEL, C1
    if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069))
      return false;  // bidi controls
    i += need + 1;
  }
  return true;
}

bool safe_shape(const std::string& n, std::size_t max_bytes) {
  if (n.empty() || n == "." || n == ".." || n.size() > max_bytes) return false;
  if (n[0] == '.' || n[0] == '-') return false;
  if (n.find('/') != std::string::npos || n.find('\\') != std::string::npos) return false;
  return clean_utf8(n);
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The whole input is one name; split at '\n' it is the names of one pack.
  std::vector<std::string_view> names{input};
  for (std::size_t start = 0; start <= input.size();) {
    const auto nl = input.find('\n', start);
    const auto end = nl == std::string_view::npos ? input.size() : nl;
    names.push_back(input.substr(start, end - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  // Only unique_file_name adds to `taken`, so what it returned before is
  // what was taken.
  std::set<std::string> taken;
  std::set<std::string> returned;
  for (const auto raw : names) {
    const std::string safe = mend::safe_file_name(raw);
    if (!safe_shape(safe, 200)) std::abort();
    // Each name twice: the second is always a clash.
    for (int twice = 0; twice < 2; ++twice) {
      const std::string unique = mend::unique_file_name(safe, taken);
      if (!returned.insert(lower(unique)).second) std::abort();  // a taken name
      if (taken != returned) std::abort();  // not recorded as taken, or more than it
      if (!safe_shape(unique, 255)) std::abort();
    }
  }
  return 0;
}
