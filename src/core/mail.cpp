#include "core/mail.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "core/errors.hpp"
#include "core/html_text.hpp"
#include "core/text.hpp"
#include "mail/mail_plugin.h"

namespace mend {

// ---- the plugin ----------------------------------------------------------

struct MailReader::Impl {
  void* library = nullptr;
  mend_mail_read_fn read = nullptr;
  mend_mail_mbox_fn mbox = nullptr;
  mend_mail_build_fn build = nullptr;
};

namespace {

// Where libmend-mail.so is: $MEND_MAIL_PLUGIN, else beside the mend binary
// (the build tree), else ../lib/mend/ from it (an installation).
std::vector<std::string> plugin_candidates() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("MEND_MAIL_PLUGIN"); env && *env) out.emplace_back(env);
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string dir(exe, static_cast<std::size_t>(n));
    dir = dir.substr(0, dir.rfind('/'));
    out.push_back(dir + "/libmend-mail.so");
    out.push_back(dir + "/../lib/mend/libmend-mail.so");
  }
  return out;
}

// Builds a ParsedMail from what the plugin reports; a forwarded message's
// reports go to its own ParsedMail.
struct Collector {
  std::vector<ParsedMail*> stack;
  std::string pending_name;
  bool html_body = false;

  static void sink(void* context, int key, const char* data, size_t size) {
    auto* c = static_cast<Collector*>(context);
    ParsedMail& m = *c->stack.back();
    const std::string value(data, size);
    switch (key) {
      case MEND_MAIL_MESSAGE_ID:
        if (!value.empty()) m.message_id = value;
        break;
      case MEND_MAIL_FROM:
        m.from = value;
        break;
      case MEND_MAIL_FROM_NAME:
        m.from_name = value;
        break;
      case MEND_MAIL_FROM_ADDRESS:
        m.from_address = value;
        break;
      case MEND_MAIL_TO:
        m.to = value;
        break;
      case MEND_MAIL_SUBJECT:
        m.subject = value;
        break;
      case MEND_MAIL_DATE:
        m.date = std::strtoll(value.c_str(), nullptr, 10);
        break;
      case MEND_MAIL_REFERENCE:
        if (!value.empty() &&
            std::find(m.references.begin(), m.references.end(), value) == m.references.end())
          m.references.push_back(value);
        break;
      case MEND_MAIL_HEADER:
        m.marks.push_back(value);
        break;
      case MEND_MAIL_CONTENT_TYPE:
        m.content_type = value;
        break;
      case MEND_MAIL_BODY_PLAIN:
        if (!m.body.empty()) m.body += "\n\n";
        m.body += value;
        break;
      case MEND_MAIL_BODY_HTML:
        m.body = html_to_text(value);
        break;
      case MEND_MAIL_FILE_NAME:
        c->pending_name = value;
        break;
      case MEND_MAIL_FILE_BYTES:
        m.files.push_back(MailFile{c->pending_name, value});
        break;
      case MEND_MAIL_FILE_TOO_BIG:
        m.too_big.push_back(MailTooBig{c->pending_name, std::strtoll(value.c_str(), nullptr, 10)});
        break;
      case MEND_MAIL_FORWARD_BEGIN:
        if (!m.forwarded) {
          m.forwarded = std::make_unique<ParsedMail>();
          c->stack.push_back(m.forwarded.get());
        } else {
          c->stack.push_back(&c->scratch);  // a second forwarded message: its file is kept only
        }
        break;
      case MEND_MAIL_FORWARD_END:
        if (c->stack.size() > 1) c->stack.pop_back();
        break;
      default:
        break;
    }
  }
  ParsedMail scratch;
};

}  // namespace

MailReader::MailReader() : impl_(std::make_unique<Impl>()) {
  std::string tried;
  for (const auto& path : plugin_candidates()) {
    impl_->library = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (impl_->library != nullptr) break;
    tried += (tried.empty() ? "" : ", ") + path;
  }
  if (impl_->library == nullptr)
    fail(ErrorKind::internal, "cannot load mend's mail reader (libmend-mail.so; looked at " +
                                  tried + "); reinstall mend");
  impl_->read = reinterpret_cast<mend_mail_read_fn>(::dlsym(impl_->library, MEND_MAIL_READ));
  impl_->mbox = reinterpret_cast<mend_mail_mbox_fn>(::dlsym(impl_->library, MEND_MAIL_MBOX));
  impl_->build = reinterpret_cast<mend_mail_build_fn>(::dlsym(impl_->library, MEND_MAIL_BUILD));
  if (impl_->read == nullptr || impl_->mbox == nullptr || impl_->build == nullptr)
    fail(ErrorKind::internal, "mend's mail reader is from another version; reinstall mend");
}

MailReader::MailReader(void* read_fn, void* mbox_fn, void* build_fn)
    : impl_(std::make_unique<Impl>()) {
  impl_->read = reinterpret_cast<mend_mail_read_fn>(read_fn);
  impl_->mbox = reinterpret_cast<mend_mail_mbox_fn>(mbox_fn);
  impl_->build = reinterpret_cast<mend_mail_build_fn>(build_fn);
}

MailReader::~MailReader() = default;  // the plugin stays loaded: GLib cannot be unloaded

std::optional<ParsedMail> MailReader::read(std::string_view raw, std::int64_t max_file) const {
  ParsedMail m;
  Collector c;
  c.stack.push_back(&m);
  if (impl_->read(raw.data(), raw.size(), max_file, &Collector::sink, &c) != 0) return std::nullopt;
  return m;
}

std::vector<std::pair<std::int64_t, std::int64_t>> MailReader::mbox_spans(int fd) const {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  impl_->mbox(
      fd,
      [](void* context, long long begin, long long end) {
        static_cast<std::vector<std::pair<std::int64_t, std::int64_t>>*>(context)->emplace_back(
            begin, end);
      },
      &out);
  return out;
}

std::optional<std::string> MailReader::build(const OutgoingMail& m) const {
  if (impl_->build == nullptr) fail(ErrorKind::internal, "no mail writer is loaded");
  std::string refs;
  for (const auto& r : m.references)
    refs += (refs.empty() ? "" : " ") + r;
  const mend_mail_outgoing out{m.from_name.c_str(),  m.from_address.c_str(),  m.to_name.c_str(),
                               m.to_address.c_str(), m.subject.c_str(),       m.date.c_str(),
                               m.message_id.c_str(), m.in_reply_to.c_str(),   refs.c_str(),
                               m.body.c_str(),       m.auto_submitted ? 1 : 0};
  size_t size = 0;
  char* bytes = impl_->build(&out, &size);
  if (bytes == nullptr) return std::nullopt;
  std::string result(bytes, size);
  std::free(bytes);
  return result;
}

// ---- decisions without a database --------------------------------------------

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    auto line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = nl + 1;
  }
  return out;
}

std::string join(const std::vector<std::string_view>& lines, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (i > from) out += '\n';
    out += lines[i];
  }
  return std::string(trimmed_view(out));
}

}  // namespace

std::optional<std::string> automatic_reason(const ParsedMail& m) {
  // A bounce first: mail servers mark theirs Auto-Submitted too, and the
  // owner needs to know that mail to a customer did not arrive.
  if (lowercase(m.content_type) == "multipart/report") return "bounce";
  const std::string local = lowercase(m.from_address.substr(0, m.from_address.find('@')));
  if (local == "mailer-daemon" || local == "postmaster") return "bounce";
  for (const auto& mark : m.marks) {
    const auto colon = mark.find(':');
    const std::string name = lowercase(mark.substr(0, colon));
    const std::string value = lowercase(trimmed_view(std::string_view(mark).substr(colon + 1)));
    if (name == "auto-submitted" && !value.empty() && value.rfind("no", 0) != 0)
      return "automatic reply";
    if (name == "auto-submitted" && value.size() > 2 && value.rfind("no", 0) == 0 &&
        value[2] != ';' && !std::isspace(static_cast<unsigned char>(value[2])))
      return "automatic reply";
    if (name == "precedence" && (value == "bulk" || value == "junk" || value == "list"))
      return value == "list" ? "mailing list" : "bulk mail";
    if (name == "list-id") return "mailing list";
    if (name == "x-autoreply" || name == "x-autorespond") return "automatic reply";
  }
  return std::nullopt;
}

std::string subject_summary(std::string_view subject) {
  std::string_view s = trimmed_view(subject);
  static constexpr std::string_view kPrefixes[] = {"re",  "fw",   "fwd", "aw", "wg",  "sv",
                                                   "vs",  "antw", "tr",  "rv", "ref", "rif",
                                                   "odp", "ynt",  "vb",  "enc"};
  for (bool again = true; again;) {
    again = false;
    for (auto p : kPrefixes) {
      if (!starts_with_nocase(s, p)) continue;
      auto rest = s.substr(p.size());
      // "Re[2]:" as some programs count replies.
      if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) continue;
        rest = rest.substr(close + 1);
      }
      rest = trimmed_view(rest);
      if (!rest.empty() && rest.front() == ':') {
        s = trimmed_view(rest.substr(1));
        again = true;
        break;
      }
    }
  }
  // Collapse the line breaks a folded header may leave.
  std::string out;
  for (char ch : s)
    out += ch == '\n' || ch == '\r' || ch == '\t' ? ' ' : ch;
  if (trimmed_view(out).empty()) return "(no subject)";
  return std::string(trimmed_view(out));
}

namespace {

// "On Mon, 23 Nov 2026 at 10:00, Maria <m@x> wrote:" and its translations,
// possibly folded over two lines; returns how many lines it takes, or 0.
std::size_t attribution_lines(const std::vector<std::string_view>& lines, std::size_t i) {
  static constexpr std::string_view kStarts[] = {"on ", "am ", "le ", "el ", "il ", "op ", "den "};
  static constexpr std::string_view kEnds[] = {"wrote:",    "schrieb:",    "a écrit :", "a écrit:",
                                               "escribió:", "ha scritto:", "schreef:",  "skrev:"};
  const std::string first = lowercase(trimmed_view(lines[i]));
  bool starts = false;
  for (auto s : kStarts)
    starts = starts || first.rfind(s, 0) == 0;
  if (!starts) return 0;
  for (std::size_t n = 1; n <= 3 && i + n <= lines.size(); ++n) {
    std::string joined;
    for (std::size_t k = i; k < i + n; ++k)
      joined += lowercase(trimmed_view(lines[k])) + (k + 1 < i + n ? " " : "");
    for (auto e : kEnds)
      if (joined.size() >= e.size() && joined.compare(joined.size() - e.size(), e.size(), e) == 0)
        return n;
  }
  return 0;
}

bool is_quoted(std::string_view line) {
  return !line.empty() && line.front() == '>';
}

// Outlook's reply header: "From: ..." followed within two lines by "Sent:" or
// "Date:", or the German "Von: ..." and "Gesendet:".
bool outlook_header(const std::vector<std::string_view>& lines, std::size_t i) {
  const auto first = trimmed_view(lines[i]);
  if (!starts_with_nocase(first, "from:") && !starts_with_nocase(first, "von:")) return false;
  for (std::size_t k = i + 1; k < lines.size() && k <= i + 2; ++k) {
    const auto l = trimmed_view(lines[k]);
    if (starts_with_nocase(l, "sent:") || starts_with_nocase(l, "date:") ||
        starts_with_nocase(l, "gesendet:") || starts_with_nocase(l, "datum:"))
      return true;
  }
  return false;
}

}  // namespace

std::string own_words(std::string_view text) {
  const auto lines = lines_of(text);
  std::vector<std::string_view> kept;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = lines[i];
    const auto t = trimmed_view(line);
    // The signature: everything after "-- ".
    if (line == "-- " || line == "--") break;
    // An earlier message under the answer: everything after its header.
    if (t == "-----Original Message-----" || starts_with_nocase(t, "-----Original Message") ||
        (t.size() >= 20 && t.find_first_not_of('_') == std::string_view::npos) ||
        outlook_header(lines, i))
      break;
    if (const auto n = attribution_lines(lines, i); n > 0) {
      // Only when what follows is the quote (or nothing): a sentence that
      // merely starts "On Monday..." stays.
      std::size_t k = i + n;
      while (k < lines.size() && trimmed_view(lines[k]).empty())
        ++k;
      if (k == lines.size() || is_quoted(lines[k])) {
        i = k - 1;
        continue;
      }
    }
    if (is_quoted(line)) continue;
    kept.push_back(line);
  }
  return join(kept, 0, kept.size());
}

namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<Time> forwarded_date(std::string_view text) {
  // Words: "Mon," "23" "Nov" "2026" "08:00:00" "+0000"; "at" and the weekday skipped.
  std::vector<std::string> words;
  std::string word;
  for (char ch : std::string(text) + " ") {
    if (std::isspace(static_cast<unsigned char>(ch)) || ch == ',') {
      if (!word.empty()) words.push_back(lowercase(word));
      word.clear();
    } else {
      word += ch;
    }
  }
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  auto number = [](const std::string& w, int& out) {
    if (w.empty() || w.size() > 4 || w.find_first_not_of("0123456789") != std::string::npos)
      return false;
    out = std::stoi(w);
    return true;
  };
  int day = 0, month = 0, year = 0, hour = -1, minute = 0, second = 0;
  std::optional<int> offset;  // minutes east of UTC
  for (const auto& w : words) {
    int n = 0;
    if (w.size() >= 3 && month == 0) {
      for (int i = 0; i < 12; ++i)
        if (w.compare(0, 3, kMonths[i]) == 0 && std::isalpha(static_cast<unsigned char>(w[0])))
          month = i + 1;
      if (month != 0) continue;
    }
    if (w.find(':') != std::string::npos && hour < 0) {
      const auto a = w.find(':');
      const auto b = w.find(':', a + 1);
      if (!number(w.substr(0, a), hour) ||
          !number(w.substr(a + 1, b == std::string::npos ? b : b - a - 1), minute) ||
          (b != std::string::npos && !number(w.substr(b + 1), second)))
        return std::nullopt;
      continue;
    }
    if ((w.front() == '+' || w.front() == '-') && w.size() == 5 && hour >= 0) {
      int hhmm = 0;
      if (!number(w.substr(1), hhmm)) return std::nullopt;
      const int minutes = hhmm / 100 * 60 + hhmm % 100;
      offset = w.front() == '+' ? minutes : -minutes;
      continue;
    }
    if ((w == "gmt" || w == "utc" || w == "ut" || w == "z") && hour >= 0) {
      offset = 0;
      continue;
    }
    if (number(w, n)) {
      if (n > 31 && year == 0) {
        year = n;
      } else if (day == 0 && n >= 1 && n <= 31) {
        day = n;
      }
    }
  }
  // Without a zone the time is the forwarder's wall clock, which mend cannot know.
  if (day == 0 || month == 0 || year < 1970 || hour < 0 || hour > 23 || minute > 59 ||
      second > 60 || !offset)
    return std::nullopt;
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 + second - static_cast<Time>(*offset) * 60;
}

std::optional<InlineForward> inline_forward(std::string_view text) {
  const auto lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto t = trimmed_view(lines[i]);
    const std::string low = lowercase(t);
    const bool dashes = low.rfind("---", 0) == 0 || low.rfind("- ", 0) == 0;
    const bool marker = (dashes && (low.find("forwarded message") != std::string::npos ||
                                    low.find("weitergeleitete nachricht") != std::string::npos)) ||
                        low == "begin forwarded message:" ||
                        low == "anfang der weitergeleiteten nachricht:" ||
                        low.rfind("-----original message", 0) == 0 ||
                        low.rfind("-----ursprüngliche nachricht", 0) == 0 ||
                        (t.size() >= 20 && t.find_first_not_of('_') == std::string_view::npos);
    // Outlook may also start the forwarded header block with no line above it.
    const bool bare_header = !marker && outlook_header(lines, i);
    if (!marker && !bare_header) continue;
    InlineForward f;
    f.note = join(lines, 0, i);
    std::size_t k = bare_header ? i : i + 1;
    while (k < lines.size() && trimmed_view(lines[k]).empty())
      ++k;
    bool any = false;
    for (; k < lines.size() && !trimmed_view(lines[k]).empty(); ++k) {
      const auto l = trimmed_view(lines[k]);
      const auto colon = l.find(':');
      if (colon == std::string_view::npos) break;
      const std::string key = lowercase(l.substr(0, colon));
      const std::string value(trimmed_view(l.substr(colon + 1)));
      if (key == "from" || key == "von") {
        f.from = value;
        split_address(value, f.from_name, f.from_address);
        any = true;
      } else if (key == "subject" || key == "betreff") {
        f.subject = value;
      } else if (key == "date" || key == "sent" || key == "datum" || key == "gesendet") {
        f.date = forwarded_date(value);
      }
    }
    if (!any || f.from_address.empty()) continue;
    f.text = join(lines, k, lines.size());
    return f;
  }
  return std::nullopt;
}

std::optional<std::int64_t> case_tag(std::string_view subject) {
  const std::string low = lowercase(subject);
  std::size_t pos = 0;
  while ((pos = low.find("[case #", pos)) != std::string::npos) {
    std::size_t p = pos + 7;
    std::int64_t n = 0;
    std::size_t digits = 0;
    while (p < low.size() && std::isdigit(static_cast<unsigned char>(low[p])) && digits < 16) {
      n = n * 10 + (low[p] - '0');
      ++p;
      ++digits;
    }
    if (digits > 0 && p < low.size() && low[p] == ']' && n > 0) return n;
    pos += 7;
  }
  return std::nullopt;
}

void split_address(std::string_view text, std::string& name, std::string& address) {
  const auto t = trimmed_view(text);
  const auto lt = t.rfind('<');
  const auto gt = t.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    address = std::string(trimmed_view(t.substr(lt + 1, gt - lt - 1)));
    std::string_view n = trimmed_view(t.substr(0, lt));
    if (n.size() >= 2 && n.front() == '"' && n.back() == '"') n = n.substr(1, n.size() - 2);
    name = std::string(n);
  } else if (t.find('@') != std::string_view::npos) {
    address = std::string(t);
    name.clear();
  } else {
    name = std::string(t);
    address.clear();
  }
}

}  // namespace mend
