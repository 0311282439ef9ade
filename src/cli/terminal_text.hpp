// Text for a terminal: customer text made safe to print (terminal_safe),
// the columns text takes (display_width, from Unicode's tables through
// utf8proc), and cutting, padding or wrapping text to a column. Also the same
// safety for a whole document and for HTML.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mend::cli {

// Makes text from customers safe to print on a terminal: C0 and C1 controls,
// DEL, escape sequences and bidi controls become visible, inert notation
// (^[, <U+202E>); invalid UTF-8 becomes U+FFFD. With multiline, newlines stay
// and tabs become spaces.
std::string terminal_safe(std::string_view text, bool multiline = false);

// A whole document (CSV, Markdown, HTML) made safe to show on a terminal:
// what terminal_safe() neutralises, except that line ends (LF, CRLF) and tabs
// stay, so the document keeps its shape on screen.
std::string terminal_document(std::string_view text);

// Text for an HTML page: neutralised as terminal_safe() does (keeping line
// ends with multiline), then escaped (& < > " ' and ':', so that no address
// such as https://... appears even as text).
std::string html_text(std::string_view text, bool multiline = false);

// Columns the text takes on a terminal: wide CJK and most emoji 2, combining
// marks and zero-width characters 0; mend's own colour codes none.
int display_width(std::string_view utf8);
// Cuts to at most `width` columns, ending with … when something was cut.
std::string fit(std::string_view utf8, int width);
// Pads on the right to `width` columns.
std::string pad(std::string_view utf8, int width);

// The narrowest column wrap() fills: on a terminal too narrow for a column
// this wide, its lines run past the edge rather than hold a word or two.
inline constexpr int kNarrowestColumn = 10;

// Breaks text into the lines of a column that starts `indent` columns in on
// a terminal `width` columns wide, so each line takes at most
// max(width - indent, kNarrowestColumn) columns. Lines break at spaces (the
// spaces at a break go; a paragraph's leading spaces stay); a word wider than
// the column is broken, between grapheme clusters, only then. Newlines stay
// line breaks. The lines come without the indent: the caller writes the label
// or the spaces before each. Columns are display columns (display_width);
// mend's colour codes take none and are never split.
std::vector<std::string> wrap(std::string_view utf8, int width, int indent);

}  // namespace mend::cli
