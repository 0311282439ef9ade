// mend reply and mend mail --ack: messages written by the real GMime plugin,
// handed to a stand-in sendmail (tests/support/fake_sendmail.sh) and read back
// with Python's email package.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "data_support.hpp"
#include "harness.hpp"

using mend::test::db_dump;
using mend::test::file_bytes;
using mend::test::Sandbox;
using mend::test::shell_output;
using mend::test::sql;
using mend::test::write_file;
using nlohmann::json;

namespace {

const std::string kFakeSendmail = std::string(MEND_SOURCE_DIR) + "/tests/support/fake_sendmail.sh";
const std::string kMailFields = std::string(MEND_SOURCE_DIR) + "/tests/support/mail_fields.py";

// A sandbox with a config that sends through the stand-in into `spool`.
struct Shop : Sandbox {
  std::string spool;
  std::string config_dir;
  explicit Shop(const std::string& extra = "",
                const std::string& from = "from = \"Corner Shop <shop@corner.example>\"\n") {
    spool = dir + "/spool";
    config_dir = dir + "/.config/mend";
    std::filesystem::create_directories(spool);
    std::filesystem::create_directories(config_dir + "/templates");
    write_config(from + "sendmail = \"" + kFakeSendmail + " -t -i\"\n" + extra);
    env["FAKE_SENDMAIL_DIR"] = spool;
  }
  void write_config(const std::string& text) const {
    write_file(config_dir + "/config.toml", text);
  }
  // The n-th message the stand-in was handed, read by Python.
  json sent(int n = 0) const {
    return json::parse(shell_output("python3 " + kMailFields + " " + spool + "/message" +
                                    std::to_string(n) + ".eml"));
  }
  int sent_count() const {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(spool))
      if (e.path().filename().string().rfind("message", 0) == 0) ++n;
    return n;
  }
  void open_case() const {
    ok({"open", "María Gómez", "Vase arrived broken", "--email", "maria@example.com", "--due",
        "2026-11-27"});
  }
};

std::string without_brackets(std::string id) {
  if (!id.empty() && id.front() == '<') id.erase(0, 1);
  if (!id.empty() && id.back() == '>') id.pop_back();
  return id;
}

}  // namespace

TEST_CASE("reply --template ack: the exact message goes to sendmail and the reply joins the case") {
  Shop s;
  s.open_case();
  const auto r = s.run({"reply", "1", "--template", "ack"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("Sent a reply to maria@example.com for case #1.") != std::string::npos);
  CHECK(r.err.empty());
  REQUIRE(s.sent_count() == 1);
  CHECK(file_bytes(s.spool + "/argv0.txt") == "-t\n-i\n");
  const json m = s.sent();
  CHECK(m["defects"] == 0);
  CHECK(m["decoded"]["From"] == "Corner Shop <shop@corner.example>");
  CHECK(m["decoded"]["To"] == "María Gómez <maria@example.com>");
  CHECK(m["raw"]["To"].get<std::string>().find("=?") != std::string::npos);  // RFC 2047
  CHECK(m["decoded"]["Subject"] == "Vase arrived broken [case #1]");
  CHECK(m["decoded"]["MIME-Version"] == "1.0");
  CHECK(m["content_type"] == "text/plain");
  CHECK(m["charset"] == "utf-8");
  CHECK(m["decoded"]["Date"] == "Mon, 23 Nov 2026 14:05:00 +0000");
  CHECK(!m["decoded"].contains("Auto-Submitted"));
  CHECK(!m["decoded"].contains("In-Reply-To"));  // nothing to answer yet
  CHECK(m["recipients"] == json::array({"maria@example.com"}));
  const std::string id = m["decoded"]["Message-Id"];
  CHECK(id.size() > 20);
  CHECK(id.substr(id.size() - 16) == "@corner.example>");
  CHECK(m["body"] ==
        "Hello María,\n"
        "\n"
        "Thank you for writing to us. We have your message about \"Vase arrived broken\", and it\n"
        "is now case #1 with us. We are looking into it, and you will hear back\n"
        "from us by Friday 27 November 2026.\n"
        "\n"
        "If there is anything you would like to add, just reply to this email.\n"
        "\n"
        "Kind regards,\n"
        "Corner Shop\n");
  CHECK(m["max_line"].get<int>() <= 78);

  const json c = json::parse(s.ok({"show", "1", "--json"}));
  const json e = c["events"].back();
  CHECK(e["kind"] == "reply");
  CHECK(e["by"] == "sam");
  CHECK(e["message"]["direction"] == "out");
  CHECK(e["message"]["id"] == without_brackets(id));
  CHECK(e["message"]["to"] == "María Gómez <maria@example.com>");
  CHECK(e["message"]["subject"] == "Vase arrived broken [case #1]");
  CHECK(e["text"].get<std::string>().rfind("Hello María,", 0) == 0);
}

TEST_CASE("reply --json prints the case; -q prints nothing") {
  Shop s;
  s.open_case();
  const json c = json::parse(s.ok({"reply", "1", "-m", "Thanks, on it.", "--json"}));
  CHECK(c["id"] == 1);
  CHECK(c["events"].back()["kind"] == "reply");
  CHECK(s.ok({"reply", "1", "Again.", "-q"}).empty());
  CHECK(s.sent_count() == 2);
}

TEST_CASE("long or non-ASCII lines go quoted-printable and come back exactly") {
  Shop s;
  s.open_case();
  const std::string text = "Grüße! " + std::string(120, 'x') + " €49.99\nsecond line";
  s.ok({"reply", "1", "-m", text});
  const json m = s.sent();
  CHECK(m["raw"]["Content-Transfer-Encoding"] == "quoted-printable");
  CHECK(m["body"] == text + "\n");
  CHECK(m["max_line"].get<int>() <= 78);
}

TEST_CASE("a failing mail command: 75 with what it said, nothing recorded") {
  Shop s;
  s.open_case();
  const auto before = db_dump(s.db);
  s.env["FAKE_SENDMAIL_MODE"] = "fail";
  const auto r = s.run({"reply", "1", "-m", "Hello"});
  CHECK(r.code == 75);
  CHECK(r.out.empty());
  CHECK(r.err.find("Connection refused") != std::string::npos);
  CHECK(r.err.find("nothing was recorded") != std::string::npos);
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("a hanging mail command is stopped at the time limit: 75, nothing recorded") {
  Shop s;
  s.open_case();
  const auto before = db_dump(s.db);
  s.env["FAKE_SENDMAIL_MODE"] = "hang";
  s.env["MEND_SENDMAIL_TIMEOUT"] = "1";
  const auto start = std::chrono::steady_clock::now();
  const auto r = s.run({"reply", "1", "-m", "Hello"});
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK(r.code == 75);
  CHECK(r.err.find("ran past 1 s") != std::string::npos);
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("a record that fails after the mail went out: 74 saying the mail was sent") {
  Shop s;
  s.open_case();
  const auto before = db_dump(s.db);
  s.env["FAKE_SENDMAIL_MODE"] = "lock";
  s.env["FAKE_SENDMAIL_LOCK_DB"] = s.db;
  s.env["MEND_BUSY_TIMEOUT_MS"] = "200";
  const auto r = s.run({"reply", "1", "-m", "Hello"});
  CHECK(r.code == 74);
  CHECK(r.out.empty());
  CHECK(r.err.find("the mail was sent but could not be recorded") != std::string::npos);
  CHECK(s.sent_count() == 1);
  ::sleep(3);  // the lock is let go
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("a missing mail command: 75 naming it, nothing recorded") {
  Shop s("", "from = \"shop@corner.example\"\n");
  s.write_config("from = \"shop@corner.example\"\nsendmail = \"/nonexistent/sendmail -t\"\n");
  s.open_case();
  const auto before = db_dump(s.db);
  const auto r = s.run({"reply", "1", "-m", "Hello"});
  CHECK(r.code == 75);
  CHECK(r.err.find("/nonexistent/sendmail") != std::string::npos);
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("a customer without email: 65 saying how to add one") {
  Shop s;
  s.ok({"open", "Walk-in", "Scratched table"});
  const auto r = s.run({"reply", "1", "-m", "Hello"});
  CHECK(r.code == 65);
  CHECK(r.err.find("mend edit 1 --email") != std::string::npos);
  CHECK(s.sent_count() == 0);
}

TEST_CASE("no from in the config: 64 naming the key and the file") {
  Shop s("", "");
  s.open_case();
  const auto r = s.run({"reply", "1", "-m", "Hello"});
  CHECK(r.code == 64);
  CHECK(r.err.find("from") != std::string::npos);
  CHECK(r.err.find(s.config_dir + "/config.toml") != std::string::npos);
  CHECK(s.run({"reply", "1", "-m", "Hello", "--print"}).code == 64);
}

TEST_CASE("an unfilled or unknown placeholder: 65 naming it, the template and the line") {
  Shop s;
  s.open_case();
  const auto before = db_dump(s.db);
  auto r = s.run({"reply", "1", "--template", "resolution"});
  CHECK(r.code == 65);
  CHECK(r.err.find("{{outcome}}") != std::string::npos);
  CHECK(r.err.find("built-in template resolution, line 4") != std::string::npos);
  write_file(s.config_dir + "/templates/mine.txt", "Hi {{first_name}},\n{{colour}}\n");
  r = s.run({"reply", "1", "--template", "mine"});
  CHECK(r.code == 65);
  CHECK(r.err.find("{{colour}}") != std::string::npos);
  CHECK(r.err.find(s.config_dir + "/templates/mine.txt, line 2") != std::string::npos);
  CHECK(s.sent_count() == 0);
  CHECK(db_dump(s.db) == before);
  CHECK(s.run({"reply", "1", "--template", "nosuch"}).code == 64);
}

TEST_CASE("a template that is a symlink to a file elsewhere is used; a FIFO is refused") {
  Shop s;
  s.open_case();
  write_file(s.dir + "/elsewhere.txt", "Dear {{customer}}, about case #{{case}}.\n");
  REQUIRE(::symlink((s.dir + "/elsewhere.txt").c_str(),
                    (s.config_dir + "/templates/ack.txt").c_str()) == 0);
  s.ok({"reply", "1", "--template", "ack"});
  CHECK(s.sent()["body"] == "Dear María Gómez, about case #1.\n");
  REQUIRE(::mkfifo((s.config_dir + "/templates/update.txt").c_str(), 0600) == 0);
  const auto r = s.run({"reply", "1", "--template", "update"});
  CHECK(r.code == 65);
  CHECK(r.err.find("not a regular file") != std::string::npos);
  CHECK(s.sent_count() == 1);
}

TEST_CASE("header injection: no name, subject, address or body line adds a header or recipient") {
  Shop s;
  s.open_case();
  mend::test::run_sql(s.db,
                      "UPDATE customers SET name = 'Evil\r\nBcc: x@evil.example';"
                      "UPDATE cases SET summary = 'Hi\nCc: y@evil.example';");
  write_file(s.config_dir + "/templates/bcc.txt",
             "Bcc: z@evil.example\nTo: w@evil.example\n\nHello {{customer}}\n");
  s.ok({"reply", "1", "--template", "bcc"});
  const json m = s.sent();
  CHECK(m["recipients"] == json::array({"maria@example.com"}));
  CHECK(!m["decoded"].contains("Bcc"));
  CHECK(!m["decoded"].contains("Cc"));
  CHECK(m["names"].size() == m["decoded"].size());
  CHECK(m["decoded"]["Subject"] == "Hi Cc: y@evil.example [case #1]");
  CHECK(m["body"].get<std::string>().rfind("Bcc: z@evil.example\nTo: w@evil.example\n", 0) == 0);

  mend::test::run_sql(s.db, "UPDATE customers SET email = 'a@b.c\nBcc: x@y.org'");
  const auto before = db_dump(s.db);
  const auto r = s.run({"reply", "1", "-m", "Hello"});
  CHECK(r.code == 65);
  CHECK(r.err.find("not one plain address") != std::string::npos);
  CHECK(s.sent_count() == 1);
  CHECK(db_dump(s.db) == before);
  mend::test::run_sql(s.db, "UPDATE customers SET email = 'a@b.c, x@y.org'");
  CHECK(s.run({"reply", "1", "-m", "Hello"}).code == 65);
}

TEST_CASE("--print writes the message to stdout; nothing is sent or recorded") {
  Shop s;
  s.open_case();
  const auto before = db_dump(s.db);
  const auto r = s.run({"reply", "1", "-m", "Hello there", "--print"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("Subject: Vase arrived broken [case #1]\n") != std::string::npos);
  CHECK(r.out.find("\n\nHello there\n") != std::string::npos);
  CHECK(s.sent_count() == 0);
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("no text and no terminal is a usage error; two texts are too") {
  Shop s;
  s.open_case();
  CHECK(s.run({"reply", "1"}).code == 64);
  CHECK(s.run({"reply", "1", "x", "-m", "y"}).code == 64);
  CHECK(s.run({"reply", "1", "-m", "   "}).code == 64);
  CHECK(s.run({"reply", "9", "-m", "x"}).code == 66);
  const auto r = s.run({"reply", "1", "-F", "-"}, "From stdin\n");
  CHECK(r.code == 0);
  CHECK(s.sent()["body"] == "From stdin\n");
}

TEST_CASE("round trip: the reply's Bcc copy is a duplicate; the customer's answer joins the case") {
  Shop s("addresses = [\"shop@corner.example\"]\n");
  const std::string complaint =
      "From: Maria Gomez <maria@example.com>\n"
      "To: shop@corner.example\n"
      "Subject: My vase\n"
      "Date: Mon, 23 Nov 2026 10:00:00 +0000\n"
      "Message-ID: <first@example.com>\n"
      "\n"
      "It arrived broken.\n";
  CHECK(s.ok({"mail"}, complaint) == "opened case #1 for Maria Gomez\n");
  s.ok({"reply", "1", "-m", "So sorry, a new one is on its way."});
  const json m = s.sent();
  CHECK(m["decoded"]["Subject"] == "Re: My vase [case #1]");
  CHECK(m["decoded"]["In-Reply-To"] == "<first@example.com>");
  CHECK(m["decoded"]["References"] == "<first@example.com>");
  const std::string id = m["decoded"]["Message-Id"];

  CHECK(s.ok({"mail", s.spool + "/message0.eml"}) == "duplicate: already on case #1\n");
  const std::string answer =
      "From: Maria Gomez <maria@example.com>\n"
      "To: shop@corner.example\n"
      "Subject: Re: My vase\n"
      "Date: Mon, 23 Nov 2026 13:00:00 +0000\n"
      "Message-ID: <second@example.com>\n"
      "In-Reply-To: " +
      id +
      "\n"
      "\n"
      "Thank you!\n";
  CHECK(s.ok({"mail"}, answer) == "added mail to case #1\n");
  s.ok({"reply", "1", "-m", "You're welcome."});
  const json m2 = s.sent(1);
  CHECK(m2["decoded"]["In-Reply-To"] == "<second@example.com>");
  std::string refs = m2["decoded"]["References"];  // folded: a tab where the line broke
  std::replace(refs.begin(), refs.end(), '\t', ' ');
  CHECK(refs == "<first@example.com> " + id + " <second@example.com>");
  // The reply's words are found, and the search index is in step with the rows.
  CHECK(s.ok({"search", "welcome", "--json"}).find("\"id\":1") != std::string::npos);
  if (!mend::test::pg_run())  // SQLite's own check of its search index
    CHECK(sql(s.db, "INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')").empty());
}

TEST_CASE("mail --ack answers each new case once, auto-submitted, and the case stays unanswered") {
  Shop s("addresses = [\"shop@corner.example\"]\n");
  const std::string complaint =
      "From: Maria Gomez <maria@example.com>\n"
      "To: shop@corner.example\n"
      "Subject: My vase\n"
      "Date: Mon, 23 Nov 2026 10:00:00 +0000\n"
      "Message-ID: <first@example.com>\n"
      "\n"
      "It arrived broken.\n";
  const auto r = s.run({"mail", "--ack"}, complaint);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out == "opened case #1 for Maria Gomez\nacknowledged case #1 to maria@example.com\n");
  REQUIRE(s.sent_count() == 1);
  const json m = s.sent();
  CHECK(m["decoded"]["Auto-Submitted"] == "auto-replied");
  CHECK(m["decoded"]["In-Reply-To"] == "<first@example.com>");
  CHECK(m["body"].get<std::string>().find("case #1") != std::string::npos);
  const json due = json::parse(s.ok({"followup", "--json"}));
  REQUIRE(due.size() >= 1);
  bool unanswered = false;
  for (const auto& d : due)
    if (d["case"] == 1 && d["reason"] == "unanswered") unanswered = true;
  CHECK(unanswered);

  // The same mail again, and mail from the owner: no second ack.
  CHECK(s.ok({"mail", "--ack"}, complaint) == "duplicate: already on case #1\n");
  CHECK(s.sent_count() == 1);
  // An auto-reply never opens a case, so it is never acknowledged.
  const std::string bounce =
      "From: Someone <someone@example.org>\nSubject: Out of office\n"
      "Auto-Submitted: auto-replied\nMessage-ID: <ooo@example.org>\n\nAway.\n";
  CHECK(s.ok({"mail", "--ack"}, bounce) == "skipped: automatic reply\n");
  CHECK(s.sent_count() == 1);

  // A person's reply answers the customer.
  s.ok({"reply", "1", "-m", "On it."});
  for (const auto& d : json::parse(s.ok({"followup", "--json"})))
    CHECK(!(d["case"] == 1 && d["reason"] == "unanswered"));
}

TEST_CASE("mail --ack whose send fails keeps the mail and warns naming the case") {
  Shop s;
  s.env["FAKE_SENDMAIL_MODE"] = "fail";
  const std::string complaint =
      "From: Maria Gomez <maria@example.com>\nSubject: My vase\n"
      "Message-ID: <first@example.com>\n\nIt arrived broken.\n";
  const auto r = s.run({"mail", "--ack"}, complaint);
  CHECK(r.code == 0);
  CHECK(r.out == "opened case #1 for Maria Gomez\n");
  CHECK(r.err.find("case #1 was taken but not acknowledged") != std::string::npos);
  CHECK(r.err.find("Connection refused") != std::string::npos);
  CHECK(sql(s.db, "SELECT count(*) FROM events WHERE kind = 'reply'") == "0\n");
  CHECK(sql(s.db, "SELECT count(*) FROM cases") == "1\n");
}

TEST_CASE("mail --ack without from is refused before any mail is taken") {
  Shop s("", "");
  const auto r = s.run({"mail", "--ack"}, "From: a@b.example\nSubject: x\n\ny\n");
  CHECK(r.code == 64);
  CHECK(r.err.find("from") != std::string::npos);
  CHECK(!std::filesystem::exists(s.db));
}

TEST_CASE("a reply that admits fault is sent with the liability warning of note") {
  Shop s;
  s.open_case();
  const auto r = s.run({"reply", "1", "-m", "I am sorry, this was our fault."});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.err.find("mend: warning: this reply admits fault") != std::string::npos);
  CHECK(r.err.find("--fault ours") != std::string::npos);
  CHECK(s.sent_count() == 1);
  CHECK(s.run({"reply", "1", "-m", "I am sorry for the trouble."}).err.empty());
}

TEST_CASE("mail --ack never writes to one of the owner's own addresses") {
  Shop s("addresses = [\"shop@corner.example\", \"me@corner.example\"]\n");
  const std::string forward =
      "From: shop@corner.example\n"
      "To: shop@corner.example\n"
      "Subject: Fwd: hello\n"
      "Message-ID: <fwd1@corner.example>\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"B\"\n"
      "\n"
      "--B\n"
      "Content-Type: text/plain\n"
      "\n"
      "see below\n"
      "--B\n"
      "Content-Type: message/rfc822\n"
      "\n"
      "From: Other Me <me@corner.example>\n"
      "Subject: hello\n"
      "Message-ID: <inner1@corner.example>\n"
      "\n"
      "Test.\n"
      "--B--\n";
  const auto r = s.run({"mail", "--ack"}, forward);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out == "opened case #1 for Other Me\n");
  CHECK(r.err.empty());
  CHECK(s.sent_count() == 0);
}
