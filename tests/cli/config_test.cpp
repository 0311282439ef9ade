// The configuration file: where it is read from, what wins, and how a bad one
// is reported (exit 64, naming the file and line).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "harness.hpp"

using mend::test::db_dump;
using mend::test::Sandbox;

namespace {

using Json = nlohmann::json;

// Writes `text` as the config file under `base` (a config home) and returns its path.
std::string write_config(const std::string& base, const std::string& text) {
  std::filesystem::create_directories(base + "/mend");
  const std::string path = base + "/mend/config.toml";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string due_of(const Sandbox& s, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"open", "Ada", "Vase broken", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return Json::parse(s.ok(args))["due_at"];
}

}  // namespace

TEST_CASE("config due_in sets the default promise of open, and --due wins over it") {
  Sandbox s;
  CHECK(due_of(s) == "2026-11-25T14:05:00Z");  // built-in +2d
  write_config(s.dir + "/.config", "# my shop\ndue_in = \"+5d\"\n");
  CHECK(due_of(s) == "2026-11-28T14:05:00Z");
  CHECK(due_of(s, {"--due", "tomorrow"}) == "2026-11-24T23:59:59Z");
}

TEST_CASE("XDG_CONFIG_HOME is read instead of ~/.config, a relative one is ignored") {
  Sandbox s;
  write_config(s.dir + "/.config", "due_in = \"+5d\"\n");
  write_config(s.dir + "/xdg", "due_in = 'friday'\n");
  s.env["XDG_CONFIG_HOME"] = s.dir + "/xdg";
  CHECK(due_of(s) == "2026-11-27T23:59:59Z");
  s.env["XDG_CONFIG_HOME"] = "xdg";
  CHECK(due_of(s) == "2026-11-28T14:05:00Z");
}

TEST_CASE("config categories make open warn about a category not in the list") {
  Sandbox s;
  write_config(
      s.dir + "/.config",
      "categories = [\n  \"Product\", \"delivery\",  # what goes wrong\n  'billing',\n]\n");
  auto r = s.run({"open", "Ada", "Broken", "--category", "PRODUCT"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  r = s.run({"open", "Ada", "Broken", "--category", "prodcut"});
  CHECK(r.code == 0);
  CHECK(r.err == "mend: warning: category 'prodcut' is not in the categories of " + s.dir +
                     "/.config/mend/config.toml (a typo?)\n");
  CHECK(r.out.find("Opened case #2") != std::string::npos);
}

TEST_CASE("a bad config file is a usage error naming the file and line, and nothing is written") {
  Sandbox s;
  const std::string path = write_config(s.dir + "/.config", "# settings\n\ndue = \"+2d\"\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"open", "Ada", "Broken"}, {"list"}, {"followup"}, {"followup", "--json"}}) {
    const auto r = s.run(args);
    CHECK(r.code == 64);
    CHECK(r.out.empty());
    CHECK(r.err == "mend: " + path +
                       ":3: unknown key 'due' (keys: due_in, followup_in, currency, business_name, "
                       "categories, workdays, holidays, from, addresses, sendmail, max_attachment, "
                       "user, database)\n");
  }
  CHECK(db_dump(s.db).empty());

  struct Bad {
    std::string text;
    std::string message;
  };
  for (const auto& bad : std::vector<Bad>{
           {"due_in = \"+2d\"\ncurrency = \"euro\"\n", ":2: currency takes a three-letter code"},
           {"due_in = \"soonish\"\n", ":1: due_in: 'soonish' is not a date"},
           {"followup_in = 3\n", ":1: 'followup_in' takes a quoted string"},
           {"[mend]\n", ":1: unknown key 'mend'"},
           {"categories = [\"a\",\n\"b\"\n", ":2: not valid TOML: "},
           {"business_name = \"Ada's\" \"Shop\"\n", ":1: not valid TOML: "},
           {"workdays = [\"mon\",\n  \"fri\",\n  \"sun\", \"xyz\"]\n", ":3: workdays holds 'xyz'"},
           {"holidays = \"2026-12-25\"\n", ":1: holidays takes an array"},
           {"database = \"relative/cases.db\"\n", ":1: database takes an absolute path"},
       }) {
    write_config(s.dir + "/.config", bad.text);
    const auto r = s.run({"open", "Ada", "Broken"});
    INFO(bad.text);
    CHECK(r.code == 64);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("mend: " + path + bad.message, 0) == 0);
  }
  CHECK(db_dump(s.db).empty());
}

TEST_CASE("a config path that is not a readable file is a usage error") {
  Sandbox s;
  std::filesystem::create_directories(s.dir + "/.config/mend/config.toml");
  const auto r = s.run({"list"});
  CHECK(r.code == 64);
  CHECK(r.err.find("config.toml is not a file") != std::string::npos);
}

TEST_CASE("a valid config with every key is accepted") {
  Sandbox s;
  write_config(s.dir + "/.config",
               "due_in = \"3d\"\nfollowup_in = \"never\"\ncurrency = \"eur\"\n"
               "business_name = \"Ada's Vases\"\ncategories = []\n");
  CHECK(due_of(s, {"--category", "anything"}) == "2026-11-26T14:05:00Z");
}

TEST_CASE("config database names the default database; MEND_DB and --db win over it") {
  Sandbox s;
  write_config(s.dir + "/.config", "database = \"~/shop/cases.db\"\n");
  s.env.erase("MEND_DB");
  s.ok({"open", "Ada", "Vase broken"});
  CHECK(std::filesystem::exists(s.dir + "/shop/cases.db"));
  CHECK_FALSE(std::filesystem::exists(s.db));
  s.env["MEND_DB"] = s.db;
  CHECK(s.ok({"list", "--json"}) == "[]\n");
  CHECK(Json::parse(s.ok({"list", "--json", "--db", s.dir + "/shop/cases.db"})).size() == 1);
  // A PostgreSQL database (Team mode) from the config, --db or MEND_DB goes
  // to the server, never taken for a file name; one that cannot be reached
  // is 75 ("try again"), and no message repeats the password.
  write_config(s.dir + "/.config",
               "database = \"postgresql://shop:s3cret@/mend?host=/nonexistent-mend\"\n");
  s.env.erase("MEND_DB");
  const auto r = s.run({"list"});
  CHECK(r.code == 75);
  CHECK(r.err.find("cannot reach the PostgreSQL database") != std::string::npos);
  CHECK(r.err.find("s3cret") == std::string::npos);
  for (const std::string uri : {"postgresql://shop:s3cret@/mend?host=/nonexistent-mend",
                                "postgres:///mend?host=/nonexistent-mend&password=s3cret",
                                "service=mend-no-such-service"}) {
    CAPTURE(uri);
    const auto by_option = s.run({"list", "--db", uri});
    CHECK(by_option.code == 75);
    CHECK(by_option.err.rfind("mend: cannot reach the PostgreSQL database", 0) == 0);
    CHECK(by_option.err.find("s3cret") == std::string::npos);
    s.env["MEND_DB"] = uri;
    const auto by_env = s.run({"open", "Ada", "Vase"});
    CHECK(by_env.code == 75);
    CHECK(by_env.err.find("s3cret") == std::string::npos);
    CHECK(by_env.out.empty());
    s.env.erase("MEND_DB");
  }
  CHECK_FALSE(std::filesystem::exists(s.dir + "/postgresql:"));
  CHECK_FALSE(std::filesystem::exists(s.dir + "/postgres:"));
}

TEST_CASE("a config in any TOML form, with the mail and calendar keys, is accepted") {
  Sandbox s;
  write_config(s.dir + "/.config", R"(# Ada's shop
'due_in' = '''+4d'''          # literal string
currency = "gbp"
categories = [
  "product",  # what we sell
  "delivery",
]
workdays = ["mon", "tue", "wed", "thu", "fri"]
holidays = ["2026-12-25", "2026-12-28..2027-01-01"]
from = "Ada's Vases <ada@vases.example>"
addresses = ["ada@vases.example"]
sendmail = "msmtp -t"
max_attachment = 1_048_576
user = "Ada"
)");
  CHECK(due_of(s) == "2026-11-27T14:05:00Z");
}
