#include "core/search_query.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/errors.hpp"
#include "core/utf8.hpp"

namespace mend {
namespace {

// A word or phrase of the query, or one of its operators.
struct Item {
  enum class Kind { term, op_or, op_not };
  Kind kind = Kind::term;
  std::string text;       // term: the words, without quotes, stars or the leading -
  bool prefix = false;    // term: ended in *
  bool excluded = false;  // term: written -word or -"phrase"
};

// One clause of the implicit AND: terms joined by OR, maybe excluded.
struct Clause {
  std::vector<const Item*> terms;
  bool excluded = false;
};

[[noreturn]] void malformed(const std::string& what) {
  fail(ErrorKind::usage, "the search query " + what);
}

// At most `max` bytes of `s`, cut at a character boundary, for quoting in a message.
std::string excerpt(std::string_view s, std::size_t max = 30) {
  if (s.size() <= max) return std::string(s);
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
    --end;
  return std::string(s.substr(0, end)) + "...";
}

// The query with every control character (C0, DEL) turned into a space: they
// separate words, and a NUL must never reach FTS5, which reads its query as
// a C string. Error(usage) when it is not valid UTF-8.
std::string normalised(std::string_view query) {
  std::string out;
  out.reserve(query.size());
  for (std::size_t i = 0; i < query.size();) {
    std::size_t len = 1;
    const std::int32_t cp = decode_utf8(query, i, len);
    if (cp < 0) malformed("is not valid UTF-8; type it again in a UTF-8 terminal");
    if (cp < 0x20 || cp == 0x7F) {
      out += ' ';
    } else {
      out.append(query.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::vector<Item> lex(const std::string& s) {
  std::vector<Item> items;
  const std::size_t n = s.size();
  bool exclude_next_phrase = false;  // a "-" right before a quote
  std::size_t i = 0;
  const auto stars = [&] {
    bool any = false;
    while (i < n && s[i] == '*') {
      any = true;
      ++i;
    }
    return any;
  };
  while (i < n) {
    if (s[i] == ' ') {
      ++i;
      exclude_next_phrase = false;
      continue;
    }
    if (s[i] == '"') {
      const std::size_t close = s.find('"', i + 1);
      if (close == std::string::npos)
        malformed("has an unclosed quote (\"" + excerpt(std::string_view(s).substr(i + 1)) +
                  "); end the phrase with a second \"");
      Item t;
      t.text = s.substr(i + 1, close - i - 1);
      t.excluded = exclude_next_phrase;
      exclude_next_phrase = false;
      i = close + 1;
      t.prefix = stars();
      items.push_back(std::move(t));
      continue;
    }
    std::size_t end = i;
    while (end < n && s[end] != ' ' && s[end] != '"')
      ++end;
    std::string word = s.substr(i, end - i);
    i = end;
    if (word == "OR") {
      items.push_back(Item{Item::Kind::op_or, {}, false, false});
      continue;
    }
    if (word == "NOT") {
      items.push_back(Item{Item::Kind::op_not, {}, false, false});
      continue;
    }
    if (word == "AND") continue;  // what every space means already
    if (word == "-" && i < n && s[i] == '"') {
      exclude_next_phrase = true;
      continue;
    }
    Item t;
    if (word.size() > 1 && word[0] == '-') {
      t.excluded = true;
      word.erase(0, 1);
    }
    while (!word.empty() && word.back() == '*') {
      t.prefix = true;
      word.pop_back();
    }
    t.text = std::move(word);
    items.push_back(std::move(t));
  }
  return items;
}

// `word` as the query showed it, for messages.
std::string shown(const Item& t) {
  return std::string(t.excluded ? "-" : "") + t.text + (t.prefix ? "*" : "");
}

std::vector<Clause> parse(const std::vector<Item>& items) {
  using Kind = Item::Kind;
  std::vector<Clause> clauses;
  const std::size_t n = items.size();
  for (std::size_t i = 0; i < n;) {
    Clause clause;
    if (items[i].kind == Kind::op_not) {
      clause.excluded = true;
      ++i;
      if (i == n || items[i].kind != Kind::term) malformed("has a NOT with no word after it");
      if (items[i].excluded)
        malformed("has NOT before '" + excerpt(shown(items[i])) +
                  "': NOT and - both exclude, use one of them");
    }
    if (items[i].kind == Kind::op_or)
      malformed("has an OR with no word before it; OR joins two words (late OR lost)");
    clause.terms.push_back(&items[i]);
    ++i;
    while (i < n && items[i].kind == Kind::op_or) {
      ++i;
      if (i == n || items[i].kind != Kind::term)
        malformed("has an OR with no word after it; OR joins two words (late OR lost)");
      clause.terms.push_back(&items[i]);
      ++i;
    }
    if (clause.terms.size() > 1) {
      for (const Item* t : clause.terms)
        if (t->excluded)
          malformed("joins an excluded word ('" + excerpt(shown(*t)) +
                    "') with OR; OR joins words to search for (NOT late OR lost excludes both)");
    } else if (clause.terms[0]->excluded) {
      clause.excluded = true;
    }
    clauses.push_back(std::move(clause));
  }
  return clauses;
}

// A term as an FTS5 string: quoted, a quote inside doubled, so that nothing in
// it is FTS5 syntax; a prefix gets FTS5's * after the closing quote.
void append_term(std::string& out, const SearchTerm& t) {
  out += '"';
  for (const char c : t.text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  if (t.prefix) out += '*';
}

void append_group(std::string& out, const std::vector<SearchTerm>& terms) {
  if (terms.size() > 1) out += '(';
  for (std::size_t k = 0; k < terms.size(); ++k) {
    if (k > 0) out += " OR ";
    append_term(out, terms[k]);
  }
  if (terms.size() > 1) out += ')';
}

}  // namespace

ParsedSearch parse_search(std::string_view query, const LastWord& last_word) {
  const std::string text = normalised(query);
  const std::vector<Item> items = lex(text);
  std::vector<Clause> clauses = parse(items);
  // Words with nothing to search for ("***", "-", "") drop out, and with
  // them a clause left empty: the index would match nothing for them.
  ParsedSearch out;
  bool excluded_any = false;
  for (auto& c : clauses) {
    std::vector<SearchTerm> kept;
    for (const Item* t : c.terms) {
      const std::size_t last = last_word(t->text);
      if (last == 0) continue;
      if (t->prefix && last < kMinPrefix)
        malformed("has a prefix too short to search for ('" + excerpt(shown(*t)) +
                  "'): give at least " + std::to_string(kMinPrefix) +
                  " letters or digits before the *");
      kept.push_back(SearchTerm{t->text, t->prefix});
    }
    excluded_any = excluded_any || c.excluded;
    if (kept.empty()) continue;
    if (c.excluded) {
      out.unwanted.insert(out.unwanted.end(), kept.begin(), kept.end());
    } else {
      out.wanted.push_back(std::move(kept));
    }
  }
  if (out.wanted.empty()) {
    if (excluded_any && !out.unwanted.empty())
      malformed("only excludes words; add a word to search for (parcel NOT leeds)");
    malformed("has no word to search for; give letters or digits (mend search parcel)");
  }
  return out;
}

std::string fts_query(std::string_view query, const LastWord& last_word) {
  const ParsedSearch parsed = parse_search(query, last_word);
  const auto& wanted = parsed.wanted;
  const auto& unwanted = parsed.unwanted;
  // One AND of the wanted clauses, one NOT of all excluded terms: the depth
  // of FTS5's expression tree stays the same however long the query is.
  std::string out;
  const bool wrap = !unwanted.empty() && wanted.size() > 1;
  if (wrap) out += '(';
  for (std::size_t k = 0; k < wanted.size(); ++k) {
    if (k > 0) out += " AND ";
    append_group(out, wanted[k]);
  }
  if (wrap) out += ')';
  if (!unwanted.empty()) {
    out += " NOT ";
    if (unwanted.size() > 1) out += '(';
    for (std::size_t k = 0; k < unwanted.size(); ++k) {
      if (k > 0) out += " OR ";
      append_term(out, unwanted[k]);
    }
    if (unwanted.size() > 1) out += ')';
  }
  return out;
}

}  // namespace mend
