// mend mail: real messages, parsed by the real GMime plugin, through the real binary.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "data_support.hpp"
#include "harness.hpp"

using mend::test::db_dump;
using mend::test::Sandbox;
using mend::test::sql;
using mend::test::write_file;
using nlohmann::json;

namespace {

// A complaint as a mail program sends it: Latin-1 quoted-printable words, an
// encoded subject and name, a signature, and a photo.
const std::string kComplaint =
    "From: =?ISO-8859-1?Q?Mar=EDa_G=F3mez?= <maria@example.com>\n"
    "To: Shop <shop@example.com>\n"
    "Subject: =?UTF-8?B?RndkOiBNeSB2YXNlIGFycml2ZWQgYnJva2Vu?=\n"
    "Date: Mon, 23 Nov 2026 10:00:00 +0000\n"
    "Message-ID: <abc123@example.com>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\n"
    "\n"
    "--XX\n"
    "Content-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "The vase arrived in pieces. I would like a refund, caf=E9 au lait please.\n"
    "\n"
    "-- =\n"
    "\nMar=EDa, 555-0100\n"
    "--XX\n"
    "Content-Type: image/png\n"
    "Content-Disposition: attachment; filename=\"photo.png\"\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
    "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n"
    "--XX--\n";

const std::string kAnswer =
    "From: Maria Gomez <MARIA@example.com>\n"
    "To: shop@example.com\n"
    "Subject: Re: My vase arrived broken\n"
    "Date: Tue, 24 Nov 2026 09:00:00 +0000\n"
    "Message-ID: <def456@example.com>\n"
    "In-Reply-To: <abc123@example.com>\n"
    "References: <abc123@example.com>\n"
    "\n"
    "Any news about my refund?\n"
    "\n"
    "On Mon, 23 Nov 2026 at 10:00, Maria Gomez <maria@example.com>\n"
    "wrote:\n"
    "> The vase arrived in pieces.\n"
    "> I would like a refund.\n";

std::string message(const std::string& headers, const std::string& body = "Hello.\n") {
  return headers + "\n" + body;
}

json mail_json(const Sandbox& s, std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), "mail");
  args.push_back("--json");
  return json::parse(s.ok(args, input));
}

}  // namespace

TEST_CASE(
    "mend mail opens a case from a complaint: the customer's words, their files, the raw mail") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-25T10:00:00Z";
  write_file(s.dir + "/complaint.eml", kComplaint);
  CHECK(s.ok({"mail", "complaint.eml"}) == "opened case #1 for María Gómez\n");
  const auto c = json::parse(s.ok({"show", "1", "--json"}));
  CHECK(c["customer"]["name"] == "María Gómez");
  CHECK(c["customer"]["email"] == "maria@example.com");
  CHECK(c["summary"] == "My vase arrived broken");  // "Fwd:" is not part of it
  CHECK(c["complaint"] ==
        "The vase arrived in pieces. I would like a refund, café au lait please.");
  CHECK(c["channel"] == "email");
  CHECK(c["opened_at"] == "2026-11-23T10:00:00Z");  // the Date header
  CHECK(c["due_at"] == "2026-11-25T10:00:00Z");     // due_in (+2d) from then
  REQUIRE(c["events"].size() >= 2);
  CHECK(c["events"][0]["kind"] == "opened");
  const auto& mail = c["events"][1];
  CHECK(mail["kind"] == "email");
  CHECK(mail["at"] == "2026-11-23T10:00:00Z");
  CHECK(mail["by"] == "sam");
  CHECK(mail["text"] == c["complaint"]);
  CHECK(mail["message"] == json{{"id", "abc123@example.com"},
                                {"from", "María Gómez <maria@example.com>"},
                                {"to", "Shop <shop@example.com>"},
                                {"subject", "Fwd: My vase arrived broken"},
                                {"direction", "in"}});
  REQUIRE(c["attachments"].size() == 2);
  CHECK(c["attachments"][0]["type"] == "message/rfc822");
  CHECK(c["attachments"][0]["size"] == kComplaint.size());
  CHECK(c["attachments"][1]["name"] == "photo.png");
  CHECK(c["attachments"][1]["type"] == "image/png");
  CHECK(c["attachments"][1]["size"] == 70);
  // The timeline shows the mail with its sender and subject.
  const auto card = s.ok({"show", "1"});
  CHECK(card.find("mail in from María Gómez <maria@example.com>: Fwd: My vase arrived broken") !=
        std::string::npos);
  // And the case waits for an answer.
  const auto due = json::parse(s.ok({"followup", "--json"}));
  bool unanswered = false;
  for (const auto& d : due)
    unanswered = unanswered || (d["reason"] == "unanswered" && d["case"] == 1 &&
                                d["at"] == "2026-11-23T10:00:00Z");
  CHECK(unanswered);
}

TEST_CASE("an answer joins its case without the quoted mail, and answering clears unanswered") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-25T10:00:00Z";
  s.ok({"mail"}, kComplaint);
  CHECK(s.ok({"mail", "-"}, kAnswer) == "added mail to case #1\n");
  auto c = json::parse(s.ok({"show", "1", "--json"}));
  const auto& e = c["events"].back().is_object() && c["events"].back()["kind"] == "attached"
                      ? c["events"][c["events"].size() - 2]
                      : c["events"].back();
  CHECK(e["kind"] == "email");
  CHECK(e["text"] == "Any news about my refund?");
  CHECK(e["message"]["id"] == "def456@example.com");
  CHECK(sql(s.db, "SELECT count(*) FROM cases") == "1\n");
  auto reasons = [&] {
    std::vector<std::string> out;
    for (const auto& d : json::parse(s.ok({"followup", "--json", "--within", "+30d"})))
      out.push_back(d["reason"]);
    return out;
  };
  const auto first = reasons();
  CHECK(std::count(first.begin(), first.end(), "unanswered") == 1);
  s.ok({"note", "1", "--kind", "call", "Called her: refund on its way"});
  const auto after = reasons();
  CHECK(std::count(after.begin(), after.end(), "unanswered") == 0);
}

TEST_CASE("the same mail twice changes nothing, with or without a Message-ID") {
  Sandbox s;
  s.ok({"mail"}, kComplaint);
  const auto before = db_dump(s.db);
  CHECK(s.ok({"mail"}, kComplaint) == "duplicate: already on case #1\n");
  CHECK(db_dump(s.db) == before);
  const std::string anonymous = message("From: bob@example.com\nSubject: Late parcel\n");
  CHECK(s.ok({"mail"}, anonymous) == "opened case #2 for bob@example.com\n");
  const auto j = mail_json(s, {}, anonymous);
  CHECK(j == json::array({{{"source", "-"},
                           {"message_id", nullptr},
                           {"action", "duplicate"},
                           {"case", 2},
                           {"reason", nullptr}}}));
}

TEST_CASE("automatic mail is skipped and never opens a case") {
  Sandbox s;
  const std::vector<std::string> automatic = {
      message("From: a@example.com\nSubject: Away\nAuto-Submitted: auto-replied\n"),
      message("From: a@example.com\nSubject: Sale\nPrecedence: bulk\n"),
      message("From: a@example.com\nSubject: Digest\nList-Id: <news.example.com>\n"),
      message("From: a@example.com\nSubject: Away\nX-Autoreply: yes\n"),
      message("From: MAILER-DAEMON@example.com\nSubject: Undelivered Mail\n"),
      message("From: a@example.com\nSubject: Delivery report\nMIME-Version: 1.0\n"
              "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n",
              "--B\nContent-Type: text/plain\n\nIt failed.\n--B--\n"),
  };
  for (const auto& m : automatic) {
    const auto out = s.ok({"mail"}, m);
    CHECK(out.rfind("skipped: ", 0) == 0);
  }
  CHECK(sql(s.db, "SELECT count(*) FROM cases") == "0\n");
  // Auto-Submitted: no is a person.
  CHECK(s.ok({"mail"}, message("From: a@example.com\nSubject: Hi\nAuto-Submitted: no\n")) ==
        "opened case #1 for a@example.com\n");
}

TEST_CASE(
    "[case #N] joins only when the customer sends it; the Date is used unless missing or future") {
  Sandbox s;
  s.ok({"open", "Ada", "Cracked vase", "--email", "ada@example.com"});
  CHECK(s.ok({"mail"}, message("From: Ada <ADA@example.com>\nSubject: Re: Cracked vase [case #1]\n"
                               "Date: Mon, 23 Nov 2026 12:00:00 +0000\n")) ==
        "added mail to case #1\n");
  CHECK(s.ok({"mail"}, message("From: Eve <eve@example.com>\nSubject: Re: Cracked vase [case #1]\n"
                               "Date: Sat, 23 Nov 2030 12:00:00 +0000\n")) ==
        "opened case #2 for Eve\n");
  // A Date in the future means now, as does none.
  CHECK(sql(s.db, "SELECT opened_at FROM cases WHERE id = 2") == "1795442700\n");
  s.ok({"mail"}, message("From: Zed <zed@example.com>\nSubject: (none)\n"));
  CHECK(sql(s.db, "SELECT opened_at FROM cases WHERE id = 3") == "1795442700\n");
}

TEST_CASE("HTML-only mail becomes readable text; scripts and styles never reach it") {
  Sandbox s;
  s.ok({"mail"},
       message("From: Ann <ann@example.com>\nSubject: Broken\nMIME-Version: 1.0\n"
               "Content-Type: text/html; charset=utf-8\n",
               "<html><head><style>p{color:red}</style></head><body><p>First &amp; "
               "foremost</p><script>alert(1)</script><p>See <a "
               "href=\"https://example.com/order/7\">my order</a></p><ul><li>one</li><li>two</"
               "li></ul></body></html>\n"));
  const auto c = json::parse(s.ok({"show", "1", "--json"}));
  CHECK(c["complaint"] ==
        "First & foremost\nSee my order <https://example.com/order/7>\n- one\n- two");
}

TEST_CASE(
    "mbox and maildir sources: each message once, in order, and a second run is all duplicates") {
  Sandbox s;
  const std::string mbox = "From maria@example.com Mon Nov 23 10:00:00 2026\n" +
                           message("From: maria@example.com\nSubject: One\nMessage-ID: <1@x>\n") +
                           "\nFrom bob@example.com Mon Nov 23 11:00:00 2026\n" +
                           message("From: bob@example.com\nSubject: Two\nMessage-ID: <2@x>\n",
                                   ">From here on it is broken.\n") +
                           "\nFrom cy@example.com Mon Nov 23 12:00:00 2026\n" +
                           message("From: cy@example.com\nSubject: Three\nMessage-ID: <3@x>\n");
  write_file(s.dir + "/inbox.mbox", mbox);
  const auto j = mail_json(s, {"inbox.mbox"});
  REQUIRE(j.size() == 3);
  CHECK(j[0]["source"] == "inbox.mbox#1");
  CHECK(j[2]["source"] == "inbox.mbox#3");
  CHECK(j[1]["message_id"] == "2@x");
  CHECK(j[1]["action"] == "opened");
  CHECK(sql(s.db, "SELECT summary FROM cases ORDER BY id") == "One\nTwo\nThree\n");
  std::filesystem::create_directories(s.dir + "/Maildir/new");
  std::filesystem::create_directories(s.dir + "/Maildir/cur");
  std::filesystem::create_directories(s.dir + "/Maildir/tmp");
  write_file(s.dir + "/Maildir/new/1700000000.a.host",
             message("From: d@example.com\nSubject: Four\nMessage-ID: <4@x>\n"));
  write_file(s.dir + "/Maildir/cur/1600000000.b.host:2,S",
             message("From: e@example.com\nSubject: Five\nMessage-ID: <5@x>\n"));
  CHECK(s.ok({"mail", "Maildir"}) ==
        "opened case #4 for d@example.com\nopened case #5 for e@example.com\n");
  const auto before = db_dump(s.db);
  const auto again = mail_json(s, {"Maildir", "inbox.mbox"});
  REQUIRE(again.size() == 5);
  for (const auto& r : again)
    CHECK(r["action"] == "duplicate");
  CHECK(db_dump(s.db) == before);
  // mend never changes a mailbox it reads.
  CHECK(std::filesystem::exists(s.dir + "/Maildir/new/1700000000.a.host"));
}

TEST_CASE(
    "mail refuses what is not mail (65, the others still taken) and a missing SOURCE (66, none "
    "taken)") {
  Sandbox s;
  write_file(s.dir + "/a.eml", message("From: a@example.com\nSubject: A\n"));
  write_file(s.dir + "/junk.txt", "");
  auto r = s.run({"mail", "a.eml", "missing.eml"});
  CHECK(r.code == 66);
  CHECK(r.out.empty());
  CHECK(r.err == "mend: no such file or folder: missing.eml\n");
  CHECK(!std::filesystem::exists(s.db));
  r = s.run({"mail", "junk.txt", "a.eml"});
  CHECK(r.code == 65);
  CHECK(r.out == "opened case #1 for a@example.com\n");
  CHECK(r.err == "mend: junk.txt is not a mail message; nothing was taken from it\n");
  r = s.run({"mail", "--priority", "sky-high"}, message("From: a@example.com\n"));
  CHECK(r.code == 64);
}

TEST_CASE(
    "a file over max_attachment is named in the timeline and not kept; options set the case") {
  Sandbox s;
  std::filesystem::create_directories(s.dir + "/.config/mend");
  write_file(s.dir + "/.config/mend/config.toml", "max_attachment = 1000\n");
  const std::string big(3000, 'x');
  s.ok({"mail", "--category", "Delivery", "--priority", "high", "--tag", "mail", "--owner", "Bea",
        "--due", "2026-11-30"},
       message("From: a@example.com\nSubject: Big\nMIME-Version: 1.0\n"
               "Content-Type: multipart/mixed; boundary=\"B\"\n",
               "--B\nContent-Type: text/plain\n\nSee the file.\n--B\n"
               "Content-Type: application/octet-stream\n"
               "Content-Disposition: attachment; filename=\"huge.bin\"\n\n" +
                   big + "\n--B--\n"));
  const auto c = json::parse(s.ok({"show", "1", "--json"}));
  CHECK(c["category"] == "delivery");
  CHECK(c["priority"] == "high");
  CHECK(c["tags"] == json::array({"mail"}));
  CHECK(c["owner"] == "Bea");
  CHECK(c["due_at"] == "2026-11-30T23:59:59Z");
  CHECK(c["attachments"].size() == 0);  // neither the file nor the message (over 1000 bytes)
  const std::string text = c["events"][1]["text"];
  CHECK(text.find("See the file.") == 0);
  CHECK(text.find("[not kept: huge.bin") != std::string::npos);
}

TEST_CASE("forget erases the mail headers with the words") {
  Sandbox s;
  s.ok({"mail"}, kComplaint);
  s.ok({"forget", "1", "--yes"});
  const auto c = json::parse(s.ok({"show", "1", "--json"}));
  const auto& m = c["events"][1]["message"];
  CHECK(m["id"] == "abc123@example.com");  // kept: the same mail must not come back as new
  CHECK(m["from"].is_null());
  CHECK(m["to"].is_null());
  CHECK(m["subject"].is_null());
  CHECK(s.ok({"mail"}, kComplaint) == "duplicate: already on case #1\n");
}

TEST_CASE(
    "mail from the owner's addresses: a reply joins as a reply, a forward opens the customer's "
    "case") {
  Sandbox s;
  std::filesystem::create_directories(s.dir + "/.config/mend");
  write_file(s.dir + "/.config/mend/config.toml",
             "from = \"Shop <me@shop.example>\"\naddresses = [\"orders@shop.example\"]\n");
  s.ok({"mail"}, kComplaint);
  // A reply the owner wrote in their own mail program (a Bcc to mend).
  CHECK(s.ok({"mail"}, message("From: Shop <ME@shop.example>\nTo: maria@example.com\n"
                               "Subject: Re: My vase arrived broken\nMessage-ID: <r1@shop>\n"
                               "In-Reply-To: <abc123@example.com>\n",
                               "A new vase is on its way.\n\n> The vase arrived in pieces.\n")) ==
        "added your reply to case #1\n");
  auto c = json::parse(s.ok({"show", "1", "--json"}));
  bool found = false;
  for (const auto& e : c["events"])
    if (e["kind"] == "reply") {
      found = true;
      CHECK(e["text"] == "A new vase is on its way.");
      CHECK(e["message"]["direction"] == "out");
    }
  CHECK(found);
  // Answered: not unanswered any more.
  for (const auto& d : json::parse(s.ok({"followup", "--json", "--within", "+30d"})))
    CHECK(d["reason"] != "unanswered");
  // A forward written the Gmail way.
  CHECK(s.ok({"mail"},
             message("From: orders@shop.example\nSubject: Fwd: Wrong size\nMessage-ID: <f1@shop>\n",
                     "This one came to the old address.\n\n"
                     "---------- Forwarded message ---------\n"
                     "From: Ann Lee <ann@example.com>\n"
                     "Date: Mon, 23 Nov 2026 at 09:00\n"
                     "Subject: Wrong size\n"
                     "To: <orders@shop.example>\n\n"
                     "The shoes are a size too small.\n")) == "opened case #2 for Ann Lee\n");
  c = json::parse(s.ok({"show", "2", "--json"}));
  CHECK(c["customer"]["email"] == "ann@example.com");
  CHECK(c["summary"] == "Wrong size");
  CHECK(c["complaint"] == "The shoes are a size too small.");
  std::vector<std::string> kinds;
  for (const auto& e : c["events"])
    kinds.push_back(e["kind"]);
  CHECK(std::find(kinds.begin(), kinds.end(), "note") != kinds.end());
  // A forward as an attached message.
  CHECK(s.ok({"mail"},
             message("From: me@shop.example\nSubject: Fwd: Late\nMessage-ID: <f2@shop>\n"
                     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"Q\"\n",
                     "--Q\nContent-Type: text/plain\n\nPlease look at this one.\n"
                     "--Q\nContent-Type: message/rfc822\n\n"
                     "From: Bo <bo@example.com>\nSubject: Late parcel\nMessage-ID: <orig@bo>\n"
                     "Date: Sun, 22 Nov 2026 08:00:00 +0000\n\nWhere is my parcel?\n--Q--\n")) ==
        "opened case #3 for Bo\n");
  c = json::parse(s.ok({"show", "3", "--json"}));
  CHECK(c["opened_at"] == "2026-11-22T08:00:00Z");
  CHECK(c["complaint"] == "Where is my parcel?");
  // Both Message-IDs are known now.
  CHECK(s.ok({"mail"},
             message("From: Bo <bo@example.com>\nSubject: Late parcel\nMessage-ID: <orig@bo>\n")) ==
        "duplicate: already on case #3\n");
  // Owner mail that answers nothing and forwards nothing is skipped.
  CHECK(s.ok({"mail"}, message("From: me@shop.example\nSubject: Note to self\n"))
            .rfind("skipped: ", 0) == 0);
}
