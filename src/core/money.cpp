#include "core/money.hpp"

#include "core/errors.hpp"

namespace mend {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view strip(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::int64_t parse_amount(std::string_view text, std::string_view option) {
  const std::string_view s = strip(text);
  const auto bad = [&](const std::string& why) -> std::int64_t {
    fail(ErrorKind::usage, std::string(option) + " takes an amount like 49.99 (" + why +
                               "), not '" + std::string(text) + "'");
  };
  if (s.empty()) return bad("digits, at most two decimals");
  if (s.front() == '-') return bad("it cannot be negative");
  const auto dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view frac =
      dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  for (char c : whole)
    if (!is_digit(c)) return bad("digits, at most two decimals, no currency sign or separators");
  for (char c : frac)
    if (!is_digit(c)) return bad("digits, at most two decimals, no currency sign or separators");
  if (whole.empty()) return bad("write 0.50, not .50");
  if (dot != std::string_view::npos && frac.empty()) return bad("digits after the point");
  if (frac.size() > 2) return bad("at most two decimals");
  // 13 whole digits keep every amount (and any sum a report makes) far inside int64.
  std::size_t first = whole.find_first_not_of('0');
  if (first != std::string_view::npos && whole.size() - first > 13) return bad("too large");
  std::int64_t cents = 0;
  for (char c : whole)
    cents = cents * 10 + (c - '0');
  cents *= 100;
  if (frac.size() >= 1) cents += (frac[0] - '0') * 10;
  if (frac.size() == 2) cents += frac[1] - '0';
  return cents;
}

std::string parse_currency(std::string_view text, std::string_view option) {
  const std::string_view s = strip(text);
  std::string out;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') {
      out.clear();
      break;
    }
    out += c;
  }
  if (out.size() != 3) {
    fail(ErrorKind::usage, std::string(option) +
                               " takes a three-letter ISO 4217 code like USD or EUR, not '" +
                               std::string(text) + "'");
  }
  return out;
}

std::string_view currency_symbol(std::string_view currency) {
  static constexpr std::pair<std::string_view, std::string_view> kSymbols[] = {
      {"USD", "$"}, {"EUR", "€"}, {"GBP", "£"}, {"JPY", "¥"}, {"INR", "₹"}, {"KRW", "₩"},
      {"ILS", "₪"}, {"NGN", "₦"}, {"UAH", "₴"}, {"VND", "₫"}, {"PHP", "₱"}, {"TRY", "₺"}};
  for (const auto& [code, symbol] : kSymbols)
    if (code == currency) return symbol;
  return {};
}

std::string money_words(std::string_view decimal, std::string_view currency) {
  const auto symbol = currency_symbol(currency);
  if (symbol.empty()) return std::string(decimal) + " " + std::string(currency);
  if (!decimal.empty() && decimal.front() == '-')
    return "-" + std::string(symbol) + std::string(decimal.substr(1));
  return std::string(symbol) + std::string(decimal);
}

std::string money_words(CentsSum cents, std::string_view currency) {
  return money_words(amount_decimal(cents), currency);
}

std::string money_ascii(CentsSum cents, std::string_view currency) {
  return std::string(currency) + " " + amount_decimal(cents);
}

std::string cents_sum_text(CentsSum cents) {
  __extension__ typedef unsigned __int128 Unsigned;
  Unsigned abs =
      cents < 0 ? Unsigned(0) - static_cast<Unsigned>(cents) : static_cast<Unsigned>(cents);
  char digits[48];
  char* end = digits + sizeof digits;
  char* p = end;
  // 64-bit divisions while the value fits (every single amount does).
  while (abs > UINT64_MAX) {
    *--p = static_cast<char>('0' + static_cast<int>(abs % 10));
    abs /= 10;
  }
  auto small = static_cast<std::uint64_t>(abs);
  do {
    *--p = static_cast<char>('0' + static_cast<int>(small % 10));
    small /= 10;
  } while (small != 0);
  if (cents < 0) *--p = '-';
  return std::string(p, end);
}

std::string amount_decimal(CentsSum cents) {
  std::string digits = cents_sum_text(cents);
  const std::size_t sign = digits.front() == '-' ? 1 : 0;
  if (digits.size() - sign < 3) digits.insert(sign, 3 - (digits.size() - sign), '0');
  digits.insert(digits.size() - 2, ".");
  return digits;
}

std::string format_amount(CentsSum cents, std::string_view currency) {
  return amount_decimal(cents) + " " + std::string(currency);
}

}  // namespace mend
