// mend open: end to end, through the real binary.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>

#include "harness.hpp"

using mend::test::db_dump;
using mend::test::Sandbox;

TEST_CASE("mend open --json prints the case object with every SPEC field") {
  Sandbox s;
  const auto j = nlohmann::ordered_json::parse(s.ok({"open",
                                                     "Ada Lovelace",
                                                     "Parcel arrived damaged",
                                                     "--email",
                                                     "ada@example.com",
                                                     "--phone",
                                                     "+44 20 7946 0000",
                                                     "--channel",
                                                     "email",
                                                     "--category",
                                                     "Delivery",
                                                     "--priority",
                                                     "high",
                                                     "--wants",
                                                     "a replacement",
                                                     "--ref",
                                                     "INV-1042",
                                                     "--tag",
                                                     "fragile",
                                                     "--tag",
                                                     "vip",
                                                     "--due",
                                                     "2026-11-27",
                                                     "-m",
                                                     "The box was crushed.\nThe vase broke.",
                                                     "--json"}));
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it)
    keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"id", "status", "customer", "summary", "complaint",
                                         "wants", "channel", "category", "priority", "reference",
                                         "tags", "opened_at", "due_at", "resolved_at",
                                         "followup_at", "closed_at", "resolution", "satisfaction",
                                         "owner", "events", "attachments"});
  CHECK(j["id"] == 1);
  CHECK(j["status"] == "open");
  CHECK(nlohmann::json(j["customer"]) == nlohmann::json{{"id", 1},
                                                        {"name", "Ada Lovelace"},
                                                        {"email", "ada@example.com"},
                                                        {"phone", "+44 20 7946 0000"}});
  CHECK(j["summary"] == "Parcel arrived damaged");
  CHECK(j["complaint"] == "The box was crushed.\nThe vase broke.");
  CHECK(j["wants"] == "a replacement");
  CHECK(j["channel"] == "email");
  CHECK(j["category"] == "delivery");
  CHECK(j["priority"] == "high");
  CHECK(j["reference"] == "INV-1042");
  CHECK(nlohmann::json(j["tags"]) == nlohmann::json{"fragile", "vip"});
  CHECK(j["opened_at"] == "2026-11-23T14:05:00Z");
  CHECK(j["due_at"] == "2026-11-27T23:59:59Z");
  for (const char* k :
       {"resolved_at", "followup_at", "closed_at", "resolution", "satisfaction", "owner"})
    CHECK(j[k].is_null());
  REQUIRE(j["events"].size() == 1);
  CHECK(nlohmann::json(j["events"][0]) == nlohmann::json{{"at", "2026-11-23T14:05:00Z"},
                                                         {"kind", "opened"},
                                                         {"text", "Parcel arrived damaged"},
                                                         {"by", "sam"},
                                                         {"message", nullptr}});
}

TEST_CASE("mend open defaults: channel other, category other, priority normal, due +2d") {
  Sandbox s;
  const auto j = nlohmann::json::parse(s.ok({"open", "Bob", "Late delivery", "--json"}));
  CHECK(j["channel"] == "other");
  CHECK(j["category"] == "other");
  CHECK(j["priority"] == "normal");
  CHECK(j["due_at"] == "2026-11-25T14:05:00Z");
  CHECK(j["complaint"].is_null());
  CHECK(j["tags"] == nlohmann::json::array());
  CHECK(j["customer"]["email"].is_null());
}

TEST_CASE("mend open -q prints only the new id, and ids count up") {
  Sandbox s;
  CHECK(s.ok({"open", "Ada", "First", "-q"}) == "1\n");
  CHECK(s.ok({"-q", "open", "Bob", "Second"}) == "2\n");
}

TEST_CASE("mend open text output confirms the id and the due time") {
  Sandbox s;
  const auto out = s.ok({"open", "Ada Lovelace", "Parcel arrived damaged", "--due", "tomorrow"});
  CHECK(out.find("Opened case #1 for Ada Lovelace, due tomorrow 23:59.") != std::string::npos);
  CHECK(out.find("\x1b[") == std::string::npos);  // not a terminal: no colour
}

TEST_CASE("mend open reuses a customer by email and shows their earlier cases") {
  Sandbox s;
  s.ok({"open", "Ada Lovelace", "First", "--email", "ada@example.com"});
  const auto j = nlohmann::json::parse(
      s.ok({"open", "Ada L.", "Second", "--email", "ADA@example.com", "--json"}));
  CHECK(j["customer"]["id"] == 1);
  CHECK(j["customer"]["name"] == "Ada Lovelace");
  const auto text = s.ok({"open", "Ada Lovelace", "Third", "--email", "ada@example.com"});
  CHECK(text.find("Other cases from Ada Lovelace") != std::string::npos);
  CHECK(text.find("First") != std::string::npos);
}

TEST_CASE("mend open reads the complaint from a file or stdin") {
  Sandbox s;
  {
    std::FILE* f = std::fopen((s.dir + "/c.txt").c_str(), "w");
    std::fputs("\nFrom a file,\n  with indentation.\n\n", f);
    std::fclose(f);
  }
  auto j = nlohmann::json::parse(s.ok({"open", "Ada", "S", "-F", s.dir + "/c.txt", "--json"}));
  CHECK(j["complaint"] == "From a file,\n  with indentation.");
  j = nlohmann::json::parse(s.ok({"open", "Ada", "S", "-F", "-", "--json"}, "from stdin\n"));
  CHECK(j["complaint"] == "from stdin");
}

TEST_CASE("mend open with no SUMMARY and no terminal is a usage error that writes nothing") {
  Sandbox s;
  const auto r = s.run({"open", "Ada"});
  CHECK(r.code == 64);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("mend: ", 0) == 0);
  CHECK(r.err.find("SUMMARY") != std::string::npos);
  CHECK(db_dump(s.db).empty());
}

TEST_CASE("mend open refuses bad values with exit 64, one line on stderr, nothing written") {
  Sandbox s;
  s.ok({"open", "Existing", "Keep me"});
  const auto before = db_dump(s.db);
  const std::vector<std::vector<std::string>> bad = {
      {"open", "Ada", "S", "--channel", "pigeon"},
      {"open", "Ada", "S", "--priority", "extreme"},
      {"open", "Ada", "S", "--due", "2026-02-30"},
      {"open", "Ada", "S", "--due", "soonish"},
      {"open", "Ada", "S", "--due", "never"},
      {"open", "Ada", "S", "--email", "not-an-address"},
      {"open", "Ada", "S", "--phone", "call me"},
      {"open", "Ada", "S", "--tag", "two words"},
      {"open", "", "S"},
      {"open", "Ada", "  "},
      {"open", "Ada", "line one\nline two"},
      {"open", "Ada", "S", "-m", "x", "-F", "-"},
      {"open", "Ada", "S", "--bogus"},
      {"open", "Ada", "S", "extra"},
      {"open"},
  };
  for (const auto& args : bad) {
    std::string joined;
    for (const auto& a : args)
      joined += a + " ";
    CAPTURE(joined);
    const auto r = s.run(args);
    CHECK(r.code == 64);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("mend: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("mend open -F with a missing file exits 66 and writes nothing") {
  Sandbox s;
  const auto r = s.run({"open", "Ada", "S", "-F", s.dir + "/nope.txt"});
  CHECK(r.code == 66);
  CHECK(r.out.empty());
  CHECK(r.err.find("nope.txt") != std::string::npos);
  CHECK(db_dump(s.db).empty());
}

TEST_CASE("mend open on a terminal with no SUMMARY writes the case in $EDITOR") {
  Sandbox s;
  // The editor: a script that writes a summary and a complaint into the file.
  const std::string editor = s.dir + "/fake-editor";
  {
    std::FILE* f = std::fopen(editor.c_str(), "w");
    std::fputs(
        "#!/bin/sh\nprintf 'Broken zip\\n\\nThe zip broke on day one.\\n# ignored\\n' > \"$1\"\n",
        f);
    std::fclose(f);
    ::chmod(editor.c_str(), 0700);
  }
  s.env["EDITOR"] = editor;
  // `script` gives mend a pseudo-terminal as stdin, as a person at a terminal has.
  std::string command = "env -i";
  for (const auto& [k, v] : s.env)
    command += " '" + k + "=" + v + "'";
  command +=
      std::string(" script -qec '") + MEND_BINARY + " open Ada -q' /dev/null </dev/null 2>&1";
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[512];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    ::pclose(p);
  }
  INFO("script output: " << out);
  const auto j = nlohmann::json::parse(s.ok({"show", "1", "--json"}));
  CHECK(j["summary"] == "Broken zip");
  CHECK(j["complaint"] == "The zip broke on day one.");
}

TEST_CASE("the default database lives in XDG_DATA_HOME, private, else ~/.local/share") {
  Sandbox s;
  s.env.erase("MEND_DB");
  s.env["XDG_DATA_HOME"] = s.dir + "/xdg";
  s.ok({"open", "Ada", "S"});
  struct stat st {};
  REQUIRE(::stat((s.dir + "/xdg/mend/cases.db").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat((s.dir + "/xdg/mend").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  s.env.erase("XDG_DATA_HOME");
  s.ok({"open", "Bob", "S"});
  CHECK(::stat((s.dir + "/.local/share/mend/cases.db").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("--db wins over MEND_DB, before or after the subcommand") {
  Sandbox s;
  const std::string other = s.dir + "/other.db";
  s.ok({"--db", other, "open", "Ada", "S"});
  s.ok({"open", "Bob", "S", "--db", other});
  CHECK(nlohmann::json::parse(s.ok({"list", "--json", "--db", other})).size() == 2);
  CHECK(db_dump(s.db).empty());
}
