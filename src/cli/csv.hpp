// CSV for spreadsheets (RFC 4180), safe against formula injection (OWASP):
// a cell that a spreadsheet would run as a formula gets a leading '. Every
// CSV mend writes (export, report) is made here.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace mend::cli {

// A cell starting with =, +, -, @, tab, CR, LF or NUL gets a leading ',
// unless it is a plain number: an optional minus, digits and at most one
// point (-12.5, 42); "+5" and "-1e6" are neutralised. Then the cell is quoted
// when it holds a comma, a quote, CR or LF (quotes doubled).
void append_csv_cell(std::string& out, std::string_view text);
std::string csv_cell(std::string_view text);
// The cells joined by commas, ending with CRLF.
void append_csv_row(std::string& out, std::initializer_list<std::string_view> cells);
std::string csv_row(const std::vector<std::string>& cells);

}  // namespace mend::cli
