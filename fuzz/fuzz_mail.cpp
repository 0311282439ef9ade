// libFuzzer harness: the whole intake path of `mend mail` but the database.
// GMime reads the bytes (the plugin's code, linked in), then the decisions
// mend makes on what it reports: automatic or not, the subject's summary, the
// [case #N] tag, the customer's own words, an inline forward. Properties: no
// crash, no hang, and every text is no longer than what it came from allows.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/mail.hpp"
#include "mail/mail_plugin.h"

extern "C" int mend_mail_read_v1(const char*, size_t, long long, mend_mail_sink, void*);
extern "C" int mend_mail_mbox_v1(int, void (*)(void*, long long, long long), void*);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mend::MailReader reader(reinterpret_cast<void*>(&mend_mail_read_v1),
                                       reinterpret_cast<void*>(&mend_mail_mbox_v1));
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const auto mail = reader.read(raw, 4096);
  if (!mail) return 0;
  (void)mend::automatic_reason(*mail);
  const auto summary = mend::subject_summary(mail->subject);
  if (summary.empty()) std::abort();
  (void)mend::case_tag(mail->subject);
  const auto words = mend::own_words(mail->body);
  if (words.size() > mail->body.size()) std::abort();
  if (auto f = mend::inline_forward(mail->body)) {
    if (f->from_address.empty()) std::abort();
    (void)mend::own_words(f->text);
  }
  for (const auto& file : mail->files)
    if (file.bytes.size() > 4096) std::abort();  // over the limit: named, never kept
  if (mail->forwarded) (void)mend::own_words(mail->forwarded->body);
  // The HTML converter on its own, over the raw bytes too.
  (void)mend::html_to_text(raw.substr(0, 4096));
  return 0;
}
