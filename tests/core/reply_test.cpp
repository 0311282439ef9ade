#include "core/reply.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include "core/errors.hpp"
#include "core/liability.hpp"

using namespace mend;

namespace {

Case sample_case() {
  Case c;
  c.id = 12;
  c.customer.name = "Maria Gomez";
  c.customer.email = "maria@example.com";
  c.summary = "Vase arrived broken";
  c.due_at = 1796428799;  // 2026-12-04T23:59:59Z
  return c;
}

Event mail_event(const std::string& id, const std::string& subject, const std::string& dir) {
  Event e;
  e.kind = dir == "in" ? EventKind::email : EventKind::reply;
  Message m;
  m.id = id;
  m.subject = subject;
  m.direction = *parse_spelling<Direction>(dir);
  e.message = m;
  return e;
}

ErrorKind kind_of(const std::function<void()>& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.kind();
  }
  FAIL("no error");
  return ErrorKind::internal;
}

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/mend-reply-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("every built-in template fills from an open case but resolution, and admits no fault") {
  setenv("TZ", "UTC", 1);
  tzset();
  const Case c = sample_case();
  const auto values = reply_values(c, std::string("Corner Shop"), std::nullopt);
  for (auto name : kBuiltinTemplates) {
    const auto t = load_template(std::string(name), "");
    CHECK(t.source == "built-in template " + std::string(name));
    CHECK(!admitted_fault(t.text));
    if (name == "resolution") {
      CHECK(kind_of([&] { (void)render_template(t, values); }) == ErrorKind::data);
      continue;
    }
    const auto text = render_template(t, values);
    CHECK(text.find("{{") == std::string::npos);
    CHECK(text.find("Hello Maria,") == 0);
    CHECK(text.find("Corner Shop") != std::string::npos);
  }
  const auto ack = render_template(load_template("ack", ""), values);
  CHECK(ack.find("case #12") != std::string::npos);
  CHECK(ack.find("Friday 4 December 2026") != std::string::npos);
}

TEST_CASE("the resolution template names the remedy and the amount with its currency") {
  Case c = sample_case();
  c.resolution = Resolution{};
  c.resolution->outcome = Outcome::refund;
  c.resolution->amount_cents = 4550;
  c.resolution->currency = "EUR";
  const auto text = render_template(load_template("resolution", ""),
                                    reply_values(c, std::nullopt, std::string("Shop <s@x.org>")));
  CHECK(text.find("refund, €45.50") != std::string::npos);
  CHECK(text.find("\nShop\n") != std::string::npos);
}

TEST_CASE("an unknown or unfilled placeholder is refused naming it, the template and the line") {
  const Case c = sample_case();
  const auto values = reply_values(c, std::string("Shop"), std::nullopt);
  ReplyTemplate t{"mine", "Hello {{customer}},\n\nYour {{colour}} vase.\n", "/cfg/mine.txt"};
  std::string message;
  CHECK(kind_of([&] { (void)render_template(t, values); }, &message) == ErrorKind::data);
  CHECK(message.find("{{colour}}") != std::string::npos);
  CHECK(message.find("/cfg/mine.txt, line 3") != std::string::npos);

  t.text = "Hi\n{{amount}}";
  CHECK(kind_of([&] { (void)render_template(t, values); }, &message) == ErrorKind::data);
  CHECK(message.find("{{amount}}") != std::string::npos);
  CHECK(message.find("line 2") != std::string::npos);
  CHECK(message.find("no resolution") != std::string::npos);

  t.text = "{{ first_name }} and {{case}}";
  CHECK(render_template(t, values) == "Maria and 12");
  t.text = "an unclosed {{customer\n}}";
  CHECK(kind_of([&] { (void)render_template(t, values); }) == ErrorKind::data);
}

TEST_CASE("{{business}} comes from business_name, else from's display name, else is refused") {
  const Case c = sample_case();
  CHECK(reply_values(c, std::nullopt, std::string("\"Corner Shop\" <s@x.org>"))["business"].text ==
        "Corner Shop");
  CHECK(!reply_values(c, std::nullopt, std::string("s@x.org"))["business"].text);
  CHECK(!reply_values(c, std::string("  "), std::nullopt)["business"].text);
}

TEST_CASE("a template file replaces the built-in one; a symlink is followed; a FIFO is refused") {
  TempDir d;
  {
    std::ofstream(d.path + "/ack.txt") << "Mine, {{first_name}}.\n";
    std::ofstream(d.path + "/../mend-reply-outside.txt") << "Outside.\n";
  }
  CHECK(load_template("ack", d.path).text == "Mine, {{first_name}}.\n");
  CHECK(load_template("ack", d.path).source == d.path + "/ack.txt");
  CHECK(load_template("apology", d.path).source == "built-in template apology");
  REQUIRE(::symlink((d.path + "/../mend-reply-outside.txt").c_str(),
                    (d.path + "/update.txt").c_str()) == 0);
  CHECK(load_template("update", d.path).text == "Outside.\n");
  REQUIRE(::mkfifo((d.path + "/followup.txt").c_str(), 0600) == 0);
  std::string message;
  CHECK(kind_of([&] { (void)load_template("followup", d.path); }, &message) == ErrorKind::data);
  CHECK(message.find("not a regular file") != std::string::npos);
  std::filesystem::create_directory(d.path + "/resolution.txt");
  CHECK(kind_of([&] { (void)load_template("resolution", d.path); }) == ErrorKind::data);
  CHECK(kind_of([&] { (void)load_template("nope", d.path); }) == ErrorKind::usage);
  CHECK(kind_of([&] { (void)load_template("../x", d.path); }) == ErrorKind::usage);
  std::filesystem::remove(d.path + "/../mend-reply-outside.txt");
}

TEST_CASE("the subject answers the customer's latest mail once, tagged with the case once") {
  Case c = sample_case();
  CHECK(reply_subject(c) == "Vase arrived broken [case #12]");
  c.events.push_back(mail_event("a@x", "My vase", "in"));
  CHECK(reply_subject(c) == "Re: My vase [case #12]");
  c.events.push_back(mail_event("b@x", "RE: My vase [case #12]", "in"));
  c.events.push_back(mail_event("c@x", "Re: something I wrote", "out"));
  CHECK(reply_subject(c) == "RE: My vase [case #12]");
  c.events.push_back(mail_event("d@x", "Line\r\nBcc: evil@x.org", "in"));
  CHECK(reply_subject(c) == "Re: Line Bcc: evil@x.org [case #12]");
}

TEST_CASE("the thread names the latest message and at most ten references, oldest first") {
  Case c = sample_case();
  CHECK(reply_thread(c).in_reply_to.empty());
  for (int i = 1; i <= 12; ++i)
    c.events.push_back(mail_event("m" + std::to_string(i) + "@x", "s", i % 2 ? "in" : "out"));
  c.events.push_back(mail_event("bad id@x", "s", "in"));  // never written into a header
  const auto t = reply_thread(c);
  CHECK(t.in_reply_to == "m12@x");
  REQUIRE(t.references.size() == 10);
  CHECK(t.references.front() == "m3@x");
  CHECK(t.references.back() == "m12@x");
}

TEST_CASE("header text can never start a header line") {
  CHECK(header_text("Maria\r\nBcc: x@y") == "Maria Bcc: x@y");
  CHECK(header_text("  a\tb\x7f"
                    " c \xc2\x85"
                    " d\xe2\x80\xa8") == "a b c d");
  CHECK(header_text("Mar\xc3\xad"
                    "a") ==
        "Mar\xc3\xad"
        "a");
}

TEST_CASE("only one plain address is an address") {
  CHECK(plain_address("maria@example.com"));
  CHECK(plain_address("a.b+c@mail.example.co.uk"));
  CHECK(!plain_address("a@b.c\nBcc: x@y"));
  CHECK(!plain_address("a@b.c, x@y.z"));
  CHECK(!plain_address("Maria <a@b.c>"));
  CHECK(!plain_address("a@b"));
  CHECK(!plain_address("a@@b.c"));
  CHECK(!plain_address("@b.c"));
  CHECK(!plain_address("a b@c.d"));
}

TEST_CASE("Message-IDs are new each time, at the sender's domain, and acks are recognised") {
  const auto a = new_message_id("shop.example", false);
  const auto b = new_message_id("shop.example", false);
  CHECK(a != b);
  CHECK(a.size() > 20);
  CHECK(a.substr(a.size() - 13) == "@shop.example");
  CHECK(!is_ack_message_id(a));
  CHECK(is_ack_message_id(new_message_id("shop.example", true)));
  Case c = sample_case();
  CHECK(!has_ack(c));
  c.events.push_back(mail_event(new_message_id("s.x", true), "s", "out"));
  CHECK(has_ack(c));
}

TEST_CASE("the Date header is RFC 5322 in the local zone") {
  setenv("TZ", "Europe/Berlin", 1);
  tzset();
  CHECK(rfc5322_date(1796335200) == "Thu, 03 Dec 2026 23:00:00 +0100");
  setenv("TZ", "America/St_Johns", 1);
  tzset();
  CHECK(rfc5322_date(1796335200) == "Thu, 03 Dec 2026 18:30:00 -0330");
  setenv("TZ", "UTC", 1);
  tzset();
  CHECK(rfc5322_date(0) == "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST_CASE("a command line splits as a shell would, without running one") {
  using V = std::vector<std::string>;
  CHECK(split_command("/usr/sbin/sendmail -t -i", "x") == V{"/usr/sbin/sendmail", "-t", "-i"});
  CHECK(split_command("msmtp  -a 'my account' -t", "x") == V{"msmtp", "-a", "my account", "-t"});
  CHECK(split_command(R"(a "b \"c\" \$d" e\ f 'g\h')", "x") == V{"a", "b \"c\" $d", "e f", "g\\h"});
  CHECK(split_command("a ''", "x") == V{"a", ""});
  CHECK(split_command("echo $HOME;rm -rf x", "x") == V{"echo", "$HOME;rm", "-rf", "x"});
  CHECK(kind_of([] { (void)split_command("a 'b", "x"); }) == ErrorKind::usage);
  CHECK(kind_of([] { (void)split_command("a \"b", "x"); }) == ErrorKind::usage);
  CHECK(kind_of([] { (void)split_command("   ", "x"); }) == ErrorKind::usage);
}

TEST_CASE("a reply needs from (64) and a customer with one plain address (65)") {
  Case c = sample_case();
  std::string message;
  CHECK(
      kind_of(
          [&] { (void)make_reply(c, std::nullopt, "/h/.config/mend/config.toml", "x", 0, false); },
          &message) == ErrorKind::usage);
  CHECK(message.find("from") != std::string::npos);
  CHECK(message.find("/h/.config/mend/config.toml") != std::string::npos);
  CHECK(kind_of([&] { (void)make_reply(c, std::string("Shop"), "f", "x", 0, false); }) ==
        ErrorKind::usage);
  c.customer.email.reset();
  CHECK(kind_of([&] { (void)make_reply(c, std::string("s@x.org"), "f", "x", 0, false); },
                &message) == ErrorKind::data);
  CHECK(message.find("mend edit 12 --email") != std::string::npos);
  c.customer.email = "a@b.c\nBcc: x@y.org";
  CHECK(kind_of([&] { (void)make_reply(c, std::string("s@x.org"), "f", "x", 0, false); }) ==
        ErrorKind::data);
}

TEST_CASE("a reply's message: names cleaned, body with LF line ends, the event's message out") {
  Case c = sample_case();
  c.customer.name = "Maria\r\nBcc: evil@x.org";
  c.events.push_back(mail_event("in1@example.com", "My vase", "in"));
  const auto r = make_reply(c, std::string("Corner Shop <shop@corner.example>"), "f",
                            "Hello\r\nthere\rend", 0, true);
  CHECK(r.mail.to_name == "Maria Bcc: evil@x.org");
  CHECK(r.mail.to_address == "maria@example.com");
  CHECK(r.mail.from_name == "Corner Shop");
  CHECK(r.mail.body == "Hello\nthere\nend\n");
  CHECK(make_reply(c, std::string("s@x.org"), "f", "Hi\n\n  \n\n", 0, false).mail.body == "Hi\n");
  CHECK(r.mail.in_reply_to == "in1@example.com");
  CHECK(r.mail.auto_submitted);
  CHECK(is_ack_message_id(r.mail.message_id));
  CHECK(r.message.direction == Direction::out);
  CHECK(r.message.id == r.mail.message_id);
  CHECK(r.message.to == "Maria Bcc: evil@x.org <maria@example.com>");
  CHECK(r.message.subject == "Re: My vase [case #12]");
}
