#include "core/text.hpp"

#include <cctype>

namespace mend {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trimmed(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(kSpace);
  return std::string(s.substr(b, e - b + 1));
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
