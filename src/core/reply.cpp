#include "core/reply.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/errors.hpp"
#include "core/limits.hpp"
#include "core/money.hpp"
#include "core/store.hpp"

namespace mend {
namespace {

// The built-in templates: short, warm, specific, and none of them admits
// fault (the playbook: apologise for the experience, not for a cause nobody
// has established yet).
constexpr std::string_view kAck =
    "Hello {{first_name}},\n"
    "\n"
    "Thank you for writing to us. We have your message about \"{{summary}}\", and it\n"
    "is now case #{{case}} with us. We are looking into it, and you will hear back\n"
    "from us by {{due}}.\n"
    "\n"
    "If there is anything you would like to add, just reply to this email.\n"
    "\n"
    "Kind regards,\n"
    "{{business}}\n";

constexpr std::string_view kApology =
    "Hello {{first_name}},\n"
    "\n"
    "I am sorry for the trouble you have had with \"{{summary}}\". I understand how\n"
    "frustrating this is, and I want to help put it right.\n"
    "\n"
    "I am looking into what happened and will write to you again by {{due}} with\n"
    "what we can do.\n"
    "\n"
    "Kind regards,\n"
    "{{business}}\n";

constexpr std::string_view kUpdate =
    "Hello {{first_name}},\n"
    "\n"
    "A short update on case #{{case}} (\"{{summary}}\"): we are still working on it,\n"
    "and you will hear from us again by {{due}}.\n"
    "\n"
    "Thank you for your patience.\n"
    "\n"
    "Kind regards,\n"
    "{{business}}\n";

constexpr std::string_view kResolution =
    "Hello {{first_name}},\n"
    "\n"
    "Thank you for bearing with us on case #{{case}} (\"{{summary}}\"). We have\n"
    "arranged this for you: {{outcome}}, {{amount}}.\n"
    "\n"
    "If anything is still not right, just reply to this email and we will look at\n"
    "it again.\n"
    "\n"
    "Kind regards,\n"
    "{{business}}\n";

constexpr std::string_view kFollowup =
    "Hello {{first_name}},\n"
    "\n"
    "We are checking in on case #{{case}} (\"{{summary}}\"). Is everything all right\n"
    "now?\n"
    "\n"
    "If something is still not as it should be, just reply to this email and we\n"
    "will help.\n"
    "\n"
    "Kind regards,\n"
    "{{business}}\n";

constexpr const char* kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};

bool plain_word(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (!(std::isalnum(c) || c == '-' || c == '_')) return false;
  }
  return true;
}

std::string known_templates() {
  std::string out;
  for (auto n : kBuiltinTemplates)
    out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

// The file's whole bytes, read without blocking on a FIFO or a device.
std::optional<std::string> read_template_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail(ErrorKind::data, "cannot read the template " + path + ": " + std::strerror(errno));
  }
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } close_fd{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    fail(ErrorKind::data, "the template " + path + " is not a regular file; make it one");
  if (st.st_size > static_cast<off_t>(kMaxLongText))
    fail(ErrorKind::data, "the template " + path + " is larger than a reply may be");
  std::string out;
  char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      fail(ErrorKind::data, "cannot read the template " + path + ": " + std::strerror(errno));
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > kMaxLongText)
      fail(ErrorKind::data, "the template " + path + " is larger than a reply may be");
  }
  return out;
}

std::string trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string(s);
}

std::string domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : std::string(address.substr(at + 1));
}

// "Name <addr>" as the event records it, or the bare address.
std::string shown_address(const std::string& name, const std::string& address) {
  return name.empty() ? address : name + " <" + address + ">";
}

bool starts_with_re(std::string_view s) {
  return s.size() >= 3 && (s[0] == 'R' || s[0] == 'r') && (s[1] == 'E' || s[1] == 'e') &&
         s[2] == ':';
}

// The subject without every " [case #N]" tag for this case, so it is added once.
std::string without_tag(std::string subject, std::int64_t id) {
  const std::string tag = "[case #" + std::to_string(id) + "]";
  for (std::size_t pos; (pos = subject.find(tag)) != std::string::npos;)
    subject.erase(pos, tag.size());
  return header_text(subject);
}

// Message-IDs fit for a References header: printable ASCII, no spaces or brackets.
bool plain_message_id(std::string_view id) {
  if (id.empty() || id.size() > 250) return false;
  for (char ch : id) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == '<' || c == '>' || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> builtin_template(std::string_view name) {
  if (name == "ack") return kAck;
  if (name == "apology") return kApology;
  if (name == "update") return kUpdate;
  if (name == "resolution") return kResolution;
  if (name == "followup") return kFollowup;
  return std::nullopt;
}

ReplyTemplate load_template(const std::string& name, const std::string& templates_dir) {
  if (!plain_word(name))
    fail(ErrorKind::usage, "--template takes a template name (letters, digits, - and _), not '" +
                               name + "'; built in: " + known_templates());
  ReplyTemplate t;
  t.name = name;
  if (!templates_dir.empty()) {
    const std::string path = templates_dir + "/" + name + ".txt";
    if (auto text = read_template_file(path)) {
      t.text = std::move(*text);
      t.source = path;
      return t;
    }
  }
  if (auto text = builtin_template(name)) {
    t.text = std::string(*text);
    t.source = "built-in template " + name;
    return t;
  }
  fail(ErrorKind::usage, "no template named '" + name + "'" +
                             (templates_dir.empty() ? "" : " in " + templates_dir) +
                             "; built in: " + known_templates());
}

ReplyValues reply_values(const Case& c, const std::optional<std::string>& business,
                         const std::optional<std::string>& from) {
  ReplyValues v;
  const std::string case_words = "case #" + std::to_string(c.id);
  v["customer"].text = c.customer.name;
  const std::string name = trim_spaces(c.customer.name);
  const auto space = name.find_first_of(" \t");
  v["first_name"].text = name.substr(0, space);
  v["case"].text = std::to_string(c.id);
  v["summary"].text = c.summary;
  if (c.due_at) {
    const auto t = to_local(*c.due_at);
    v["due"].text = std::string(kWeekdays[t.weekday]) + " " + std::to_string(t.day) + " " +
                    kMonths[t.month - 1] + " " + std::to_string(t.year);
  } else {
    v["due"].missing = case_words + " has no due date (set one with mend edit " +
                       std::to_string(c.id) + " --due WHEN)";
  }
  if (c.resolution) {
    v["outcome"].text = std::string(spelling(c.resolution->outcome));
    if (c.resolution->amount_cents) {
      v["amount"].text = money_words(*c.resolution->amount_cents, c.resolution->currency);
    } else {
      v["amount"].missing = case_words + " was resolved without an amount";
    }
  } else {
    v["outcome"].missing = case_words + " has no resolution yet";
    v["amount"].missing = case_words + " has no resolution yet";
  }
  std::string from_name, from_address;
  if (from) split_address(*from, from_name, from_address);
  if (business && !trim_spaces(*business).empty()) {
    v["business"].text = *business;
  } else if (!trim_spaces(from_name).empty()) {
    v["business"].text = from_name;
  } else {
    v["business"].missing =
        "neither business_name nor a display name in from is set in the config file";
  }
  for (auto& [key, value] : v)
    if (value.text && trim_spaces(*value.text).empty()) {
      value.text.reset();
      if (value.missing.empty()) value.missing = case_words + " has no " + key;
    }
  return v;
}

std::string render_template(const ReplyTemplate& t, const ReplyValues& values) {
  std::string out;
  out.reserve(t.text.size() + 256);
  std::size_t line = 1;
  std::size_t pos = 0;
  const std::string& s = t.text;
  while (pos < s.size()) {
    const auto open = s.find("{{", pos);
    if (open == std::string::npos) {
      out.append(s, pos, std::string::npos);
      break;
    }
    for (std::size_t i = pos; i < open; ++i)
      if (s[i] == '\n') ++line;
    out.append(s, pos, open - pos);
    const auto close = s.find("}}", open + 2);
    const auto newline = s.find('\n', open + 2);
    if (close == std::string::npos || (newline != std::string::npos && newline < close)) {
      fail(ErrorKind::data, "an unclosed {{ in " + t.source + ", line " + std::to_string(line) +
                                ": write placeholders as {{name}}");
    }
    const std::string name = trim_spaces(std::string_view(s).substr(open + 2, close - open - 2));
    const auto found = values.find(name);
    if (found == values.end()) {
      std::string known;
      for (const auto& [key, value] : values)
        known += (known.empty() ? "{{" : ", {{") + key + "}}";
      fail(ErrorKind::data, "unknown placeholder {{" + header_text(name) + "}} in " + t.source +
                                ", line " + std::to_string(line) + "; known: " + known);
    }
    if (!found->second.text) {
      fail(ErrorKind::data, "placeholder {{" + name + "}} in " + t.source + ", line " +
                                std::to_string(line) + " has no value: " + found->second.missing +
                                "; nothing was sent");
    }
    out += *found->second.text;
    pos = close + 2;
  }
  return out;
}

std::string header_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    bool blank = c < 0x20 || c == 0x7F || c == ' ';
    std::size_t skip = 0;
    if (c == 0xC2 && i + 1 < text.size()) {  // C1 controls, U+0080..U+009F
      const auto d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0x80 && d <= 0x9F) blank = true, skip = 1;
    }
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const auto d = static_cast<unsigned char>(text[i + 2]);
      if (d == 0xA8 || d == 0xA9) blank = true, skip = 2;  // U+2028, U+2029
    }
    if (blank) {
      space = !out.empty();
      i += skip;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

bool plain_address(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  const auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || a.find('@', at + 1) != std::string_view::npos)
    return false;
  const auto domain = a.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return false;
  for (char ch : a) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F) return false;
    if (std::strchr("<>()[],;:\"\\", c) != nullptr) return false;
  }
  for (char ch : domain) {
    const auto c = static_cast<unsigned char>(ch);
    if (!(std::isalnum(c) || c == '-' || c == '.')) return false;
  }
  return true;
}

std::string reply_subject(const Case& c) {
  std::string base;
  for (auto e = c.events.rbegin(); e != c.events.rend(); ++e) {
    if (e->message && e->message->direction == Direction::in && e->message->subject) {
      base = without_tag(*e->message->subject, c.id);
      if (!base.empty()) {
        if (!starts_with_re(base)) base = "Re: " + base;
        break;
      }
    }
  }
  if (base.empty()) base = without_tag(c.summary, c.id);
  if (!base.empty()) base += ' ';
  return base + "[case #" + std::to_string(c.id) + "]";
}

ReplyThread reply_thread(const Case& c, std::size_t max_references) {
  ReplyThread t;
  std::vector<std::string> ids;
  for (const auto& e : c.events)
    if (e.message && e.message->id && plain_message_id(*e.message->id) &&
        std::find(ids.begin(), ids.end(), *e.message->id) == ids.end())
      ids.push_back(*e.message->id);
  if (ids.empty()) return t;
  t.in_reply_to = ids.back();
  const std::size_t from = ids.size() > max_references ? ids.size() - max_references : 0;
  t.references.assign(ids.begin() + static_cast<std::ptrdiff_t>(from), ids.end());
  return t;
}

std::string new_message_id(std::string_view domain, bool ack) {
  unsigned char random[16];
  std::size_t got = 0;
  while (got < sizeof random) {
    const ssize_t n = ::getrandom(random + got, sizeof random - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(ErrorKind::internal, "no random bytes for a Message-ID");
    got += static_cast<std::size_t>(n);
  }
  std::string id = ack ? "ack." : "mend.";
  char hex[3];
  for (unsigned char b : random) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    id += hex;
  }
  return id + "@" + std::string(domain);
}

bool is_ack_message_id(std::string_view id) {
  return id.substr(0, 4) == "ack.";
}

bool has_ack(const Case& c) {
  for (const auto& e : c.events)
    if (e.kind == EventKind::reply && e.message && e.message->id &&
        is_ack_message_id(*e.message->id))
      return true;
  return false;
}

std::string rfc5322_date(Time t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMons[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto l = to_local(t);
  const std::int64_t wall =
      civil_day(l.year, l.month, l.day) * 86400 + l.hour * 3600 + l.minute * 60 + l.second;
  const std::int64_t offset = (wall - t) / 60;
  const std::int64_t a = offset < 0 ? -offset : offset;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d", kDays[l.weekday],
                l.day, kMons[l.month - 1], l.year, l.hour, l.minute, l.second,
                offset < 0 ? '-' : '+', static_cast<int>(a / 60), static_cast<int>(a % 60));
  return buf;
}

std::vector<std::string> split_command(std::string_view command, std::string_view what) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (i + 1 < command.size()) {
        if (command[i + 1] != '\n') word += command[i + 1];  // a backslash-newline joins lines
        ++i;
      }
      continue;
    }
    if (c == '\'') {
      const auto end = command.find('\'', i + 1);
      if (end == std::string_view::npos)
        fail(ErrorKind::usage, std::string(what) + " has an unclosed ' quote");
      word.append(command.substr(i + 1, end - i - 1));
      i = end;
      continue;
    }
    if (c == '"') {
      std::size_t j = i + 1;
      for (; j < command.size() && command[j] != '"'; ++j) {
        if (command[j] == '\\' && j + 1 < command.size() &&
            std::strchr("\"\\$`\n", command[j + 1]) != nullptr) {
          if (command[j + 1] != '\n') word += command[j + 1];
          ++j;
          continue;
        }
        word += command[j];
      }
      if (j >= command.size())
        fail(ErrorKind::usage, std::string(what) + " has an unclosed \" quote");
      i = j;
      continue;
    }
    word += c;
  }
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) fail(ErrorKind::usage, std::string(what) + " is empty");
  return words;
}

Reply make_reply(const Case& c, const std::optional<std::string>& from,
                 const std::string& config_file, const std::string& body, Time now, bool ack) {
  const std::string where = config_file.empty() ? "the config file" : config_file;
  if (!from || trim_spaces(*from).empty())
    fail(ErrorKind::usage, "set the config key from (\"Shop Name <me@shop.example>\") in " + where +
                               " so replies have a sender");
  std::string from_name, from_address;
  split_address(header_text(*from), from_name, from_address);
  if (!plain_address(from_address))
    fail(ErrorKind::usage, "the config key from in " + where +
                               " is not one plain address (\"Shop Name <me@shop.example>\")");
  const std::string id = std::to_string(c.id);
  if (!c.customer.email || trim_spaces(*c.customer.email).empty())
    fail(ErrorKind::data, "case #" + id +
                              "'s customer has no email address; add one with mend edit " + id +
                              " --email ADDRESS");
  const std::string to_address = trim_spaces(*c.customer.email);
  if (!plain_address(to_address))
    fail(ErrorKind::data, "case #" + id + "'s customer's email address is not one plain address (" +
                              header_text(to_address) + "); correct it with mend edit " + id +
                              " --email ADDRESS");

  Reply r;
  OutgoingMail& m = r.mail;
  m.from_name = header_text(from_name);
  m.from_address = from_address;
  m.to_name = header_text(c.customer.name);
  m.to_address = to_address;
  m.subject = reply_subject(c);
  m.date = rfc5322_date(now);
  m.message_id = new_message_id(domain_of(from_address), ack);
  const auto thread = reply_thread(c);
  m.in_reply_to = thread.in_reply_to;
  m.references = thread.references;
  // Lines end with LF; a bare CR or NUL has no place in a text/plain body.
  m.body.reserve(body.size() + 1);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r') {
      if (i + 1 < body.size() && body[i + 1] == '\n') continue;
      m.body += '\n';
      continue;
    }
    if (body[i] == '\0') continue;
    m.body += body[i];
  }
  while (!m.body.empty() &&
         (m.body.back() == '\n' || m.body.back() == ' ' || m.body.back() == '\t'))
    m.body.pop_back();  // the blank lines an editor leaves at the end
  if (!m.body.empty()) m.body += '\n';
  m.auto_submitted = ack;

  r.message.id = m.message_id;
  r.message.from = shown_address(m.from_name, m.from_address);
  r.message.to = shown_address(m.to_name, m.to_address);
  r.message.subject = m.subject;
  r.message.direction = Direction::out;
  return r;
}

}  // namespace mend
