#include "core/liability.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

namespace mend {
namespace {

// A word of the text, lower-case, with the bytes of the text it came from.
// A contraction becomes several words sharing its bytes ("wasn't" is "was"
// and "not").
struct Token {
  std::string text;
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct Clause {
  std::vector<Token> tokens;
  bool question = false;
};

// Words that end a clause as punctuation does.
constexpr std::array<std::string_view, 9> kClauseWords = {
    "and", "but", "or", "although", "though", "however", "whereas", "nevertheless", "plus"};

// Multi-byte punctuation that ends a clause: curly double quotes, en and em
// dashes, the ellipsis.
constexpr std::array<std::string_view, 5> kClauseMarks = {
    "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x93", "\xe2\x80\x94", "\xe2\x80\xa6"};

// What else writes an apostrophe: U+2018, U+2019, U+02BC, U+2032, U+00B4, `.
constexpr std::array<std::string_view, 6> kApostrophes = {
    "\xe2\x80\x98", "\xe2\x80\x99", "\xca\xbc", "\xe2\x80\xb2", "\xc2\xb4", "`"};

bool starts_with_at(std::string_view s, std::size_t i, std::string_view what) {
  return s.substr(i, what.size()) == what;
}

bool is_ascii_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Words with "'s" that mean "is" ("that's on us"); other "'s" are possessive.
bool is_s_contraction(std::string_view base) {
  static constexpr std::array<std::string_view, 11> kBases = {
      "it", "that", "this", "he", "she", "there", "what", "who", "here", "where", "everything"};
  return std::find(kBases.begin(), kBases.end(), base) != kBases.end();
}

// Splits one written word into the words it stands for.
void push_word(std::string word, std::size_t begin, std::size_t end, std::vector<Token>& out) {
  auto add = [&](std::string_view w) { out.push_back({std::string(w), begin, end}); };
  auto ends_with = [&](std::string_view suffix) {
    return word.size() > suffix.size() && word.substr(word.size() - suffix.size()) == suffix;
  };
  auto base = [&](std::size_t cut) { return std::string_view(word).substr(0, word.size() - cut); };
  if (word == "can't" || word == "cannot") {
    add("can");
    add("not");
  } else if (word == "won't") {
    add("will");
    add("not");
  } else if (word == "shan't") {
    add("shall");
    add("not");
  } else if (ends_with("n't")) {
    add(base(3));
    add("not");
  } else if (word == "i'm") {
    add("i");
    add("am");
  } else if (ends_with("'re")) {
    add(base(3));
    add("are");
  } else if (ends_with("'ve")) {
    add(base(3));
    add("have");
  } else if (ends_with("'ll")) {
    add(base(3));
    add("will");
  } else if (ends_with("'d")) {
    add(base(2));
    add("would");
  } else if (ends_with("'s") && is_s_contraction(base(2))) {
    add(base(2));
    add("is");
  } else {
    add(word);
  }
}

// The text as clauses of lower-case words.
// The words and clauses of a text as they are read.
class ClauseBuilder {
 public:
  ClauseBuilder() : clauses_(1) {}
  bool in_word() const { return !word_.empty(); }
  void add_char(char c, std::size_t i, std::size_t len) {
    if (word_.empty()) word_begin_ = i;
    word_ += c;
    word_end_ = i + len;
  }
  void end_word() {
    // Quotes made with apostrophes are not part of the word.
    while (!word_.empty() && word_.front() == '\'')
      word_.erase(0, 1);
    while (!word_.empty() && (word_.back() == '\'' || word_.back() == '-'))
      word_.pop_back();
    if (word_.empty()) return;
    if (std::find(kClauseWords.begin(), kClauseWords.end(), word_) != kClauseWords.end()) {
      end_clause(false);
    } else {
      push_word(word_, word_begin_, word_end_, clauses_.back().tokens);
    }
    word_.clear();
  }
  void end_clause(bool question) {
    if (question) clauses_.back().question = true;
    if (!clauses_.back().tokens.empty()) clauses_.emplace_back();
  }
  std::vector<Clause> finish() {
    end_word();
    if (clauses_.back().tokens.empty()) clauses_.pop_back();
    return std::move(clauses_);
  }

 private:
  std::vector<Clause> clauses_;
  std::string word_;
  std::size_t word_begin_ = 0;
  std::size_t word_end_ = 0;
};

// Reads a typographic apostrophe or a clause mark at text[i], if there is one
// there; returns its length in bytes, or 0.
std::size_t take_mark(std::string_view text, std::size_t i, ClauseBuilder& b) {
  for (auto a : kApostrophes) {
    if (starts_with_at(text, i, a)) {
      b.add_char('\'', i, a.size());
      return a.size();
    }
  }
  for (auto m : kClauseMarks) {
    if (starts_with_at(text, i, m)) {
      b.end_word();
      b.end_clause(false);
      return m.size();
    }
  }
  return 0;
}

// ASCII punctuation that ends a clause ('?' ends a question).
bool ends_clause(char c) {
  switch (c) {
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
    case '"':
    case '/':
    case '-':
    case '?':
      return true;
    default:
      return false;
  }
}

std::vector<Clause> clauses_of(std::string_view text) {
  ClauseBuilder b;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (is_ascii_word_char(c)) {
      b.add_char(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c, i, 1);
      ++i;
      continue;
    }
    if (c == '\'' ||
        (c == '-' && b.in_word() && i + 1 < text.size() && is_ascii_word_char(text[i + 1]))) {
      b.add_char(c, i, 1);
      ++i;
      continue;
    }
    if (const auto n = take_mark(text, i, b)) {
      i += n;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      // Any other letter beyond ASCII is part of a word, byte by byte.
      b.add_char(c, i, 1);
      ++i;
      continue;
    }
    b.end_word();
    if (ends_clause(c)) b.end_clause(c == '?');
    ++i;
  }
  return b.finish();
}

// A pattern is a list of slots separated by spaces. A slot is alternatives
// separated by '|', each one or more words joined by '_'; a trailing '?'
// makes the slot optional; "~N" skips up to N words of any kind; "$" is the
// end of the clause.
struct Slot {
  std::vector<std::vector<std::string>> alternatives;
  bool optional = false;
  std::size_t gap = 0;  // a "~N" slot when alternatives is empty
};

struct Pattern {
  std::vector<Slot> slots;
  std::string_view advice;
};

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      if (i > start) out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

Pattern parse_pattern(std::string_view spec, std::string_view advice) {
  Pattern p;
  p.advice = advice;
  for (const auto& part : split(spec, ' ')) {
    Slot slot;
    std::string_view body = part;
    if (body.front() == '~') {
      slot.gap = static_cast<std::size_t>(body[1] - '0');
    } else {
      if (body.back() == '?') {
        slot.optional = true;
        body.remove_suffix(1);
      }
      for (const auto& alt : split(body, '|'))
        slot.alternatives.push_back(split(alt, '_'));
    }
    p.slots.push_back(std::move(slot));
  }
  return p;
}

constexpr std::string_view kSayFault =
    "say you are sorry for the experience, not that it was your fault";
constexpr std::string_view kSayResponsibility =
    "say what you will do to put it right, not that you accept responsibility or liability";
constexpr std::string_view kSayMistake =
    "say you are sorry it went wrong and what happens next, not that you made a mistake";
constexpr std::string_view kSayCause =
    "say what you know happened to the order, not who caused it, until that is certain";
constexpr std::string_view kSayCare =
    "say you are looking into what happened, without words like negligent or careless";
constexpr std::string_view kSayShould =
    "say what you will do from now on, not what you should have done";

// Word groups used in several patterns.
#define MEND_BE "am|are|is|was|were|been|be"
#define MEND_QUITE "fully|entirely|completely|totally|wholly|solely|clearly|really|all"
#define MEND_STAFF                                                                          \
  "driver|drivers|courier|couriers|staff|team|warehouse|packer|packers|packing|employee|"   \
  "employees|technician|technicians|engineer|engineers|people|worker|workers|colleague|"    \
  "colleagues|fitter|fitters|installer|installers|delivery|van|kitchen|chef|mechanic|crew|" \
  "agent|agents|representative|rep|assistant|store|shop|system|website|software|machine|"   \
  "service|workshop|carrier"
#define MEND_HARM                                                                         \
  "damaged|broke|broken|smashed|scratched|dented|cracked|ruined|lost|dropped|mishandled|" \
  "misplaced|caused|spilled|stained|bent|crushed|tore|ripped|mixed_up|forgot|failed|"     \
  "missed|overcharged|miscalculated|threw|destroyed|marked|chipped|damage|break|lose"

const std::vector<Pattern>& admission_patterns() {
  static const std::vector<Pattern> patterns = [] {
    const std::array<std::pair<std::string_view, std::string_view>, 30> specs = {{
        {"our|my own? fault|faults", kSayFault},
        {"we|i " MEND_BE " " MEND_QUITE "? to_blame|at_fault|in_the_wrong|guilty", kSayFault},
        {"fault|blame lies|lay|rests|rested|is|was " MEND_QUITE "? with|on us|me", kSayFault},
        {"fault|blame is|was " MEND_QUITE "? ours|mine", kSayFault},
        {"that|this|it is|was " MEND_QUITE "? on us|me", kSayFault},
        {"we|i ~1 take|takes|took|accept|accepts|accepted " MEND_QUITE "? the? blame", kSayFault},
        {"blame us|me", kSayFault},
        {"our|my bad", kSayFault},
        {"we|i ~1 accept|accepts|accepted|take|takes|took|admit|admits|admitted|acknowledge|"
         "bear|assume|assumed " MEND_QUITE "|full|complete|total|entire|any? responsibility|"
         "liability|fault",
         kSayResponsibility},
        {"we|i " MEND_BE " " MEND_QUITE "? responsible|liable|accountable for|$",
         kSayResponsibility},
        {"responsibility|liability is|was|lies|rests " MEND_QUITE "? ours|mine|with_us|with_me",
         kSayResponsibility},
        {"our|my own? mistake|mistakes|error|errors|blunder|oversight|mess-up|screw-up|slip-up",
         kSayMistake},
        {"mistake|error|fault|blunder|oversight|failure|failing|slip ~2 on|from|by "
         "our|my part|side|end",
         kSayMistake},
        {"we|i ~1 messed|screwed|mucked|slipped|fouled|cocked up", kSayMistake},
        {"we|i ~1 made|make a|an|some|several|two|one? mistake|mistakes|error|errors|blunder",
         kSayMistake},
        {"we|i ~1 got it|this|that|things|your_order|the_order wrong", kSayMistake},
        {"we|i ~1 dropped the ball", kSayMistake},
        {"mistake|mistakes|error|errors|blunder|oversight is|was|were " MEND_QUITE "? ours|mine",
         kSayMistake},
        {"we|i ~1 sent|shipped|gave|delivered|packed|charged you? the|a wrong", kSayMistake},
        {"we|i ~1 let you down", kSayMistake},
        {"we|i ~1 failed|forgot|neglected to", kSayMistake},
        {"we|i ~1 blundered|erred|goofed", kSayMistake},
        {"we|i ~1 caused|damaged|broke|smashed|scratched|dented|cracked|ruined|lost|mishandled|"
         "misplaced|spilled|crushed|destroyed|overcharged|miscalculated|mixed_up",
         kSayCause},
        {"our|my ~2 " MEND_STAFF " ~2 " MEND_HARM, kSayCause},
        {"damaged|broken|lost|smashed|scratched|dented|cracked|ruined|dropped|mishandled|"
         "misplaced|crushed|destroyed|caused|spilled by our|my ~1 " MEND_STAFF,
         kSayCause},
        {"damaged|broken|lost|smashed|scratched|dented|cracked|ruined|dropped|mishandled|"
         "crushed|destroyed ~3 in|while_in our|my care|hands|possession|custody|warehouse",
         kSayCause},
        {"we|i " MEND_BE " " MEND_QUITE "? negligent|careless|sloppy|reckless", kSayCare},
        {"negligence|carelessness ~2 on|by our|my part|side|end", kSayCare},
        {"we|i ~1 should|ought_to not? have ~1 "
         "packed|checked|told|called|informed|noticed|caught|done|"
         "known|been|taken|warned|spotted|tested|inspected|labelled|wrapped|followed|made|given|"
         "double-checked|confirmed|answered|replied|responded|contacted|updated|fixed|handled|"
         "listened|asked|read|looked|sent|shipped|delivered|secured|protected|explained|kept|"
         "prevented|avoided|stopped|refunded|replaced|acted|dealt|treated|trained",
         kSayShould},
        {"we|i ~1 could_have|might_have done_better|been_more_careful|handled_it_better",
         kSayShould},
    }};
    std::vector<Pattern> out;
    out.reserve(specs.size());
    for (const auto& [spec, advice] : specs)
      out.push_back(parse_pattern(spec, advice));
    return out;
  }();
  return patterns;
}

#undef MEND_BE
#undef MEND_QUITE
#undef MEND_STAFF
#undef MEND_HARM

// The end of a match of slots [slot...] at tokens[pos...], or nothing.
std::optional<std::size_t> match_at(const std::vector<Slot>& slots, std::size_t slot,
                                    const std::vector<Token>& tokens, std::size_t pos) {
  if (slot == slots.size()) return pos;
  const Slot& s = slots[slot];
  if (s.alternatives.empty()) {
    for (std::size_t skip = 0; skip <= s.gap && pos + skip <= tokens.size(); ++skip)
      if (auto end = match_at(slots, slot + 1, tokens, pos + skip)) return end;
    return std::nullopt;
  }
  for (const auto& alt : s.alternatives) {
    if (alt.size() == 1 && alt[0] == "$") {
      if (pos == tokens.size()) return match_at(slots, slot + 1, tokens, pos);
      continue;
    }
    if (pos + alt.size() > tokens.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < alt.size() && same; ++k)
      same = tokens[pos + k].text == alt[k];
    if (!same) continue;
    if (auto end = match_at(slots, slot + 1, tokens, pos + alt.size())) return end;
  }
  if (s.optional) return match_at(slots, slot + 1, tokens, pos);
  return std::nullopt;
}

bool one_of(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Which words of the clause negate: "not", "never", "deny", ... but not in
// "no doubt", "cannot deny", "should not have", "not only", ...
std::vector<bool> negations(const std::vector<Token>& t) {
  std::vector<bool> neg(t.size(), false);
  for (std::size_t i = 0; i < t.size(); ++i) {
    neg[i] = one_of(t[i].text, {"not", "no", "never", "nor", "neither", "none", "nobody", "nothing",
                                "without", "hardly", "deny", "denies", "denied", "dispute",
                                "disputes", "disputed", "reject", "rejects", "rejected"});
  }
  auto next_is = [&](std::size_t i, std::initializer_list<std::string_view> words) {
    return i + 1 < t.size() && one_of(t[i + 1].text, words);
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto& w = t[i].text;
    if (w == "no" || w == "without") {
      if (next_is(i, {"doubt", "question", "excuse", "excuses", "denying", "matter"}) ||
          (next_is(i, {"a"}) && i + 2 < t.size() && t[i + 2].text == "doubt")) {
        neg[i] = false;
      }
    } else if (w == "not") {
      if (next_is(i, {"deny", "dispute", "denying", "disputing", "reject"})) {
        neg[i] = false;
        neg[i + 1] = false;
      } else if (next_is(i, {"only", "just"})) {
        neg[i] = false;
      } else if (i > 0 && one_of(t[i - 1].text, {"should", "ought", "must"}) &&
                 next_is(i, {"have"})) {
        neg[i] = false;
      }
    }
  }
  return neg;
}

// Words that make what follows a doubt or someone else's claim.
bool doubts(const std::vector<Token>& t, std::size_t i) {
  const auto& w = t[i].text;
  if (one_of(w, {"if", "whether", "unless", "claim", "claims", "claimed", "allege", "alleges",
                 "alleged", "allegedly", "according", "supposedly", "investigating", "checking"}))
    return true;
  return one_of(w, {"you", "they", "he", "she", "customer"}) && i + 1 < t.size() &&
         one_of(t[i + 1].text,
                {"say",     "said",      "says",     "feel",    "felt",      "feels",
                 "think",   "thought",   "thinks",   "believe", "believed",  "believes",
                 "suggest", "suggested", "suggests", "mention", "mentioned", "write",
                 "wrote",   "told",      "tell",     "seem",    "seems"});
}

// "... is not true", "... was never established" after the words.
bool denied_after(const std::vector<Token>& t, std::size_t end) {
  for (std::size_t i = end; i + 1 < t.size(); ++i) {
    if (!one_of(t[i].text, {"not", "never"})) continue;
    if (one_of(t[i + 1].text,
               {"true", "the", "established", "proven", "proved", "confirmed", "clear", "known",
                "certain", "correct", "right", "accurate", "so", "shown", "been"}))
      return true;
  }
  return false;
}

// Whether words of the clause that end before tokens[end] stand: no negation
// or doubt before or inside them, no question, no denial after.
bool stands(const Clause& c, const std::vector<bool>& neg, std::size_t end) {
  if (c.question) return false;
  for (std::size_t i = 0; i < end; ++i)
    if (neg[i] || doubts(c.tokens, i)) return false;
  return !denied_after(c.tokens, end);
}

std::string words_as_written(std::string_view text, const Token& first, const Token& last) {
  std::string out;
  bool space = false;
  for (char ch : text.substr(first.begin, last.end - first.begin)) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

}  // namespace

std::optional<Admission> find_admission(std::string_view text) {
  for (const auto& clause : clauses_of(text)) {
    const auto neg = negations(clause.tokens);
    for (std::size_t pos = 0; pos < clause.tokens.size(); ++pos) {
      for (const auto& p : admission_patterns()) {
        const auto end = match_at(p.slots, 0, clause.tokens, pos);
        if (!end || *end == pos || !stands(clause, neg, *end)) continue;
        return Admission{words_as_written(text, clause.tokens[pos], clause.tokens[*end - 1]),
                         std::string(p.advice)};
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> admitted_fault(std::string_view text) {
  if (auto a = find_admission(text)) return std::move(a->words);
  return std::nullopt;
}

std::optional<std::string> apology_in(std::string_view text) {
  for (const auto& clause : clauses_of(text)) {
    const auto neg = negations(clause.tokens);
    for (std::size_t pos = 0; pos < clause.tokens.size(); ++pos) {
      const auto& w = clause.tokens[pos].text;
      if (!one_of(w, {"sorry", "apologise", "apologize", "apologised", "apologized", "apologising",
                      "apologizing", "apologies", "apology", "regret", "regrets"}))
        continue;
      if (clause.question) break;
      bool negated = false;
      for (std::size_t i = 0; i < pos && !negated; ++i)
        negated = neg[i];
      if (!negated) return w;
    }
  }
  return std::nullopt;
}

}  // namespace mend
