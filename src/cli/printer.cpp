#include "cli/printer.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "core/errors.hpp"

namespace mend::cli {

void Printer::setup(std::FILE* stream, bool color, bool is_tty, int width, bool wraps) {
  stream_ = stream;
  color_ = color;
  is_tty_ = is_tty;
  width_ = width;
  wraps_ = wraps;
}

Printer Printer::capture(std::string& into) const {
  Printer copy = *this;
  copy.into_ = &into;
  return copy;
}

void Printer::check() {
  if (std::ferror(stream_)) {
    if (errno == EPIPE) throw OutputClosed{};
    const int saved = errno;
    std::clearerr(stream_);
    fail(ErrorKind::io, std::string("cannot write to stdout: ") + std::strerror(saved));
  }
}

void Printer::write(std::string_view text) {
  if (text.empty()) return;
  if (into_) {
    into_->append(text);
    return;
  }
  std::fwrite(text.data(), 1, text.size(), stream_);
  check();
}

void Printer::finish() {
  if (into_) return;
  errno = 0;
  std::fflush(stream_);
  check();
}

std::string Printer::paint(std::string_view text, Style style) const {
  if (!color_ || style == Style::plain || text.empty()) return std::string(text);
  const char* code = "";
  switch (style) {
    case Style::bold:
      code = "1";
      break;
    case Style::dim:
      code = "2";
      break;
    case Style::red:
      code = "31";
      break;
    case Style::green:
      code = "32";
      break;
    case Style::yellow:
      code = "33";
      break;
    case Style::cyan:
      code = "36";
      break;
    case Style::plain:
      break;
  }
  return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

}  // namespace mend::cli
