// libFuzzer harness: a reply from hostile text. The input is split at NUL
// bytes into a template, the customer's name, email and the case's summary,
// the subject of the customer's latest mail, and the reply's own words. The
// template is rendered, the message built by the GMime writer (the plugin's
// code, linked in) and read back by the GMime reader. Properties: no crash,
// no hang; errors are mend::Error only; a built message has exactly the
// headers mend wrote (no Cc or Bcc, one recipient, the sender it was given)
// and no line longer than 998 bytes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/mail.hpp"
#include "core/reply.hpp"
#include "mail/mail_plugin.h"

extern "C" int mend_mail_read_v1(const char*, size_t, long long, mend_mail_sink, void*);
extern "C" int mend_mail_mbox_v1(int, void (*)(void*, long long, long long), void*);
extern "C" char* mend_mail_build_v1(const mend_mail_outgoing*, size_t*);

namespace {

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mend::MailReader mail(reinterpret_cast<void*>(&mend_mail_read_v1),
                                     reinterpret_cast<void*>(&mend_mail_mbox_v1),
                                     reinterpret_cast<void*>(&mend_mail_build_v1));
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (parts.size() < 6) {
    const auto nul = in.find('\0', start);
    parts.emplace_back(
        in.substr(start, nul == std::string_view::npos ? in.size() - start : nul - start));
    if (nul == std::string_view::npos) break;
    start = nul + 1;
  }
  parts.resize(6);

  mend::Case c;
  c.id = 7;
  c.customer.name = parts[1];
  c.customer.email = parts[2];
  c.summary = parts[3];
  c.due_at = 1796428799;
  mend::Event e;
  e.kind = mend::EventKind::email;
  e.message = mend::Message{};
  e.message->id = "in@example.com";
  e.message->subject = parts[4];
  c.events.push_back(e);

  std::string body = parts[5];
  try {
    const mend::ReplyTemplate t{"fuzz", parts[0], "fuzz.txt"};
    body += mend::render_template(
        t, mend::reply_values(c, std::nullopt, std::string("Shop <s@shop.example>")));
  } catch (const mend::Error&) {
  }
  mend::Reply r;
  try {
    r = mend::make_reply(c, std::string("Shop \"Q\" <s@shop.example>"), "fuzz", body, 0,
                         parts[0].size() % 2 == 1);
  } catch (const mend::Error&) {
    return 0;
  }
  const auto bytes = mail.build(r.mail);
  if (!bytes) return 0;
  const auto header_end = bytes->find("\n\n");
  if (header_end == std::string::npos) std::abort();
  const std::string headers = lower(bytes->substr(0, header_end + 1));
  if (headers.find("\nbcc:") != std::string::npos || headers.find("\ncc:") != std::string::npos ||
      headers.find("\nreply-to:") != std::string::npos)
    std::abort();
  std::size_t line = 0;
  for (char ch : *bytes) {
    line = ch == '\n' ? 0 : line + 1;
    if (line > 998) std::abort();
  }
  const auto back = mail.read(*bytes, 1 << 20);
  if (!back) std::abort();
  if (back->from_address != "s@shop.example") std::abort();
  if (back->message_id != r.mail.message_id) std::abort();
  if (!back->to || back->to->find(r.mail.to_address) == std::string::npos) std::abort();
  return 0;
}
