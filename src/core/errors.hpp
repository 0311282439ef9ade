// The one error type of mend. Core code throws it with a kind; the CLI maps
// each kind to a sysexits code in exactly one place (src/cli/app.cpp).
#pragma once

#include <stdexcept>
#include <string>

namespace mend {

enum class ErrorKind {
  usage,        // bad option, argument, value or date; bad config file (64)
  declined,     // the user said no at a confirmation prompt (1)
  data,         // malformed input data, or an action the case's state forbids (65)
  not_found,    // no such case or customer; input file missing (66)
  cant_create,  // cannot create the database, its folder or an output file (73)
  io,           // the database or stdout cannot be read or written (74)
  busy,         // the database stayed locked past the timeout (75)
  internal,     // a bug (70)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void fail(ErrorKind kind, const std::string& message) {
  throw Error(kind, message);
}

}  // namespace mend
