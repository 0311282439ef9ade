// Search on PostgreSQL: the cases whose words match a query, best first, as
// the SQLite store's search finds them (store_search.cpp). The words are the
// tsvectors of mend.search (the schema's second migration keeps them in step
// with every write); the query language is search_query.cpp, turned here into
// a tsquery made only of bound values.
#include <cstdint>
#include <string>
#include <vector>

#include "core/pg_rows.hpp"
#include "core/pg_store.hpp"
#include "core/search_query.hpp"
#include "core/sqlite_error.hpp"
#include "core/utf8.hpp"

namespace mend {
namespace {

// The characters that separate words besides spaces and controls, as
// mend.search_clean has them in the schema: ASCII punctuation, and the
// punctuation customers paste from word processors. PostgreSQL's parser would
// keep jo@example.com or 555-0100 as one word; SQLite's tokenizer, and so
// mend, finds them by their parts.
constexpr std::u32string_view kSeparators = U"·“”‘’„«»…–—•";

bool separates(std::int32_t cp) {
  if (cp < 0x80)
    return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
  return kSeparators.find(static_cast<char32_t>(cp)) != std::u32string_view::npos;
}

// The words of `text` (as the index splits them), each with its length in
// characters.
struct Word {
  std::string text;
  std::size_t chars = 0;
};
std::vector<Word> words_of(std::string_view text) {
  std::vector<Word> out;
  Word current;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const std::int32_t cp = decode_utf8(text, i, len);
    if (cp >= 0 && separates(cp)) {
      if (current.chars > 0) out.push_back(std::move(current));
      current = Word{};
    } else {
      current.text.append(text.substr(i, len));
      ++current.chars;
    }
    i += len;
  }
  if (current.chars > 0) out.push_back(std::move(current));
  return out;
}

std::string joined(const std::vector<Word>& words, std::size_t count) {
  std::string out;
  for (std::size_t k = 0; k < count; ++k)
    out += (k > 0 ? " " : "") + words[k].text;
  return out;
}

// A term as a tsquery expression: its words a phrase (one word is a phrase of
// one), the last one a prefix when it ended in *. Only the words are values,
// and they hold no punctuation, so no quote or operator reaches to_tsquery.
void append_term(std::string& sql, PgParams& p, const SearchTerm& t) {
  const std::vector<Word> words = words_of(t.text);
  if (!t.prefix) {
    sql += "phraseto_tsquery('mend.search', ?)";
    p << joined(words, words.size());
    return;
  }
  const std::string last = "'" + words.back().text + "':*";
  if (words.size() == 1) {
    sql += "to_tsquery('mend.search', ?)";
    p << last;
    return;
  }
  sql += "tsquery_phrase(phraseto_tsquery('mend.search', ?), to_tsquery('mend.search', ?))";
  p << joined(words, words.size() - 1) << last;
}

void append_group(std::string& sql, PgParams& p, const std::vector<SearchTerm>& terms) {
  sql += '(';
  for (std::size_t k = 0; k < terms.size(); ++k) {
    if (k > 0) sql += " || ";
    append_term(sql, p, terms[k]);
  }
  sql += ')';
}

// ts_rank_cd's weights of D, C, B and A: the timeline, the details, the
// customer and the phone's digits, the summary (SQLite's bm25 weights 1, 2,
// 5 and 10).
constexpr const char* kRank = "ts_rank_cd('{0.1, 0.2, 0.5, 1.0}', s.words, q.query)";

// ts_headline marks matches with two noncharacters (the markers of a hit,
// 0xFF, are no UTF-8, which PostgreSQL refuses); they are taken out of the
// text first, and become kMatchStart and kMatchEnd after.
constexpr std::string_view kOpen = "\xEF\xB7\x90";   // U+FDD0
constexpr std::string_view kClose = "\xEF\xB7\x91";  // U+FDD1
constexpr const char* kHeadlineOptions =
    "StartSel=\xEF\xB7\x90, StopSel=\xEF\xB7\x91, MaxWords=12, MinWords=6, ShortWord=0, "
    "MaxFragments=1, FragmentDelimiter=\" \"";

std::string headline(const char* column) {
  return std::string("ts_headline('mend.search', translate(d.") + column +
         ", chr(64976) || chr(64977), chr(65533) || chr(65533)), q.query, '" + kHeadlineOptions +
         "')";
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// The snippet as SQLite's shows it: … where the text goes on before or after.
std::string snippet_of(std::string marked, const std::string& text) {
  std::string plain = marked;
  replace_all(plain, kOpen, "");
  replace_all(plain, kClose, "");
  replace_all(marked, kOpen, kMatchStart);
  replace_all(marked, kClose, kMatchEnd);
  const auto at = text.find(plain);
  if (plain.empty() || at == std::string::npos) return marked;
  if (at > 0) marked.insert(0, "…");
  if (at + plain.size() < text.size()) marked += "…";
  return marked;
}

}  // namespace

void PgStore::search_cases(std::string_view query, const SearchFilter& f,
                           const std::function<void(const SearchHit&)>& each) {
  const ParsedSearch parsed = parse_search(query, [](std::string_view text) {
    const auto words = words_of(text);
    return words.empty() ? std::size_t{0} : words.back().chars;
  });
  // The tsquery: every wanted group, and none of the unwanted terms.
  PgParams p;
  std::string tsquery;
  for (const auto& group : parsed.wanted) {
    if (!tsquery.empty()) tsquery += " && ";
    append_group(tsquery, p, group);
  }
  if (!parsed.unwanted.empty()) {
    tsquery += " && !!";
    append_group(tsquery, p, parsed.unwanted);
  }
  // The matching cases and the filters (as `mend list` has them), best
  // first, then newest; then the snippets, of the cases shown only.
  const CaseConditions conditions(f.statuses, f.customer, f.owner, f.since, f.until);
  std::string hits = std::string("SELECT s.case_id, ") + kRank +
                     " AS rank FROM q, mend.search s JOIN mend.cases c ON c.id = s.case_id"
                     " LEFT JOIN mend.customers u ON u.id = c.customer_id"
                     " WHERE s.words @@ (SELECT query FROM q)" +
                     pg_words(conditions.sql()) +
                     " ORDER BY rank DESC, c.opened_at DESC, c.id DESC";
  add_values(p, conditions);
  if (f.limit) {
    hits += " LIMIT ?";
    p << *f.limit;
  }
  // The snippet of the first column with a match, in this order: the
  // complaint and the other details, the timeline, the customer, and only
  // then the summary, which is shown beside it anyway. A case found by its
  // phone's digits alone shows the customer.
  std::string sql = "WITH q AS MATERIALIZED (SELECT " + tsquery + " AS query), h AS (" + hits +
                    ") SELECT " + kPgCaseColumns;
  for (const char* column : {"details", "events", "customer", "summary"})
    sql += ", " + headline(column) + ", d." + column;
  sql +=
      " FROM h JOIN mend.cases c ON c.id = h.case_id"
      " LEFT JOIN mend.customers u ON u.id = c.customer_id"
      " JOIN mend.search_docs d ON d.id = h.case_id, q"
      " ORDER BY h.rank DESC, c.opened_at DESC, c.id DESC";

  read([&] {
    auto r = conn_.exec(sql, p);
    const int first = 27;  // after the case columns
    SearchHit hit;
    for (int i = 0; i < r.rows(); ++i) {
      if (r.null(i, 21)) throw missing_customer(path_, r.int64(i, 0), "it cannot be shown");
      hit.c = case_from(r, i);
      hit.snippet.clear();
      for (int k = 0; k < 4 && hit.snippet.empty(); ++k) {
        const std::string marked = r.text(i, first + 2 * k);
        if (marked.find(kOpen) != std::string::npos)
          hit.snippet = snippet_of(marked, r.text(i, first + 2 * k + 1));
      }
      if (hit.snippet.empty()) hit.snippet = snippet_of(r.text(i, first + 4), r.text(i, first + 5));
      each(hit);
    }
  });
}

}  // namespace mend
