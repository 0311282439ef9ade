// stdout for commands: buffered writes checked for errors, and colour and
// width decided once.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "cli/terminal_text.hpp"

namespace mend::cli {

enum class Style { plain, bold, dim, red, green, yellow, cyan };

// Buffered stdout with colour and width decided once. Write errors are
// detected here: a closed pipe ends output quietly, anything else is exit 74.
class Printer {
 public:
  Printer() = default;
  // `wraps`: long text wraps to `width` (on a terminal, or when COLUMNS gives
  // the width); otherwise a line of text stays one line, as scripts read it.
  void setup(std::FILE* stream, bool color, bool is_tty, int width, bool wraps);
  // A printer with the same settings that appends to `into` instead of
  // writing (to compare two renderings before printing either).
  Printer capture(std::string& into) const;

  void write(std::string_view text);
  // Writes a document in a format made for programs (CSV, Markdown, HTML):
  // exactly as it is to a file or a pipe, through terminal_document() on a
  // terminal, so customer text never reaches the terminal raw.
  void document(std::string_view text) { write(is_tty_ ? terminal_document(text) : text); }
  void line(std::string_view text = {}) {
    write(text);
    write("\n");
  }
  // The text in the style's colour, when colour is on.
  std::string paint(std::string_view text, Style style) const;
  bool is_tty() const { return is_tty_; }
  int width() const { return width_; }
  bool wraps() const { return wraps_; }
  // Flushes, throwing Error(io) if stdout could not be written.
  void finish();

 private:
  void check();
  std::FILE* stream_ = stdout;
  bool color_ = false;
  bool is_tty_ = false;
  int width_ = 80;
  bool wraps_ = false;
  std::string* into_ = nullptr;
};

// Thrown when the reader of stdout went away (mend list | head): not an error.
struct OutputClosed {};

}  // namespace mend::cli
