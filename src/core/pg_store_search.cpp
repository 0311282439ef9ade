// Search on PostgreSQL: the cases whose words match a query, best first, as
// the SQLite store's search finds them (store_search.cpp). The words are the
// tsvectors of mend.search (the schema's second migration keeps them in step
// with every write); the query language is search_query.cpp, turned here into
// a tsquery made only of bound values.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/pg_rows.hpp"
#include "core/pg_snippet.hpp"
#include "core/pg_store.hpp"
#include "core/search_query.hpp"
#include "core/sqlite_error.hpp"

namespace mend {
namespace {

// The words of `text`, as the index splits them.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& w : text_words(text))
    out.emplace_back(text.substr(w.begin, w.end - w.begin));
  return out;
}

std::string joined(const std::vector<std::string>& words, std::size_t count) {
  std::string out;
  for (std::size_t k = 0; k < count; ++k)
    out += (k > 0 ? " " : "") + words[k];
  return out;
}

// A term as a tsquery expression: its words a phrase (one word is a phrase of
// one), the last one a prefix when it ended in *. Only the words are values,
// and they hold no punctuation, so no quote or operator reaches to_tsquery.
void append_term(std::string& sql, PgParams& p, const SearchTerm& t) {
  const std::vector<std::string> words = words_of(t.text);
  if (!t.prefix) {
    sql += "phraseto_tsquery('mend.search', ?)";
    p << joined(words, words.size());
    return;
  }
  const std::string last = "'" + words.back() + "':*";
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

// Words of context around the match in a snippet, as in SQLite's.
constexpr int kSnippetWords = 12;

// The snippets of the hits, made as SQLite's FTS5 makes them (pg_snippet.hpp):
// which words match is PostgreSQL's to say, by the lexemes of each word.
class Snippets {
 public:
  explicit Snippets(const ParsedSearch& parsed) {
    for (const auto& group : parsed.wanted)
      for (const auto& term : group) {
        std::vector<QueryWord> phrase;
        for (const auto& w : words_of(term.text))
          phrase.push_back(QueryWord{word_id(w), false});
        if (!phrase.empty()) phrase.back().prefix = term.prefix;
        phrases_.push_back(std::move(phrase));
      }
  }
  // Every word of `text` will need its lexemes.
  void add(const std::string& text) {
    for (const auto& w : text_words(text))
      word_id(text.substr(w.begin, w.end - w.begin));
  }
  // The lexemes of every word added, in one statement.
  void look_up(PgConn& conn) {
    std::string all;
    for (const auto& w : words_)
      all += (all.empty() ? "" : " ") + w;
    auto r = conn.exec(
        "SELECT coalesce(array_to_string(tsvector_to_array(to_tsvector('mend.search', w)), ' '), "
        "'') FROM unnest(string_to_array(?, ' ')) WITH ORDINALITY AS x (w, n) ORDER BY n",
        PgParams{} << all);
    lexemes_.assign(words_.size(), {});
    for (int i = 0; i < r.rows() && i < static_cast<int>(words_.size()); ++i) {
      const std::string list = r.text(i, 0);
      std::size_t start = 0;
      while (start < list.size()) {
        auto sep = list.find(' ', start);
        if (sep == std::string::npos) sep = list.size();
        lexemes_[static_cast<std::size_t>(i)].push_back(list.substr(start, sep - start));
        start = sep + 1;
      }
    }
  }
  // The snippet of `text`; empty when no phrase matches in it and `always` is false.
  std::string of(const std::string& text, bool always) {
    const auto tokens = text_words(text);
    std::vector<std::size_t> ids;
    ids.reserve(tokens.size());
    for (const auto& t : tokens)
      ids.push_back(word_id(text.substr(t.begin, t.end - t.begin)));
    std::vector<PhraseMatch> matches;
    for (std::size_t at = 0; at < tokens.size(); ++at)
      for (std::size_t p = 0; p < phrases_.size(); ++p) {
        const auto& phrase = phrases_[p];
        if (phrase.empty() || at + phrase.size() > tokens.size()) continue;
        bool all = true;
        for (std::size_t k = 0; k < phrase.size() && all; ++k)
          all = same(ids[at + k], phrase[k]);
        if (all)
          matches.push_back(PhraseMatch{static_cast<int>(p), static_cast<int>(at),
                                        static_cast<int>(phrase.size())});
      }
    if (matches.empty() && !always) return {};
    return fts5_snippet(text, tokens, matches, static_cast<int>(phrases_.size()), kSnippetWords,
                        kMatchStart, kMatchEnd, "…");
  }

 private:
  struct QueryWord {
    std::size_t id;
    bool prefix;
  };
  std::size_t word_id(const std::string& word) {
    const auto [it, added] = ids_.try_emplace(word, words_.size());
    if (added) words_.push_back(word);
    return it->second;
  }
  // Does the word `id` of the text match the word of the query? (A word
  // added after look_up has no lexemes, and matches nothing.)
  bool same(std::size_t id, const QueryWord& q) const {
    if (id >= lexemes_.size() || q.id >= lexemes_.size()) return false;
    for (const auto& have : lexemes_[id])
      for (const auto& want : lexemes_[q.id])
        if (q.prefix ? have.compare(0, want.size(), want) == 0 : have == want) return true;
    return false;
  }
  std::vector<std::vector<QueryWord>> phrases_;
  std::map<std::string, std::size_t> ids_;
  std::vector<std::string> words_;
  std::vector<std::vector<std::string>> lexemes_;
};

}  // namespace

void PgStore::search_cases(std::string_view query, const SearchFilter& f,
                           const std::function<void(const SearchHit&)>& each) {
  const ParsedSearch parsed = parse_search(query, [](std::string_view text) {
    const auto words = text_words(text);
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
  std::string sql = "WITH q AS MATERIALIZED (SELECT " + tsquery + " AS query), h AS (" + hits +
                    ") SELECT " + kPgCaseColumns +
                    ", d.details, d.events, d.customer, d.summary"
                    " FROM h JOIN mend.cases c ON c.id = h.case_id"
                    " LEFT JOIN mend.customers u ON u.id = c.customer_id"
                    " JOIN mend.search_docs d ON d.id = h.case_id"
                    " ORDER BY h.rank DESC, c.opened_at DESC, c.id DESC";

  read([&] {
    auto r = conn_.exec(sql, p);
    constexpr int kTexts = 27;  // details, events, customer, summary: after the case columns
    Snippets snippets(parsed);
    for (int i = 0; i < r.rows(); ++i)
      for (int k = 0; k < 4; ++k)
        snippets.add(r.text(i, kTexts + k));
    snippets.look_up(conn_);
    SearchHit hit;
    for (int i = 0; i < r.rows(); ++i) {
      if (r.null(i, 21)) throw missing_customer(path_, r.int64(i, 0), "it cannot be shown");
      hit.c = case_from(r, i);
      // The snippet of the first column with a match, in this order: the
      // complaint and the other details, the timeline, the customer, and
      // only then the summary, which is shown beside it anyway. A case found
      // by its phone's digits alone shows the customer.
      hit.snippet.clear();
      for (int k = 0; k < 4 && hit.snippet.empty(); ++k)
        hit.snippet = snippets.of(r.text(i, kTexts + k), false);
      if (hit.snippet.empty()) hit.snippet = snippets.of(r.text(i, kTexts + 2), true);
      each(hit);
    }
  });
}

}  // namespace mend
