// Handing a message to the owner's mail system: the `sendmail` command of the
// config, run without a shell, the message on its stdin.
#pragma once

#include <string>

#include "cli/config.hpp"
#include "core/mail.hpp"
#include "core/model.hpp"
#include "core/reply.hpp"

namespace mend::cli {

// How long the command may run: 60 s, or MEND_SENDMAIL_TIMEOUT seconds (for
// tests of a command that hangs).
int sendmail_timeout_seconds();

// Runs `command` (split into words as a POSIX shell would, no shell run) with
// `message` on its stdin, its output and errors captured. Returns only when
// it exited 0; otherwise Error(busy) (exit 75: nothing was sent, try again)
// saying what it printed, or that it was not found, or that it ran past the
// time limit (then it and its children are killed).
void run_sendmail(const std::string& command, const std::string& message);

// The file the config is read from (it need not exist), for messages that
// name a key to set.
std::string config_file_for_messages(const Config& config);

// Where reply templates live: templates/ beside the config file ("" when no
// config folder can be named).
std::string reply_templates_dir();

struct Context;

// The reply to case `c` with `body` as bytes ready to send, and the event
// that records it. Error(usage) without `from`; Error(data) when the
// customer has no usable address.
Reply build_reply(Context& ctx, const MailReader& writer, const Case& c, const std::string& body,
                  bool ack, std::string& bytes);

// Sends a built reply and records it: nothing is recorded unless the mail
// command exits 0; a record that fails after the send is Error(io) saying
// the mail went out. Returns the case afterwards.
Case send_and_record(Context& ctx, std::int64_t case_id, const Reply& reply,
                     const std::string& bytes);

}  // namespace mend::cli
