// Everything that turns mend's data into text for people or programs:
// terminal safety, colour, widths, times for humans, JSON shapes.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.hpp"
#include "core/model.hpp"

namespace mend::cli {

using Json = nlohmann::ordered_json;

// Makes text from customers safe to print on a terminal: C0 and C1 controls,
// DEL, escape sequences and bidi controls become visible, inert notation
// (^[, <U+202E>); invalid UTF-8 becomes U+FFFD. With multiline, newlines stay
// and tabs become spaces.
std::string safe(std::string_view text, bool multiline = false);

// A whole document (CSV, Markdown, HTML) made safe to show on a terminal:
// what safe() neutralises, except that line ends (LF, CRLF) and tabs stay, so
// the document keeps its shape on screen.
std::string terminal_document(std::string_view text);

// Text for an HTML page: neutralised as safe() does (keeping line ends with
// multiline), then escaped (& < > " '
// and ':', so that no address such as https://... appears even as text).
std::string html_text(std::string_view text, bool multiline = false);

// Columns the text takes on a terminal (wide CJK = 2, combining marks = 0).
int display_width(std::string_view utf8);
// Cuts to at most `width` columns, ending with … when something was cut.
std::string fit(std::string_view utf8, int width);
// Pads on the right to `width` columns.
std::string pad(std::string_view utf8, int width);

// JSON text that is safe anywhere: besides what JSON requires, DEL, C1
// controls, line separators and bidi controls are written as \u escapes, and
// invalid UTF-8 is replaced.
std::string dump_json(const Json& value);

// Appends `s` as dump_json(Json(s)) writes it, quotes included.
void append_json_string(std::string& out, std::string_view s);
// Appends the decimal digits of `v` (JSON and CSV integers).
void append_int(std::string& out, std::int64_t v);

Json json_time(std::optional<Time> t);
Json customer_json(const Customer& c);
Json case_json(const Case& c, bool with_events);
// The case as JSON, written once: append_case_json; case_json parses that, for
// callers that add keys. Appends without building the
// JSON tree: export and list write a million of these.
void append_case_json(std::string& out, const Case& c, bool with_events);

// Times for people, in local time.
std::string local_date(Time t);       // 2026-11-23
std::string local_date_time(Time t);  // Mon 23 Nov 2026 14:05
std::string when_words(Time t,
                       Time now);  // today 15:00, tomorrow 09:30, Wed 25 Nov 23:59, 3 Jan 2025
std::string distance_words(Time t, Time now);  // in 2 days, 3 h late
// When something is due, as a to-do list says it: "3 days late", "5 h late",
// "today 15:00", "tomorrow", "Wed 25 Nov" (an end-of-day deadline, 23:59,
// shows no time).
std::string due_words(Time t, Time now);

enum class Style { plain, bold, dim, red, green, yellow, blue, magenta, cyan };

// Buffered stdout with colour and width decided once. Write errors are
// detected here: a closed pipe ends output quietly, anything else is exit 74.
class Printer {
 public:
  Printer() = default;
  void setup(std::FILE* stream, bool color, bool is_tty, int width);

  void write(std::string_view text);
  // Writes a document in a format made for programs (CSV, Markdown, HTML):
  // exactly as it is to a file or a pipe, through terminal_document() on a
  // terminal, so customer text never reaches the terminal raw.
  void document(std::string_view text) { write(is_tty_ ? terminal_document(text) : text); }
  void line(std::string_view text = {}) {
    write(text);
    write("\n");
  }
  std::string paint(std::string_view text, Style style) const;
  bool color() const { return color_; }
  bool is_tty() const { return is_tty_; }
  int width() const { return width_; }
  // Flushes, throwing Error(io) if stdout could not be written.
  void finish();

 private:
  void check();
  std::FILE* stream_ = stdout;
  bool color_ = false;
  bool is_tty_ = false;
  int width_ = 80;
};

// Thrown when the reader of stdout went away (mend list | head): not an error.
struct OutputClosed {};

}  // namespace mend::cli
