#include "core/text.hpp"

#include <cctype>

namespace mend {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trimmed_view(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(kSpace);
  return s.substr(b, e - b + 1);
}

std::string trimmed(std::string_view s) {
  return std::string(trimmed_view(s));
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lowercase(s.substr(0, prefix.size())) == lowercase(prefix);
}

std::string phone_key(std::string_view phone) {
  std::string key;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) key += c;
  }
  if (key.empty()) return lowercase(trimmed(phone));
  return key;
}

}  // namespace mend
