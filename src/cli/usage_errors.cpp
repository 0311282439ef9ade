#include "cli/usage_errors.hpp"

#include <algorithm>
#include <optional>

namespace mend::cli {
namespace {

// git's SIMILARITY_FLOOR: a candidate further than this is no suggestion.
constexpr int kSimilarityFloor = 7;

std::string strip_dashes(std::string_view s) {
  while (!s.empty() && s.front() == '-')
    s.remove_prefix(1);
  return std::string(s);
}

// "a", "a or b", "a, b or c".
std::string or_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// The subcommand CLI11 was parsing, or nullptr for the top level.
const CLI::App* parsed_command(const CLI::App& top) {
  const auto subs = top.get_subcommands();
  return subs.empty() ? nullptr : subs.back();
}

std::string help_hint(const CLI::App* sub) {
  return sub ? "see 'mend help " + sub->get_name() + "'" : std::string("see 'mend help'");
}

// Every long option a user may give to `sub`: its own and the global ones.
std::vector<std::string> long_options(const CLI::App& top, const CLI::App* sub) {
  std::vector<std::string> names;
  auto collect = [&](const CLI::App& app) {
    for (const CLI::Option* opt : app.get_options()) {
      for (const auto& name : opt->get_lnames())
        if (std::find(names.begin(), names.end(), "--" + name) == names.end())
          names.push_back("--" + name);
    }
  };
  if (sub) collect(*sub);
  collect(top);
  return names;
}

bool is_known_option(const std::string& word, const CLI::App& top, const CLI::App* sub) {
  auto knows = [&](const CLI::App& app) {
    for (const CLI::Option* opt : app.get_options())
      if (opt->check_name(word)) return true;
    return false;
  };
  return (sub && knows(*sub)) || knows(top);
}

// The first word of `args` that looks like an option but is none of the
// command's; "" when every option is known.
std::string unknown_option(const std::vector<std::string>& args, const CLI::App& top,
                           const CLI::App* sub) {
  for (const auto& arg : args) {
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    if (arg[1] >= '0' && arg[1] <= '9') continue;  // a value such as -30d
    std::string name = arg.substr(0, arg.find('='));
    if (name.size() > 2 && name[1] != '-') name = name.substr(0, 2);  // -mTEXT
    if (!is_known_option(name, top, sub)) return name;
  }
  return {};
}

// The option a CLI11 message is about: its first word that starts with '-'
// (CLI11 names an option by its longest name, or "--a,-b" lists).
std::optional<std::string> option_in(const std::string& what) {
  std::size_t pos = 0;
  while (pos < what.size()) {
    const std::size_t start = what.find_first_not_of(" ,[{:", pos);
    if (start == std::string::npos) break;
    std::size_t end = what.find_first_of(" ,]}:", start);
    if (end == std::string::npos) end = what.size();
    const std::string word = what.substr(start, end - start);
    if (word.size() > 1 && word[0] == '-' && !(word[1] >= '0' && word[1] <= '9')) return word;
    pos = end;
  }
  return std::nullopt;
}

std::string first_line(std::string what) {
  if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
  return what;
}

std::string command_name(const CLI::App* sub) {
  return sub ? "mend " + sub->get_name() : std::string("mend");
}

// "ID is required" and the like: a positional argument is missing.
std::string missing_argument(const std::string& name, const CLI::App* sub) {
  std::string message = command_name(sub) + " needs " + name;
  if (name == "ID") {
    message +=
        " (a case number); if you wrote #12, your shell took the # for the start of a "
        "comment and dropped the rest: write 12 or '#12'";
    return message;
  }
  if (name == "CUSTOMER_ID")
    message += " (a customer's number); write it bare: #12 starts a shell comment";
  return message + "; " + help_hint(sub);
}

// IsMember's "--color: sometimes not in {auto,always,never}".
std::optional<std::string> not_a_member(const std::string& what) {
  const auto colon = what.find(": ");
  const auto not_in = what.find(" not in {");
  if (colon == std::string::npos || not_in == std::string::npos || not_in < colon) return {};
  const std::string option = what.substr(0, colon);
  const std::string value = what.substr(colon + 2, not_in - colon - 2);
  const auto open = not_in + 9;
  const auto close = what.find('}', open);
  if (close == std::string::npos) return {};
  std::vector<std::string> allowed;
  std::string members = what.substr(open, close - open);
  for (std::size_t pos = 0; pos <= members.size();) {
    auto comma = members.find(',', pos);
    if (comma == std::string::npos) comma = members.size();
    if (comma > pos) allowed.push_back(members.substr(pos, comma - pos));
    pos = comma + 1;
  }
  std::string message = option + " takes " + or_list(allowed) + ", not '" + value + "'";
  if (const auto hint = did_you_mean(value, allowed, false); !hint.empty()) message += "; " + hint;
  return message;
}

// By type, not get_name(): a subcommand's ExtrasError is named after the subcommand.
template <typename T>
bool is_a(const CLI::ParseError& error) {
  return dynamic_cast<const T*>(&error) != nullptr;
}

}  // namespace

int typo_distance(std::string_view typed, std::string_view candidate) {
  constexpr int kSwap = 0, kSubstitution = 2, kAddition = 1, kDeletion = 3;
  const std::size_t n = typed.size(), m = candidate.size();
  std::vector<int> row0(m + 1), row1(m + 1), row2(m + 1);
  for (std::size_t j = 0; j <= m; ++j)
    row1[j] = static_cast<int>(j) * kAddition;
  for (std::size_t i = 0; i < n; ++i) {
    row2[0] = static_cast<int>(i + 1) * kDeletion;
    for (std::size_t j = 0; j < m; ++j) {
      int best = row1[j] + (typed[i] != candidate[j] ? kSubstitution : 0);
      if (i > 0 && j > 0 && typed[i - 1] == candidate[j] && typed[i] == candidate[j - 1])
        best = std::min(best, row0[j - 1] + kSwap);
      best = std::min(best, row1[j + 1] + kDeletion);
      best = std::min(best, row2[j] + kAddition);
      row2[j + 1] = best;
    }
    std::swap(row0, row1);
    std::swap(row1, row2);
  }
  return row1[m];
}

std::vector<std::string> closest_names(std::string_view typed,
                                       const std::vector<std::string>& candidates) {
  const std::string word = strip_dashes(typed);
  // A one-letter short option (-x) is too short to guess from.
  if (word.empty() || (typed.size() == 2 && typed[0] == '-' && typed[1] != '-')) return {};
  // As git: a candidate the word begins is the best guess; otherwise the
  // distance plus one, so that a prefix always wins.
  std::vector<int> scores;
  for (const auto& c : candidates) {
    const std::string name = strip_dashes(c);
    scores.push_back(name.rfind(word, 0) == 0 ? 0 : typo_distance(word, name) + 1);
  }
  std::vector<std::string> best;
  if (scores.empty()) return best;
  const int top = *std::min_element(scores.begin(), scores.end());
  if (top >= kSimilarityFloor) return best;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (scores[i] == top) best.push_back(candidates[i]);
  // A word that begins many names ("--") says nothing.
  if (best.size() > 3) best.clear();
  return best;
}

std::string did_you_mean(std::string_view typed, const std::vector<std::string>& candidates,
                         bool quote) {
  auto names = closest_names(typed, candidates);
  if (names.empty()) return {};
  if (quote)
    for (auto& n : names)
      n = "'" + n + "'";
  return "did you mean " + or_list(names) + "?";
}

std::string unknown_command_message(const std::string& word,
                                    const std::vector<std::string>& commands) {
  std::string message = "'" + word + "' is not a mend command";
  // A bare case number ("mend 12", "mend '#12'"): the likeliest wish is to see it.
  const std::string_view digits = word.rfind('#', 0) == 0 ? std::string_view(word).substr(1) : word;
  if (!digits.empty() && digits.size() < 19 &&
      digits.find_first_not_of("0123456789") == std::string_view::npos)
    return message + "; to see case " + std::string(digits) + ": mend show " + std::string(digits);
  const auto hint = did_you_mean(word, commands, true);
  return message + "; " + (hint.empty() ? "see 'mend help'" : hint);
}

std::string usage_error_message(const CLI::ParseError& error, const CLI::App& top,
                                const std::vector<std::string>& args,
                                const std::vector<std::string>& commands) {
  const CLI::App* sub = parsed_command(top);
  const std::string what = first_line(error.what());
  const std::string hint = help_hint(sub);

  if (is_a<CLI::RequiredError>(error) && !sub) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const auto& a = args[i];
      if (a == "--db" || a == "--color") {
        ++i;
      } else if (!a.empty() && a[0] != '-') {
        return unknown_command_message(a, commands);
      }
    }
    if (const auto option = unknown_option(args, top, sub); !option.empty()) {
      const auto suggestion = did_you_mean(option, long_options(top, sub), false);
      return "mend has no option " + option + "; " + (suggestion.empty() ? hint : suggestion);
    }
    return "no command given; see 'mend help'";
  }

  // An unknown option is the likeliest reason for any error: say that first.
  if (const auto option = unknown_option(args, top, sub); !option.empty()) {
    // mend search parcel -leeds: a word to exclude, written before `--`.
    if (sub != nullptr && sub->get_name() == "search" && option.rfind("--", 0) != 0)
      return "mend search has no option " + option +
             "; to exclude a word, write it after --: mend search parcel -- -leeds";
    const auto suggestion = did_you_mean(option, long_options(top, sub), false);
    return command_name(sub) + " has no option " + option + "; " +
           (suggestion.empty() ? hint : suggestion);
  }

  if (is_a<CLI::ExtrasError>(error)) {
    const std::string marker = "expected: ";
    const auto at = what.find(marker);
    std::string extra = at == std::string::npos ? std::string() : what.substr(at + marker.size());
    // CLI11 lists the words last first; the first of them in the command line is the one to name.
    for (const auto& a : args)
      if (!a.empty() && extra.find(a) != std::string::npos) {
        extra = a;
        break;
      }
    return command_name(sub) + " does not take '" + extra + "' here; " + hint;
  }

  if (is_a<CLI::RequiredError>(error)) {
    const std::string suffix = " is required";
    if (what.size() > suffix.size() &&
        what.compare(what.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const std::string missing = what.substr(0, what.size() - suffix.size());
      if (!missing.empty() && missing[0] == '-')
        return command_name(sub) + " needs " + missing + "; " + hint;
      return missing_argument(missing, sub);
    }
  }

  if (is_a<CLI::ArgumentMismatch>(error)) {
    const auto option = option_in(what);
    const std::string subject = option ? *option : std::string("an option");
    if (what.find("At Most") != std::string::npos) return subject + " is given once; " + hint;
    if (what.find("flag override") != std::string::npos ||
        what.find("too many inputs") != std::string::npos)
      return subject + " takes no value; " + hint;
    return subject + " needs a value; " + hint;
  }

  if (is_a<CLI::ValidationError>(error)) {
    if (const auto message = not_a_member(what)) return *message;
  }

  if (is_a<CLI::ConversionError>(error)) {
    const auto option = option_in(what);
    if (what.find("too many inputs for a flag") != std::string::npos ||
        what.find("true/false") != std::string::npos)
      return (option ? *option : std::string("a flag")) + " takes no value; " + hint;
    return (option ? *option : std::string("an option")) + " has a value it cannot take; " + hint;
  }

  if (is_a<CLI::ExcludesError>(error)) {
    const auto sep = what.find(" excludes ");
    if (sep != std::string::npos)
      return what.substr(0, sep) + " and " + what.substr(sep + 10) +
             " cannot be given together; give one; " + hint;
  }

  if (is_a<CLI::RequiresError>(error)) {
    const auto sep = what.find(" requires ");
    if (sep != std::string::npos)
      return what.substr(0, sep) + " goes with " + what.substr(sep + 10) + "; " + hint;
  }

  // Anything else CLI11 may say: its words, lower-cased at the start, and where to look.
  std::string message = what;
  if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z')
    message[0] = static_cast<char>(message[0] - 'A' + 'a');
  return command_name(sub) + ": " + message + "; " + hint;
}

}  // namespace mend::cli
