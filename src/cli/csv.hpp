// CSV for spreadsheets (RFC 4180), safe against formula injection (OWASP):
// a cell that a spreadsheet would run as a formula gets a leading '.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mend::cli {

// A cell starting with =, +, -, @, tab, CR, LF or NUL gets a leading ', unless
// it is a plain number such as -12.5; then it is quoted when it holds a comma,
// a quote, CR or LF (quotes doubled).
std::string csv_cell(std::string_view text);
// The cells joined by commas, ending with CRLF.
std::string csv_row(const std::vector<std::string>& cells);

}  // namespace mend::cli
