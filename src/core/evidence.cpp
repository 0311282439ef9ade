#include "core/evidence.hpp"

#include <cstdio>

#include "core/utf8.hpp"

namespace mend {
namespace {

// What never goes into a file name: C0, DEL, C1, bidi controls, the line
// and paragraph separators and the byte order mark.
bool unsafe_code_point(std::int32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || is_bidi_or_separator(cp) ||
         cp == 0xFEFF;
}

// Cuts `s` to at most `max` bytes at a character boundary.
std::string cut(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
    --end;
  return s.substr(0, end);
}

std::string ascii_lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

std::string human_size(std::int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes) / 1024;
  int u = 0;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, kUnits[u]);
  return buf;
}

std::string safe_file_name(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    std::size_t len = 1;
    const std::int32_t cp = decode_utf8(name, i, len);
    if (cp < 0) {
      out += '_';
      ++i;
      continue;
    }
    if (cp == '/' || cp == '\\' || unsafe_code_point(cp)) {
      out += '_';
    } else {
      out.append(name.substr(i, len));
    }
    i += len;
  }
  // No hidden files, nothing a command line reads as an option.
  while (!out.empty() && (out[0] == '.' || out[0] == '-' || out[0] == ' '))
    out.erase(0, 1);
  while (!out.empty() && (out.back() == ' ' || out.back() == '.'))
    out.pop_back();
  if (out.empty()) out = "file";
  constexpr std::size_t kMax = 200;
  if (out.size() > kMax) {
    const auto dot = out.find_last_of('.');
    const std::string ext =
        dot != std::string::npos && out.size() - dot <= 16 ? out.substr(dot) : std::string();
    out = cut(out.substr(0, out.size() - ext.size()), kMax - ext.size()) + ext;
  }
  return out;
}

std::string unique_file_name(const std::string& name, std::set<std::string>& taken) {
  if (taken.insert(ascii_lower(name)).second) return name;
  const auto dot = name.find_last_of('.');
  const bool has_ext = dot != std::string::npos && dot > 0;
  const std::string stem = has_ext ? name.substr(0, dot) : name;
  const std::string ext = has_ext ? name.substr(dot) : std::string();
  for (int n = 2;; ++n) {
    std::string candidate = stem + " (" + std::to_string(n) + ")" + ext;
    if (taken.insert(ascii_lower(candidate)).second) return candidate;
  }
}

bool is_inline_image(std::string_view type) {
  return type == "image/jpeg" || type == "image/png" || type == "image/gif" || type == "image/webp";
}

}  // namespace mend
