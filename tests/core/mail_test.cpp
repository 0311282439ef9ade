#include "core/mail.hpp"

#include <doctest/doctest.h>

using namespace mend;

TEST_CASE("inline_forward reads German Outlook, Gmail and Apple Mail forwards") {
  auto f = inline_forward(
      "Bitte ansehen.\n\n________________________________\n"
      "Von: Lena Vogel <lena@example.de>\nGesendet: Montag, 23. November 2026 09:00\n"
      "An: orders@shop.example\nBetreff: Falsche Farbe\n\nDie Tasse ist rot.\n");
  REQUIRE(f);
  CHECK(f->note == "Bitte ansehen.");
  CHECK(f->from_name == "Lena Vogel");
  CHECK(f->from_address == "lena@example.de");
  CHECK(f->subject == "Falsche Farbe");
  CHECK(f->text == "Die Tasse ist rot.");
  f = inline_forward(
      "Siehe unten\n\n---------- Weitergeleitete Nachricht ---------\n"
      "Von: Ann <ann@example.com>\nDatum: Mo., 23. Nov. 2026 um 09:00\nBetreff: Zu klein\n\n"
      "Die Schuhe sind zu klein.\n");
  REQUIRE(f);
  CHECK(f->from_address == "ann@example.com");
  CHECK(f->subject == "Zu klein");
  f = inline_forward(
      "Anfang der weitergeleiteten Nachricht:\n\nVon: Bo <bo@example.com>\nBetreff: Kaputt\n\nX\n");
  REQUIRE(f);
  CHECK(f->from_address == "bo@example.com");
  CHECK(f->text == "X");
}

TEST_CASE("inline_forward reads an Outlook header block with no line above it") {
  const auto f = inline_forward(
      "See below.\n\nFrom: Lee Chan <lee@example.com>\nSent: Monday, November 23, 2026 9:00 AM\n"
      "To: orders@shop.example\nSubject: Wrong colour\n\nThe mug is red.\n");
  REQUIRE(f);
  CHECK(f->note == "See below.");
  CHECK(f->from_address == "lee@example.com");
  CHECK(f->subject == "Wrong colour");
  CHECK(f->text == "The mug is red.");
  // A line that merely starts "From:" is no forward.
  CHECK_FALSE(inline_forward("From: the shop, with love\nThanks\n"));
}

TEST_CASE("own_words leaves out a German Outlook quote block") {
  CHECK(own_words("Danke!\n\nVon: Shop <me@shop.example>\nGesendet: Montag\nAn: x@y\n\nAlt.\n") ==
        "Danke!");
  CHECK(own_words("Thanks!\n\nFrom: Shop <me@shop.example>\nSent: Monday\n\nOld.\n") == "Thanks!");
}

TEST_CASE("a bounce is a bounce even when its server marks it Auto-Submitted") {
  ParsedMail m;
  m.from_address = "MAILER-DAEMON@mx.example.net";
  m.marks = {"Auto-Submitted: auto-replied"};
  CHECK(automatic_reason(m) == "bounce");
  m.from_address = "a@example.com";
  m.content_type = "multipart/report";
  CHECK(automatic_reason(m) == "bounce");
  m.content_type = "text/plain";
  CHECK(automatic_reason(m) == "automatic reply");
}

TEST_CASE("html_to_text: one line per block, an empty line only from <br>") {
  CHECK(html_to_text("<div><p>Hello,</p><p>the shelf</p>\n<ul><li>a</li><li>b</li></ul></div>") ==
        "Hello,\nthe shelf\n- a\n- b");
  CHECK(html_to_text("one<br>two<br><br>three<br><br><br><br>four") == "one\ntwo\n\nthree\n\nfour");
}

TEST_CASE("forwarded_date reads dates that name their zone, and no others") {
  CHECK(forwarded_date("Mon, 23 Nov 2026 08:00:00 +0000") == 1795420800);
  CHECK(forwarded_date("Mon, 23 Nov 2026 09:00:00 +0100") == 1795420800);
  CHECK(forwarded_date("23 November 2026 at 08:00:00 GMT") == 1795420800);
  CHECK(forwarded_date("Monday, 23 November 2026 08:00 UTC") == 1795420800);
  CHECK_FALSE(forwarded_date("Mon, 23 Nov 2026 at 09:00"));          // Gmail: no zone
  CHECK_FALSE(forwarded_date("Monday, November 23, 2026 9:00 AM"));  // Outlook: no zone
  CHECK_FALSE(forwarded_date("yesterday"));
  CHECK_FALSE(forwarded_date("Mon, 23 Nov 2026 25:00:00 +0000"));
}

TEST_CASE("inline_forward takes the forwarded date when it names its zone") {
  const auto f = inline_forward(
      "FYI\n\n-------- Forwarded Message --------\nSubject: \tX\n"
      "Date: \tMon, 23 Nov 2026 08:00:00 +0000\nFrom: \tKim <kim@example.com>\n\nText\n");
  REQUIRE(f);
  CHECK(f->date == 1795420800);
}
