// mend mail on the corpus in tests/mail/: messages shaped as real mail
// programs write them, each checked through --json.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "data_support.hpp"
#include "harness.hpp"

using mend::test::Sandbox;
using mend::test::sql;
using mend::test::write_file;
using nlohmann::json;

namespace {

// After every Date in the corpus but the one in the future.
const char* const kNow = "2026-11-30T12:00:00Z";

std::string corpus(const std::string& name) {
  return std::string(MEND_SOURCE_DIR) + "/tests/mail/" + name;
}

// The one line of `mend mail FILE --json`.
json take(const Sandbox& s, const std::string& name) {
  const auto j = json::parse(s.ok({"mail", corpus(name), "--json"}));
  REQUIRE(j.size() == 1);
  return j[0];
}

json show(const Sandbox& s, int id) {
  return json::parse(s.ok({"show", std::to_string(id), "--json"}));
}

// The events of a case of one kind, in order.
std::vector<json> events(const json& c, const std::string& kind) {
  std::vector<json> out;
  for (const auto& e : c["events"])
    if (e["kind"] == kind) out.push_back(e);
  return out;
}

// A sandbox whose owner writes from me@shop.example.
void owner_config(const Sandbox& s) {
  std::filesystem::create_directories(s.dir + "/.config/mend");
  write_file(s.dir + "/.config/mend/config.toml", "from = \"Shop <me@shop.example>\"\n");
}

// A forward from the owner opened one case for the customer, with the
// customer's words as the complaint and the owner's as a note.
void check_forward(const Sandbox& s, const std::string& file, const std::string& forward_id,
                   const std::string& name, const std::string& address, const std::string& summary,
                   const std::string& complaint, const std::string& note,
                   const std::string& opened_at) {
  CAPTURE(file);
  const auto r = take(s, file);
  CHECK(r["action"] == "opened");
  CHECK(r["message_id"] == forward_id);
  const auto c = show(s, r["case"].get<int>());
  CHECK(c["customer"]["name"] == name);
  CHECK(c["customer"]["email"] == address);
  CHECK(c["summary"] == summary);
  CHECK(c["complaint"] == complaint);
  CHECK(c["channel"] == "email");
  CHECK(c["opened_at"] == opened_at);
  const auto notes = events(c, "note");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["text"] == note);
  const auto mails = events(c, "email");
  REQUIRE(mails.size() == 1);
  CHECK(mails[0]["text"] == complaint);
  CHECK(mails[0]["message"]["direction"] == "in");
  // The forward itself is known now: taking it again changes nothing.
  const auto again = take(s, file);
  CHECK(again["action"] == "duplicate");
  CHECK(again["case"] == r["case"]);
}

}  // namespace

TEST_CASE("corpus: an ISO-2022-JP mail, subject and name B-encoded, is read as UTF-8") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  const auto r = take(s, "iso2022jp.eml");
  CHECK(r == json{{"source", corpus("iso2022jp.eml")},
                  {"message_id", "jp-1@example.jp"},
                  {"action", "opened"},
                  {"case", 1},
                  {"reason", nullptr}});
  const auto c = show(s, 1);
  CHECK(c["customer"]["name"] == "山田 太郎");
  CHECK(c["customer"]["email"] == "taro@example.jp");
  CHECK(c["summary"] == "注文した花瓶が割れていました");
  CHECK(c["complaint"] == "花瓶が割れて届きました。\n返金をお願いします。");
  CHECK(c["opened_at"] == "2026-11-23T00:15:00Z");  // 09:15 in Japan
  const auto mails = events(c, "email");
  REQUIRE(mails.size() == 1);
  CHECK(mails[0]["message"]["from"] == "山田 太郎 <taro@example.jp>");
  CHECK(mails[0]["message"]["subject"] == "注文した花瓶が割れていました");
}

TEST_CASE("corpus: a Windows-1252 body keeps its curly quotes, dash and euro sign") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  CHECK(take(s, "cp1252.eml")["action"] == "opened");
  const auto c = show(s, 1);
  CHECK(c["complaint"] ==
        "Hello,\n\nThe \u201cexpress\u201d delivery cost me \u20ac12 and it\u2019s three days "
        "late \u2013 where is my order?\n\nRegards,\nJos\u00e9");
  CHECK(c["opened_at"] == "2026-11-24T07:00:00Z");
}

TEST_CASE("corpus: ISO-8859-1 quoted-printable body and Q-encoded headers") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  CHECK(take(s, "latin1_qp.eml")["action"] == "opened");
  const auto c = show(s, 1);
  CHECK(c["customer"]["name"] == "Jürgen Müller");
  CHECK(c["summary"] == "Kühlschrank mit Delle");
  CHECK(c["complaint"] ==
        "Der Kühlschrank kam mit einer Delle an. Ich möchte ihn zurückgeben.\n\nGrüße\nJürgen "
        "Müller");
}

TEST_CASE("corpus: an HTML-only mail becomes text: lines, entities, links, no script or title") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  CHECK(take(s, "html_only.eml")["action"] == "opened");
  const auto c = show(s, 1);
  CHECK(c["complaint"] ==
        "Hello,\nthe shelf came without screws & brackets.\n- 2 screws\n- 4 brackets\nOrder: "
        "#42 <https://shop.example/orders/42>\nThanks \u2014 Ann");
}

TEST_CASE("corpus: inline forwards as Thunderbird, Outlook, Gmail and Apple Mail write them") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  owner_config(s);
  // Thunderbird and Apple Mail give the forwarded mail's date with its zone;
  // Gmail and Outlook give a wall clock with none, so the forward's own Date
  // stands in.
  const std::string kForwardedAt = "2026-11-26T10:00:00Z";
  check_forward(s, "fwd_thunderbird.eml", "tb-fwd@shop.example", "Kim Park", "kim@example.com",
                "Torn jacket", "The jacket has a tear in the left sleeve.\nI want a replacement.",
                "Came in on the old address.", "2026-11-23T08:00:00Z");
  check_forward(s, "fwd_outlook.eml", "ol-fwd@shop.example", "Lee Chan", "lee@example.com",
                "Wrong colour", "I ordered the blue mug and got a red one.", "See below.",
                kForwardedAt);
  check_forward(s, "fwd_outlook_de.eml", "ol-de-fwd@shop.example", "Lena Vogel", "lena@example.de",
                "Falsche Farbe", "Ich habe die blaue Tasse bestellt und eine rote bekommen.",
                "Bitte ansehen.", kForwardedAt);
  check_forward(s, "fwd_gmail.eml", "gm-fwd@shop.example", "Sam Ortiz", "sam.ortiz@example.com",
                "Late order", "My order #77 is a week late.", "From the contact form.",
                kForwardedAt);
  check_forward(s, "fwd_apple.eml", "ap-fwd@shop.example", "Noor Haddad", "noor@example.com",
                "Scratched table", "The table top is scratched.", "Forwarding from my phone.",
                "2026-11-23T09:00:00Z");
  CHECK(sql(s.db, "SELECT count(*) FROM cases") == "5\n");
}

TEST_CASE("corpus: an attached message/rfc822 forward opens the customer's case at its Date") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  owner_config(s);
  check_forward(s, "fwd_attached.eml", "att-fwd@shop.example", "Omar Said", "omar@example.com",
                "Broken lamp", "The lamp arrived broken.", "Please deal with this one.",
                "2026-11-22T08:00:00Z");
  const auto c = show(s, 1);
  CHECK(c["opened_at"] == "2026-11-22T08:00:00Z");
  CHECK(events(c, "email")[0]["message"]["id"] == "lamp-1@example.com");
  bool kept = false;
  for (const auto& a : c["attachments"])
    kept = kept || a["name"] == "Broken lamp.eml";
  CHECK(kept);
  // The customer's original, sent again on its own, is a duplicate too.
  write_file(s.dir + "/original.eml",
             "From: Omar Said <omar@example.com>\nSubject: Broken lamp\n"
             "Message-ID: <lamp-1@example.com>\n\nThe lamp arrived broken.\n");
  CHECK(s.ok({"mail", "original.eml"}) == "duplicate: already on case #1\n");
}

TEST_CASE("corpus: an answer joins its case and its quoted earlier mail is left out") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  CHECK(take(s, "complaint.eml")["action"] == "opened");
  const auto r = take(s, "reply_quoted.eml");
  CHECK(r["action"] == "added");
  CHECK(r["case"] == 1);
  CHECK(r["message_id"] == "vase-2@example.com");
  const auto mails = events(show(s, 1), "email");
  REQUIRE(mails.size() == 2);
  CHECK(mails[1]["text"] == "Any news about my refund?\nThanks, Maria");
  CHECK(mails[1]["at"] == "2026-11-25T10:00:00Z");
  CHECK(sql(s.db, "SELECT count(*) FROM cases") == "1\n");
}

TEST_CASE("corpus: an attachment's RFC 2231 file name is decoded") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  CHECK(take(s, "attachment_rfc2231.eml")["action"] == "opened");
  const auto c = show(s, 1);
  CHECK(c["complaint"] == "The invoice charges me twice.");
  REQUIRE(c["attachments"].size() == 2);
  CHECK(c["attachments"][0]["type"] == "message/rfc822");
  CHECK(c["attachments"][1]["name"] == "Räkning märz.pdf");
  CHECK(c["attachments"][1]["type"] == "application/pdf");
  CHECK(c["attachments"][1]["size"] == 15);
}

TEST_CASE("corpus: a bounce is skipped as a bounce, an auto-reply as one, even with [case #N]") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  take(s, "complaint.eml");
  const auto bounce = take(s, "bounce.eml");
  CHECK(bounce["action"] == "skipped");
  CHECK(bounce["case"].is_null());
  CHECK(bounce["reason"] == "bounce");
  const auto away = take(s, "autoreply.eml");
  CHECK(away["action"] == "skipped");
  CHECK(away["case"].is_null());
  CHECK(away["reason"] == "automatic reply");
  CHECK(sql(s.db, "SELECT count(*) FROM cases") == "1\n");
  CHECK(events(show(s, 1), "email").size() == 1);
}

TEST_CASE("corpus: a mail without Message-ID is known by its bytes the second time") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  const auto first = take(s, "no_message_id.eml");
  CHECK(first["action"] == "opened");
  CHECK(first["message_id"].is_null());
  const auto c = show(s, 1);
  CHECK(c["complaint"] == "My parcel never came.");
  CHECK(c["opened_at"] == "2026-11-23T15:00:00Z");
  const auto before = mend::test::db_dump(s.db);
  const auto again = take(s, "no_message_id.eml");
  CHECK(again["action"] == "duplicate");
  CHECK(again["case"] == 1);
  CHECK(mend::test::db_dump(s.db) == before);
  CHECK(sql(s.db, "SELECT count(*) FROM cases") == "1\n");
}

TEST_CASE("corpus: a Date in the future means now, for the case and its mail") {
  Sandbox s;
  s.env["MEND_NOW"] = kNow;
  CHECK(take(s, "future_date.eml")["action"] == "opened");
  const auto c = show(s, 1);
  CHECK(c["opened_at"] == "2026-11-30T12:00:00Z");
  CHECK(events(c, "email")[0]["at"] == "2026-11-30T12:00:00Z");
  CHECK(c["due_at"] == "2026-12-02T12:00:00Z");
}
