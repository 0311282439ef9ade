#include "cli/config.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/config_file.hpp"
#include "core/errors.hpp"

namespace mend::cli {

// A relative XDG_CONFIG_HOME is ignored, as the XDG base directory
// specification asks.
std::string config_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/mend/config.toml";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/mend/config.toml";
  return {};
}

Config load_config() {
  Config config;
  const std::string path = config_path();
  if (path.empty()) return config;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return config;  // no file: the defaults
    fail(ErrorKind::usage, "cannot read the config file " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) fail(ErrorKind::usage, "the config file " + path + " is not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail(ErrorKind::usage, "cannot read the config file " + path + ": " + std::strerror(errno));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) fail(ErrorKind::usage, "cannot read the config file " + path);

  const ConfigValues v = parse_config(text, path);
  if (v.due_in) config.due_in = *v.due_in;
  if (v.followup_in) config.followup_in = *v.followup_in;
  if (v.currency) config.currency = *v.currency;
  if (v.business_name) config.business_name = v.business_name;
  if (v.categories) config.categories = *v.categories;
  if (v.workdays) config.calendar.workdays = *v.workdays;
  if (v.holidays) config.calendar.holidays = *v.holidays;
  if (v.from) config.from = v.from;
  if (v.addresses) config.addresses = *v.addresses;
  if (v.sendmail) config.sendmail = *v.sendmail;
  if (v.max_attachment) config.max_attachment = *v.max_attachment;
  if (v.user) config.user = v.user;
  if (v.database) config.database = v.database;
  config.source = path;
  return config;
}

}  // namespace mend::cli
