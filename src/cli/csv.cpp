#include "cli/csv.hpp"

#include <algorithm>

namespace mend::cli {
namespace {

// -12.5, 42, .5: what a spreadsheet reads as a number, not a formula.
bool plain_number(std::string_view s) {
  std::size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  bool dot = false, digit = false;
  for (; i < s.size(); ++i) {
    if (s[i] == '.' && !dot) {
      dot = true;
    } else if (s[i] >= '0' && s[i] <= '9') {
      digit = true;
    } else {
      return false;
    }
  }
  return digit;
}

bool formula_start(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\n' ||
         c == '\0';
}

}  // namespace

void append_csv_cell(std::string& out, std::string_view text) {
  const bool formula = !text.empty() && formula_start(text[0]) && !plain_number(text);
  // A loop, not find_first_of (a memchr over the four per byte).
  const bool quoted = std::any_of(text.begin(), text.end(), [](char c) {
    return c == ',' || c == '"' || c == '\r' || c == '\n';
  });
  if (quoted) out += '"';
  if (formula) out += '\'';
  if (quoted) {
    for (char c : text) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  } else {
    out.append(text);
  }
}

std::string csv_cell(std::string_view text) {
  std::string cell;
  append_csv_cell(cell, text);
  return cell;
}

void append_csv_row(std::string& out, std::initializer_list<std::string_view> cells) {
  bool first = true;
  for (const auto cell : cells) {
    if (!first) out += ',';
    first = false;
    append_csv_cell(out, cell);
  }
  out += "\r\n";
}

std::string csv_row(const std::vector<std::string>& cells) {
  std::string row;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) row += ',';
    append_csv_cell(row, cells[i]);
  }
  row += "\r\n";
  return row;
}

}  // namespace mend::cli
