// The error contract, checked in one place: a refused command exits with its
// code, prints one `mend:` line on stderr and nothing on stdout, and leaves
// the database exactly as it was.
#pragma once

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdio>

#include <string>
#include <vector>

#include "harness.hpp"

namespace mend::test {

// Runs `args` and checks the contract; `needle` must appear in the message.
inline void check_refused(const Sandbox& s, const std::vector<std::string>& args, int code,
                          const std::string& needle = "", const std::string& input = "") {
  std::string line;
  for (const auto& a : args)
    line += a + " ";
  CAPTURE(line);
  const auto before = db_dump(s.db);
  const auto r = s.run(args, input);
  CHECK(r.code == code);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("mend: ", 0) == 0);
  CHECK(r.err.find('\n') == r.err.size() - 1);
  if (!needle.empty()) CHECK(r.err.find(needle) != std::string::npos);
  CHECK(db_dump(s.db) == before);
}

// Makes $EDITOR a script that replaces the file it is given with `content`
// (a printf format: "\\n" in the C++ literal is a newline).
inline void use_fake_editor(Sandbox& s, const std::string& printf_content) {
  const std::string editor = s.dir + "/fake-editor";
  std::FILE* f = std::fopen(editor.c_str(), "w");
  REQUIRE(f != nullptr);
  std::fputs(("#!/bin/sh\nprintf '" + printf_content + "' > \"$1\"\n").c_str(), f);
  std::fclose(f);
  ::chmod(editor.c_str(), 0700);
  s.env["EDITOR"] = editor;
}

// Runs mend with a pseudo-terminal as stdin (through script(1)), as a person
// at a terminal has; returns what the terminal showed.
inline std::string run_on_terminal(const Sandbox& s, const std::string& args) {
  std::string command = "env -i";
  for (const auto& [k, v] : s.env)
    command += " '" + k + "=" + v + "'";
  command +=
      std::string(" script -qec '") + MEND_BINARY + " " + args + "' /dev/null </dev/null 2>&1";
  return shell_output(command);
}

}  // namespace mend::test
