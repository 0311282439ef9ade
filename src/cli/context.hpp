// What a command needs to run: where the database is, what time it is, how to
// print. Built once in app.cpp from the global options and the environment;
// passed to every command (no globals).
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.hpp"
#include "cli/output.hpp"
#include "core/dates.hpp"
#include "core/store.hpp"

namespace mend::cli {

struct Context {
  std::string db_path;  // an absolute path, or a PostgreSQL location (may hold a password)
  Time now = 0;
  bool json = false;
  bool quiet = false;
  bool stdin_is_tty = false;
  Config config;
  std::string user;  // who events are written `by`: $MEND_USER, config `user`, the login name
  Printer out;       // stdout, with colour and width settings
  std::FILE* err = stderr;

  // Opens the database on first use, so that --help and usage errors never
  // create it. `use`: what the first call opens it for (import, and mail
  // taking many messages, ask for bulk_load).
  Store& store(StoreUse use = StoreUse::everyday) {
    if (!store_) {
      store_ = open_store(db_path, use);
      store_->set_user(user);
    }
    return *store_;
  }

  // A warning: one line on stderr that does not change the exit code.
  void warn(const std::string& message) const;
  // An error about one item of many (a message `mend mail` could not read):
  // one line on stderr now; the command goes on and exits with its code.
  void fail_item(ErrorKind kind, const std::string& message);
  std::optional<ErrorKind> failed;

 private:
  std::unique_ptr<Store> store_;
};

}  // namespace mend::cli
