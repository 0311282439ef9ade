// libFuzzer harness: the config file parser must never crash, must refuse bad
// text only with Error(usage) naming "<source>:<line>:", and what it accepts
// must be what mend relies on: a three-letter upper-case currency, and
// categories lower-cased, trimmed, non-empty and without duplicates.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/config_file.hpp"
#include "core/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  mend::ConfigValues v;
  try {
    v = mend::parse_config(text, "config.toml");
  } catch (const mend::Error& e) {
    if (e.kind() != mend::ErrorKind::usage) std::abort();
    if (std::string(e.what()).rfind("config.toml:", 0) != 0) std::abort();
    return 0;
  }
  if (v.currency) {
    if (v.currency->size() != 3) std::abort();
    for (unsigned char ch : *v.currency)
      if (!std::isupper(ch)) std::abort();
  }
  if (v.categories) {
    auto cats = *v.categories;
    for (const auto& c : cats) {
      if (c.empty() || std::isspace(static_cast<unsigned char>(c.front())) ||
          std::isspace(static_cast<unsigned char>(c.back())))
        std::abort();
      for (unsigned char ch : c)
        if (std::isupper(ch)) std::abort();
    }
    std::sort(cats.begin(), cats.end());
    if (std::adjacent_find(cats.begin(), cats.end()) != cats.end()) std::abort();
  }
  return 0;
}
