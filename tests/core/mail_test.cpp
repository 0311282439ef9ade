#include "core/mail.hpp"

#include <doctest/doctest.h>

using namespace mend;

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
