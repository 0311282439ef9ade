// The query language of `mend search` (search_query.hpp), translated into
// FTS5 with FTS5's own tokenizer deciding what is a word, and every result
// run against a real FTS5 table.
#include "core/search_query.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include <string>

#include "core/errors.hpp"
#include "core/search_index.hpp"

using namespace mend;

namespace {

// An in-memory FTS5 table made like the index (same tokenizer), with a few
// documents, to run translations against.
struct Fts {
  SQLite::Database db{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  Fts5Words words{db.getHandle()};
  Fts() {
    db.exec(
        "CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = 'porter unicode61 remove_diacritics "
        "2');"
        "INSERT INTO t(rowid, a, b) VALUES "
        "(1, 'Parcel arrived late', 'The courier left it in Leeds'),"
        "(2, 'Parcel lost', 'Never arrived in York'),"
        "(3, 'Café refunds', 'She asked for two refunds at the café'),"
        "(4, 'Kettle stopped working', 'It worked for three days'),"
        "(5, 'New York order', 'arrived broken');");
  }
  std::string translate(std::string_view query) {
    return fts_query(query, [&](std::string_view text) { return words.last_word(text); });
  }
  // The ids a query finds, in id order ("1 3"); FTS5 must accept the translation.
  std::string found(std::string_view query) {
    SQLite::Statement q(db, "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid");
    q.bind(1, translate(query));
    std::string ids;
    while (q.executeStep())
      ids += (ids.empty() ? "" : " ") + std::to_string(q.getColumn(0).getInt64());
    return ids;
  }
  // The message of the usage error a malformed query gives.
  std::string refusal(std::string_view query) {
    try {
      translate(query);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::usage);
      return e.what();
    }
    FAIL("accepted: " << query);
    return {};
  }
};

}  // namespace

TEST_CASE("search query: words, prefixes, phrases, OR and exclusions become quoted FTS5") {
  Fts f;
  CHECK(f.translate("parcel leeds") == R"("parcel" AND "leeds")");
  CHECK(f.translate("refund*") == R"("refund"*)");
  CHECK(f.translate(R"("two words")") == R"("two words")");
  CHECK(f.translate(R"("two wor"*)") == R"("two wor"*)");
  CHECK(f.translate("late OR lost parcel") == R"(("late" OR "lost") AND "parcel")");
  CHECK(f.translate("a OR b OR c") == R"(("a" OR "b" OR "c"))");
  CHECK(f.translate("parcel NOT leeds") == R"("parcel" NOT "leeds")");
  CHECK(f.translate("parcel -leeds") == R"("parcel" NOT "leeds")");
  CHECK(f.translate(R"(parcel -"new york")") == R"("parcel" NOT "new york")");
  CHECK(f.translate("NOT late OR lost parcel") == R"("parcel" NOT ("late" OR "lost"))");
  CHECK(f.translate("a b -c NOT d") == R"(("a" AND "b") NOT ("c" OR "d"))");
  CHECK(f.translate("a AND b") == R"("a" AND "b")");
  // Only the capitalised words are operators.
  CHECK(f.translate("rock or roll and not jazz") ==
        R"("rock" AND "or" AND "roll" AND "and" AND "not" AND "jazz")");
  CHECK(f.translate(R"(one"two three"four)") == R"("one" AND "two three" AND "four")");
  CHECK(f.translate(R"("a""b")") == R"("a" AND "b")");
  CHECK(f.translate("  spaced\tout\nwords  ") == R"("spaced" AND "out" AND "words")");
}

TEST_CASE("search query: what FTS5 reads as syntax stays inside quotes") {
  Fts f;
  CHECK(f.translate("summary:cafe") == R"("summary:cafe")");
  CHECK(f.translate("{a b}:cafe") == R"("{a" AND "b}:cafe")");
  CHECK(f.translate("NEAR(parcel leeds, 2)") == R"q("NEAR(parcel" AND "leeds," AND "2)")q");
  CHECK(f.translate("^parcel") == R"("^parcel")");
  CHECK(f.translate("a+b (c) re*und") == R"q("a+b" AND "(c)" AND "re*und")q");
  CHECK(f.translate("*parcel") == R"("*parcel")");
  // None of it changes what is found: a column filter would have found 3 only
  // in column a; quoted it is the words "summary" and "cafe" together.
  CHECK(f.found("a:cafe") == "");
  CHECK(f.found("cafe") == "3");
  CHECK(f.found("^arrived") == "1 2 5");
  CHECK(f.found("NEAR(parcel late)") == "");  // the words "near parcel" and "late"
  CHECK(f.found("NEAR parcel") == "");
}

TEST_CASE("search query: matching ignores case and accents and English endings") {
  Fts f;
  CHECK(f.found("CAFE") == "3");
  CHECK(f.found("café") == "3");
  CHECK(f.found("refund") == "3");
  CHECK(f.found("work") == "4");
  CHECK(f.found("parcels") == "1 2");
  CHECK(f.found("arriv*") == "1 2 5");
  CHECK(f.found(R"("new york")") == "5");
  CHECK(f.found("york") == "2 5");
  CHECK(f.found("late OR lost parcel") == "1 2");
  CHECK(f.found("arrived -york") == "1");
  CHECK(f.found("arrived NOT york") == "1");
  CHECK(f.found(R"(arrived -"new york")") == "1 2");
  CHECK(f.found("NOT leeds OR york arrived") == "");
  CHECK(f.found("arrived NOT leeds OR late") == "2 5");
}

TEST_CASE("search query: words with nothing to search for drop out") {
  Fts f;
  CHECK(f.translate("parcel ***") == R"("parcel")");
  CHECK(f.translate("parcel - ! ... -***") == R"("parcel")");
  CHECK(f.translate("parcel OR *** lost") == R"("parcel" AND "lost")");
  CHECK(f.translate(R"(parcel "" "--")") == R"("parcel")");
  CHECK(f.translate("parcel NOT ***") == R"("parcel")");
}

TEST_CASE("search query: a malformed query is a usage error that says what is wrong") {
  Fts f;
  CHECK(f.refusal(R"(parcel "two words)").find("unclosed quote") != std::string::npos);
  CHECK(f.refusal(R"(parcel "two words)").find("\"two words") != std::string::npos);
  for (const char* q : {"", "   ", "***", "-", "!?", R"("")", "🎉", "-- --"})
    CHECK(f.refusal(q).find("no word to search for") != std::string::npos);
  for (const char* q : {"NOT parcel", "-parcel", R"(-"new york")", "NOT a OR b"})
    CHECK(f.refusal(q).find("only excludes") != std::string::npos);
  for (const char* q : {"OR parcel", "parcel OR", "a OR OR b", "a OR NOT b"})
    CHECK(f.refusal(q).find("OR with no word") != std::string::npos);
  for (const char* q : {"NOT", "parcel NOT", "NOT NOT parcel", "NOT OR a"})
    CHECK(f.refusal(q).find("NOT with no word") != std::string::npos);
  CHECK(f.refusal("parcel NOT -leeds").find("NOT and - both exclude") != std::string::npos);
  CHECK(f.refusal("-late OR lost parcel").find("'-late'") != std::string::npos);
  CHECK(f.refusal("late OR -lost parcel").find("OR joins words") != std::string::npos);
  for (const char* q : {"a*", "parcel x*", R"("two w"*)", "é*", "-a* parcel", "7*"})
    CHECK(f.refusal(q).find("prefix too short") != std::string::npos);
  CHECK(f.translate("ab* 日本*") == R"("ab"* AND "日本"*)");
  CHECK(f.refusal("caf\xC3").find("not valid UTF-8") != std::string::npos);
  CHECK(f.refusal("\xFF parcel").find("not valid UTF-8") != std::string::npos);
  CHECK(f.refusal("\xED\xA0\x80").find("not valid UTF-8") != std::string::npos);  // a surrogate
}

TEST_CASE("search query: control characters separate words, and NUL never reaches FTS5") {
  Fts f;
  const std::string with_nul("parcel\0leeds", 12);
  CHECK(f.translate(with_nul) == R"("parcel" AND "leeds")");
  CHECK(f.translate(std::string("\"a\0b\"", 5)) == R"("a b")");
  CHECK(f.translate("a\x1b[31mb\x7f") == R"("a" AND "[31mb")");
}

TEST_CASE("search query: other scripts, combining marks and right-to-left text are words") {
  Fts f;
  CHECK(f.translate("שלום") == "\"שלום\"");
  CHECK(f.translate("مرحبا -سلام") == "\"مرحبا\" NOT \"سلام\"");
  CHECK(f.translate("cafe\xCC\x81") == "\"cafe\xCC\x81\"");
  CHECK(f.found("cafe\xCC\x81") == "3");  // e + combining acute finds café
  CHECK(f.translate("日本語") == "\"日本語\"");
  CHECK(f.translate("a\u202Eb") == "\"a\u202Eb\"");  // a bidi override is inside the quotes
}

TEST_CASE("search query: very long queries translate, and FTS5 runs them") {
  Fts f;
  std::string many;
  for (int i = 0; i < 10000; ++i)
    many += "w" + std::to_string(i) + (i % 3 == 0 ? " OR " : " ");
  many += "parcel";
  const std::string fts = f.translate(many);
  CHECK(fts.size() > 10000 * 4);
  CHECK(f.found(many) == "");
  std::string excluded = "parcel";
  for (int i = 0; i < 10000; ++i)
    excluded += " -x" + std::to_string(i);
  CHECK(f.found(excluded) == "1 2");
  const std::string mib(1 << 20, 'a');  // one word of 1 MiB
  CHECK(f.found(mib) == "");
  std::string quotes(10001, '"');  // an odd number: one is left unclosed
  CHECK(f.refusal(quotes).find("unclosed") != std::string::npos);
}
