// Replies: the words mend writes to a customer (templates and their
// placeholders) and the headers of the message that carries them. Pure
// functions: building the bytes is the mail plugin's (MailReader::build),
// sending them is the CLI's.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mail.hpp"
#include "core/model.hpp"

namespace mend {

inline constexpr std::array<std::string_view, 5> kBuiltinTemplates = {"ack", "apology", "update",
                                                                      "resolution", "followup"};

// The text of a built-in template, or nothing for another name.
std::optional<std::string_view> builtin_template(std::string_view name);

struct ReplyTemplate {
  std::string name;
  std::string text;
  std::string source;  // the file it was read from, or "built-in template NAME"
};

// Template NAME: `templates_dir`/NAME.txt when there is one (a symlink is
// followed: the file is the user's wherever it lives; anything but a regular
// file is Error(data)), else the built-in one. A name that is neither, or not
// one plain word, is Error(usage) naming the templates there are.
ReplyTemplate load_template(const std::string& name, const std::string& templates_dir);

// What a placeholder stands for in one case: its text, or why it has none.
struct PlaceholderValue {
  std::optional<std::string> text;
  std::string missing;  // why there is no text ("case #3 has no resolution yet")
};
using ReplyValues = std::map<std::string, PlaceholderValue, std::less<>>;

// The values of {{customer}}, {{first_name}}, {{case}}, {{summary}}, {{due}}
// (a local date in words), {{outcome}}, {{amount}} (with its currency) and
// {{business}} (`business`, else the display name of `from`) for case `c`.
ReplyValues reply_values(const Case& c, const std::optional<std::string>& business,
                         const std::optional<std::string>& from);

// The template with every {{placeholder}} filled. An unknown placeholder, or
// one without a value, is Error(data) naming it, the template's source and
// the line: a reply is never sent half filled.
std::string render_template(const ReplyTemplate& t, const ReplyValues& values);

// Header text: every control character (C0, C1, DEL, and the Unicode line and
// paragraph separators) becomes a space, runs of spaces one space, trimmed. A
// header written from it can never start a new header line.
std::string header_text(std::string_view text);

// One plain address local@domain: printable ASCII without spaces, quotes,
// brackets, commas, semicolons or colons, one '@', a dot in the domain.
bool plain_address(std::string_view address);

// `Re: ` + the subject of the customer's latest mail (not doubling a Re:),
// else the summary, then ` [case #N]` (once).
std::string reply_subject(const Case& c);

// In-Reply-To: the latest Message-ID on the case; References: the case's
// Message-IDs, oldest first, at most `max_references` (the latest ones).
struct ReplyThread {
  std::string in_reply_to;
  std::vector<std::string> references;
};
ReplyThread reply_thread(const Case& c, std::size_t max_references = 10);

// A new Message-ID (without angle brackets) at `domain`. The acknowledgements
// of `mend mail --ack` have ids starting "ack.", which is how an ack is told
// apart from a reply a person wrote: it does not answer the customer.
std::string new_message_id(std::string_view domain, bool ack);
bool is_ack_message_id(std::string_view id);
// Whether the case already has an acknowledgement.
bool has_ack(const Case& c);

// The Date header for `t` in the local time zone: "Wed, 02 Dec 2026 10:00:00 +0100".
std::string rfc5322_date(Time t);

// The words of a command line split as a POSIX shell would, without running
// one: blanks separate words; single quotes keep everything; double quotes
// keep all but \" \\ \$ \`; a backslash outside quotes keeps the next
// character. No expansion of any kind. Error(usage) naming `what` for an
// unclosed quote or an empty command.
std::vector<std::string> split_command(std::string_view command, std::string_view what);

// A reply to case `c` with `body`, from `from` (the config key; `config_file`
// names where it is set). Error(usage) when `from` is missing or not one
// address; Error(data) when the customer has no email or one that is not a
// single plain address (saying how to set it).
struct Reply {
  OutgoingMail mail;
  Message message;  // the `reply` event's message (direction out)
};
Reply make_reply(const Case& c, const std::optional<std::string>& from,
                 const std::string& config_file, const std::string& body, Time now, bool ack);

}  // namespace mend
