// Search on PostgreSQL: the cases whose words match a query, best first, as
// the SQLite store's search finds them (store_search.cpp). The words are the
// tsvectors of mend.search (the schema's second migration keeps them in step
// with every write); the query language is search_query.cpp, turned here into
// a tsquery made only of bound values. Which cases match is PostgreSQL's to
// say; their order and snippets are made here as SQLite's FTS5 makes them
// (bm25, snippet()), from the matching cases' words, so that both stores show
// the same hits in the same order.
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
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

// A PostgreSQL array literal of texts, every element quoted.
std::string text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    out += out.size() > 1 ? ",\"" : "\"";
    for (const char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

// The tsquery of each term, as PostgreSQL writes one: its words a phrase
// (one word is a phrase of one), the last one a prefix when it ended in *;
// empty when PostgreSQL finds no word in it. The words are bound values, and
// hold no punctuation, so no quote or operator of theirs reaches to_tsquery.
std::vector<std::string> term_queries(PgConn& conn, const std::vector<SearchTerm>& terms) {
  if (terms.empty()) return {};
  std::vector<std::string> heads;
  std::vector<std::string> lasts;  // the prefix, or empty
  for (const auto& t : terms) {
    const std::vector<std::string> words = words_of(t.text);
    const std::size_t n = t.prefix ? words.size() - 1 : words.size();
    heads.push_back(joined(words, n));
    lasts.push_back(t.prefix ? words.back() : std::string());
  }
  auto r = conn.exec(
      "SELECT CASE WHEN p = '' THEN phraseto_tsquery('mend.search', h) "
      "WHEN h = '' THEN to_tsquery('mend.search', '''' || p || ''':*') "
      "ELSE tsquery_phrase(phraseto_tsquery('mend.search', h), "
      "to_tsquery('mend.search', '''' || p || ''':*')) END::text "
      "FROM (SELECT mend.search_clean(h) AS h, btrim(mend.search_clean(l)) AS p, n "
      "FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS x (h, l, n)) t ORDER BY n",
      PgParams{} << text_array(heads) << text_array(lasts));
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(r.text(i, 0));
  out.resize(terms.size());
  return out;
}

// Terms' tsqueries joined by OR, each in parentheses; empty when none has a word.
std::string any_of(const std::vector<std::string>& queries) {
  std::string out;
  for (const auto& q : queries)
    if (!q.empty()) out += (out.empty() ? "(" : " | (") + q + ")";
  return out.empty() ? out : "(" + out + ")";
}

// Words of context around the match in a snippet, as in SQLite's.
constexpr int kSnippetWords = 12;

// bm25's weights of the columns of mend.search_docs, as the SQLite store
// weighs them: summary, customer, details, events, the phone's digits.
constexpr std::array<double, 5> kWeights = {10.0, 5.0, 2.0, 1.0, 5.0};

// Where the phrases of a query (each wanted term, in order) match in a text,
// word by word: a word matches when PostgreSQL makes the same lexeme of it as
// of the query's word (or one it starts with, for a prefix).
class Matcher {
 public:
  explicit Matcher(const ParsedSearch& parsed) {
    for (const auto& group : parsed.wanted)
      for (const auto& term : group) {
        std::vector<QueryWord> phrase;
        for (const auto& w : words_of(term.text))
          phrase.push_back(QueryWord{word_id(w), false});
        if (!phrase.empty()) phrase.back().prefix = term.prefix;
        phrases_.push_back(std::move(phrase));
      }
  }
  // The words of `text` that may match a word of the query will need their
  // lexemes (look_up). A word that starts with an ASCII letter or digit
  // keeps it as its lexeme's first (the stemmer changes endings, unaccent
  // only other letters), so one that starts with another than every word of
  // the query does can match none: most words of most texts.
  void add(const std::string& text) {
    for (const auto& w : text_words(text)) {
      const auto first = static_cast<unsigned char>(text[w.begin]);
      if (first < 0x80 && firsts_.find(static_cast<char>(std::tolower(first))) == std::string::npos)
        continue;
      word_id(text.substr(w.begin, w.end - w.begin));
    }
  }
  // The lexemes of every word added since the last time, in one statement;
  // the first time, those of the query's words.
  void look_up(PgConn& conn) {
    const std::size_t from = lexemes_.size();
    if (from == words_.size()) return;
    std::string all;
    for (std::size_t k = from; k < words_.size(); ++k)
      all += (all.empty() ? "" : " ") + words_[k];
    auto r = conn.exec(
        "SELECT coalesce(array_to_string(tsvector_to_array(to_tsvector('mend.search', "
        "mend.search_clean(w))), ' '), "
        "'') FROM unnest(string_to_array(?, ' ')) WITH ORDINALITY AS x (w, n) ORDER BY n",
        PgParams{} << all);
    lexemes_.resize(words_.size());
    for (int i = 0; i < r.rows() && from + static_cast<std::size_t>(i) < words_.size(); ++i) {
      const std::string list = r.text(i, 0);
      auto& lexemes = lexemes_[from + static_cast<std::size_t>(i)];
      std::size_t start = 0;
      while (start < list.size()) {
        auto sep = list.find(' ', start);
        if (sep == std::string::npos) sep = list.size();
        lexemes.push_back(list.substr(start, sep - start));
        if (from == 0) firsts_ += list[start];
        start = sep + 1;
      }
    }
  }
  std::size_t phrases() const { return phrases_.size(); }
  // The matches of the phrases in `text`, by word position.
  std::vector<PhraseMatch> matches(const std::string& text, const std::vector<TextWord>& tokens) {
    std::vector<std::size_t> ids;  // kNone for a word that matches nothing
    ids.reserve(tokens.size());
    for (const auto& t : tokens) {
      const auto it = ids_.find(std::string_view(text).substr(t.begin, t.end - t.begin));
      ids.push_back(it == ids_.end() ? kNone : it->second);
    }
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
    return matches;
  }
  // The snippet of `text`; empty when no phrase matches in it and `always` is false.
  std::string snippet(const std::string& text, bool always) {
    const auto tokens = text_words(text);
    const auto matches = this->matches(text, tokens);
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
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::map<std::string, std::size_t, std::less<>> ids_;
  std::vector<std::string> words_;
  std::vector<std::vector<std::string>> lexemes_;
  std::string firsts_;  // the first character of every lexeme of the query
};

}  // namespace

void PgStore::search_cases(std::string_view query, const SearchFilter& f,
                           const std::function<void(const SearchHit&)>& each) {
  const ParsedSearch parsed = parse_search(query, [](std::string_view text) {
    const auto words = text_words(text);
    return words.empty() ? std::size_t{0} : words.back().chars;
  });
  // The matching cases and the filters (as `mend list` has them), with the
  // words the order and the snippets are made from.
  const CaseConditions conditions(f.statuses, f.customer, f.owner, f.since, f.until);
  const std::string found =
      "WITH q AS MATERIALIZED (SELECT ?::tsquery AS query)"
      " SELECT c.id, c.opened_at, d.summary, d.customer, d.details, d.events, d.keys"
      " FROM mend.search s JOIN mend.cases c ON c.id = s.case_id"
      " LEFT JOIN mend.customers u ON u.id = c.customer_id"
      " JOIN mend.search_docs d ON d.id = s.case_id"
      " WHERE s.words @@ (SELECT query FROM q)" +
      pg_words(conditions.sql());
  std::vector<SearchTerm> wanted;  // every wanted term, in order: bm25's phrases
  for (const auto& group : parsed.wanted)
    wanted.insert(wanted.end(), group.begin(), group.end());
  Matcher matcher(parsed);

  read([&] {
    // The tsquery, assembled from PostgreSQL's own tsqueries of the terms:
    // every wanted group, and none of the unwanted terms. Bound as one value,
    // it is never SQL; a query of ten thousand words is one flat list, not
    // ten thousand nested expressions.
    const std::vector<std::string> queries = term_queries(conn_, wanted);
    std::string tsquery;
    std::size_t k = 0;
    for (const auto& group : parsed.wanted) {
      const auto from = queries.begin() + static_cast<std::ptrdiff_t>(k);
      k += group.size();
      const std::string any =
          any_of(std::vector<std::string>(from, queries.begin() + static_cast<std::ptrdiff_t>(k)));
      if (any.empty()) return;  // a group with no word PostgreSQL knows matches nothing
      tsquery += (tsquery.empty() ? "" : " & ") + any;
    }
    const std::string unwanted = any_of(term_queries(conn_, parsed.unwanted));
    if (!unwanted.empty()) tsquery += " & !" + unwanted;
    PgParams p;
    p << tsquery;
    add_values(p, conditions);
    auto r = conn_.exec(found, p);
    if (r.rows() == 0) return;
    // What bm25 weighs them by: how many cases there are, how many words
    // they hold, and how many cases each phrase is found in.
    auto st = conn_.exec("SELECT count(*), coalesce(sum(tokens), 0) FROM mend.search");
    auto in = conn_.exec(
        "SELECT (SELECT count(*) FROM mend.search WHERE words @@ t::tsquery) "
        "FROM unnest(?::text[]) WITH ORDINALITY AS x (t, n) ORDER BY n",
        PgParams{} << text_array(queries));
    const double rows = static_cast<double>(st.int64(0, 0));
    const double avgdl = static_cast<double>(st.int64(0, 1)) / std::max(rows, 1.0);
    std::vector<double> idf;
    for (std::size_t j = 0; j < matcher.phrases(); ++j) {
      const double hits = static_cast<double>(in.int64(static_cast<int>(j), 0));
      const double v = std::log((rows - hits + 0.5) / (hits + 0.5));
      idf.push_back(v <= 0.0 ? 1e-6 : v);
    }
    matcher.look_up(conn_);  // the query's words
    for (int i = 0; i < r.rows(); ++i)
      for (int k = 0; k < 5; ++k)
        matcher.add(r.text(i, 2 + k));
    matcher.look_up(conn_);

    // bm25 of each case, as FTS5 reckons it (k1 1.2, b 0.75), best first,
    // then newest.
    struct Ranked {
      double bm25;
      std::int64_t opened_at;
      std::int64_t id;
      int row;
    };
    std::vector<Ranked> ranked;
    ranked.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      std::vector<double> freq(matcher.phrases(), 0.0);
      double size = 0;
      for (int k = 0; k < 5; ++k) {
        const std::string text = r.text(i, 2 + k);
        const auto tokens = text_words(text);
        size += static_cast<double>(tokens.size());
        for (const auto& m : matcher.matches(text, tokens))
          freq[static_cast<std::size_t>(m.phrase)] += kWeights[static_cast<std::size_t>(k)];
      }
      double score = 0.0;
      for (std::size_t k = 0; k < freq.size(); ++k)
        score +=
            idf[k] * ((freq[k] * (1.2 + 1.0)) / (freq[k] + 1.2 * (1 - 0.75 + 0.75 * size / avgdl)));
      ranked.push_back(Ranked{-1.0 * score, r.int64(i, 1), r.int64(i, 0), i});
    }
    std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
      if (a.bm25 != b.bm25) return a.bm25 < b.bm25;
      if (a.opened_at != b.opened_at) return a.opened_at > b.opened_at;
      return a.id > b.id;
    });
    if (f.limit && ranked.size() > static_cast<std::size_t>(std::max<std::int64_t>(*f.limit, 0)))
      ranked.resize(static_cast<std::size_t>(std::max<std::int64_t>(*f.limit, 0)));
    if (ranked.empty()) return;

    // The cases shown, read together.
    std::string ids;
    for (const auto& h : ranked)
      ids += (ids.empty() ? "{" : ",") + std::to_string(h.id);
    ids += "}";
    auto cases = conn_.exec(std::string("SELECT ") + pg_case_columns() +
                                " FROM mend.cases c LEFT JOIN mend.customers u"
                                " ON u.id = c.customer_id WHERE c.id = ANY (?::bigint[])",
                            PgParams{} << ids);
    std::map<std::int64_t, int> row_of;
    for (int i = 0; i < cases.rows(); ++i)
      row_of[cases.int64(i, 0)] = i;
    SearchHit hit;
    for (const auto& h : ranked) {
      const auto at = row_of.find(h.id);
      if (at == row_of.end() || cases.null(at->second, 21))
        throw missing_customer(path_, h.id, "it cannot be shown");
      hit.c = pg_case_from(cases, at->second);
      // The snippet of the first column with a match, in this order: the
      // complaint and the other details, the timeline, the customer, and
      // only then the summary, which is shown beside it anyway. A case found
      // by its phone's digits alone shows the customer.
      hit.snippet.clear();
      for (const int column : {4, 5, 3, 2}) {
        hit.snippet = matcher.snippet(r.text(h.row, column), false);
        if (!hit.snippet.empty()) break;
      }
      if (hit.snippet.empty()) hit.snippet = matcher.snippet(r.text(h.row, 3), true);
      each(hit);
    }
  });
}

}  // namespace mend
