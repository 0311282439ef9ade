// mend search, end to end: the query language, what is searched, ranking,
// filters, output, malformed queries, and the index staying in step with
// every write (forget included).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "data_support.hpp"
#include "harness.hpp"
#include "refusal.hpp"

using namespace mend::test;

namespace {

// The ids `mend search ARGS --json` finds, in its order.
std::vector<int> found(const Sandbox& s, std::vector<std::string> args) {
  args.insert(args.begin(), {"search", "--json"});
  std::vector<int> out;
  for (const auto& hit : nlohmann::json::parse(s.ok(args)))
    out.push_back(hit["case"]["id"]);
  return out;
}
using Ids = std::vector<int>;

// The same, in id order: for matches whose order the test does not decide.
Ids found_set(const Sandbox& s, std::vector<std::string> args) {
  Ids ids = found(s, std::move(args));
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Everything the index holds that a query or bm25 reads: every word of every
// case by column and position, each case's column sizes, and the totals.
std::string index_state(const std::string& db) {
  return sql(db,
             "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, cases_fts, instance); "
             "SELECT term, doc, col, offset FROM temp.v; "
             "SELECT id, hex(sz) FROM cases_fts_docsize ORDER BY id; "
             "SELECT hex(block) FROM cases_fts_data WHERE id = 1;");
}

// The index equals one rebuilt from the rows: every write kept it in step.
// On PostgreSQL: every case has its words, and they are the ones its rows
// make now.
void check_in_step(const Sandbox& s, const std::string& after) {
  INFO("after " << after);
  if (pg_run()) {
    CHECK(sql(s.db,
              "SELECT count(*) FROM mend.cases c LEFT JOIN mend.search s ON s.case_id = c.id "
              "LEFT JOIN mend.search_docs d ON d.id = c.id WHERE s.case_id IS NULL OR "
              "s.words IS DISTINCT FROM mend.search_vector(d) OR s.tokens <> "
              "mend.search_count(d.summary) + mend.search_count(d.customer) + "
              "mend.search_count(d.details) + mend.search_count(d.events) + "
              "mend.search_count(d.keys)") == "0\n");
    return;
  }
  const std::string copy = s.dir + "/rebuilt.db";
  std::filesystem::remove(copy);
  CHECK(sql(s.db, "VACUUM INTO '" + copy + "'").empty());
  CHECK(sql(copy, "INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')").empty());
  CHECK(sql(s.db, "INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')").empty());
  const auto live = index_state(s.db);
  CHECK(live.find("Error") == std::string::npos);
  CHECK(live == index_state(copy));
  std::filesystem::remove(copy);
}

// Cases with words in every field the index reads.
void seed(Sandbox& s) {
  s.env["MEND_NOW"] = "2026-11-20T10:00:00Z";
  s.ok({"open", "Ada Lovelace", "Parcel arrived damaged", "--email", "ada@example.com", "--phone",
        "+44 20 7946 0018", "--category", "delivery", "--tag", "fragile", "--ref", "INV-1042",
        "--wants", "a replacement vase", "-m",
        "The box was crushed and the vase broke at the Café."});
  s.ok({"open", "Bob Stone", "Charged twice", "--category", "billing", "-m",
        "Two refunds were promised"});
  s.env["MEND_NOW"] = "2026-11-21T10:00:00Z";
  s.ok({"open", "Chloé Dubois", "Lost parcel", "--category", "delivery", "-m",
        "Never arrived in Leeds"});
  s.ok({"note", "2", "Called the bank about the double charge", "--kind", "call"});
  s.env["MEND_NOW"] = "2026-11-22T10:00:00Z";
  s.ok({"open", "Dev Patel", "Kettle stopped working", "--category", "product"});
  s.ok({"resolve", "4", "--outcome", "replacement", "-m", "New kettle sent by courier", "--cause",
        "Faulty batch", "--followup", "never"});
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
}

}  // namespace

TEST_CASE("mend search: every word must match, in any order; prefixes, phrases, OR, exclusions") {
  Sandbox s;
  seed(s);
  CHECK(found(s, {"parcel"}) == Ids{3, 1});
  CHECK(found(s, {"damaged", "parcel"}) == Ids{1});
  CHECK(found(s, {"parcel damaged"}) == Ids{1});  // one argument, two words
  CHECK(found(s, {"parcel", "kettle"}).empty());
  CHECK(found(s, {"parc*"}) == Ids{3, 1});
  CHECK(found(s, {"ket*", "work*"}) == Ids{4});
  CHECK(found(s, {"\"arrived damaged\""}) == Ids{1});
  CHECK(found(s, {"\"damaged arrived\""}).empty());
  CHECK(found(s, {"\"double char\"*"}) == Ids{2});
  CHECK(found_set(s, {"lost", "OR", "damaged", "parcel"}) == Ids{1, 3});
  CHECK(found_set(s, {"kettle OR charged"}) == Ids{2, 4});
  CHECK(found_set(s, {"kettle OR charged OR leeds"}) == Ids{2, 3, 4});
  CHECK(found(s, {"parcel", "NOT", "leeds"}) == Ids{1});
  CHECK(found(s, {"parcel", "--", "-leeds"}) == Ids{1});
  CHECK(found(s, {"--", "-leeds", "parcel"}) == Ids{1});
  CHECK(found(s, {"parcel", "--", "-\"arrived damaged\""}) == Ids{3});
  CHECK(found(s, {"NOT", "leeds", "OR", "box", "parcel"}).empty());
  CHECK(found(s, {"parcel", "AND", "damaged"}) == Ids{1});
  // Lowercase operators are words.
  CHECK(found(s, {"parcel", "or", "kettle"}).empty());
}

TEST_CASE("mend search ignores case, accents and English word endings") {
  Sandbox s;
  seed(s);
  CHECK(found(s, {"cafe"}) == Ids{1});
  CHECK(found(s, {"CAFÉ"}) == Ids{1});
  CHECK(found(s, {"chloe"}) == Ids{3});
  CHECK(found(s, {"Chloé", "dubois"}) == Ids{3});
  CHECK(found(s, {"refund"}) == Ids{2});               // the complaint says refunds
  CHECK(found(s, {"promise"}) == Ids{2});              // promised
  CHECK(found(s, {"charges"}) == Ids{2});              // charged, charge
  CHECK(found(s, {"crushing"}) == Ids{1});             // crushed
  CHECK(found(s, {"arrive"}) == Ids{1, 3});            // arrived: in 1's summary, in 3's complaint
  s.ok({"open", "Zoë", "e\xCC\x81te\xCC\x81 chaud"});  // é as e + a combining accent
  CHECK(found(s, {"ete"}) == Ids{5});
  CHECK(found(s, {"zoe"}) == Ids{5});
  s.ok({"open", "דוד", "החבילה לא הגיעה", "-m", "وصل الطرد مكسورا"});
  CHECK(found(s, {"הגיעה"}) == Ids{6});
  CHECK(found(s, {"مكسورا"}) == Ids{6});
  CHECK(found(s, {"דוד"}) == Ids{6});
}

TEST_CASE("mend search finds every field a case holds") {
  Sandbox s;
  seed(s);
  s.ok({"attach", "1", "-", "--name", "crushed-box-photo.png"}, tiny_png());
  CHECK(found(s, {"kettle"}) == Ids{4});               // summary
  CHECK(found(s, {"crushed"}) == Ids{1});              // complaint (and the file name)
  CHECK(found(s, {"replacement", "vase"}) == Ids{1});  // wants
  CHECK(found(s, {"INV-1042"}) == Ids{1});             // reference
  CHECK(found(s, {"1042"}) == Ids{1});
  CHECK(found(s, {"courier"}) == Ids{4});          // resolution text
  CHECK(found(s, {"faulty"}) == Ids{4});           // cause
  CHECK(found(s, {"billing"}) == Ids{2});          // category
  CHECK(found(s, {"fragile"}) == Ids{1});          // tag
  CHECK(found(s, {"bank"}) == Ids{2});             // an event's text
  CHECK(found(s, {"lovelace"}) == Ids{1});         // the customer's name
  CHECK(found(s, {"ada@example.com"}) == Ids{1});  // email
  CHECK(found(s, {"example"}) == Ids{1});
  CHECK(found(s, {"+44 20 7946 0018"}) == Ids{1});  // phone, as written
  CHECK(found(s, {"\"7946 0018\""}) == Ids{1});
  CHECK(found(s, {"442079460018"}) == Ids{1});  // and its digits alone
  CHECK(found(s, {"photo"}) == Ids{1});         // an attachment's name
  CHECK(found(s, {"png"}) == Ids{1});
  // The event a new email writes, and the customer's other cases.
  s.ok({"open", "Ada Lovelace", "Second complaint", "--email", "ada@example.com"});
  s.ok({"edit", "5", "--email", "ada@lovelace.example"});
  CHECK(found(s, {"lovelace.example"}) == Ids{5, 1});
  CHECK(found(s, {"ada@example.com"}) == Ids{5});  // the edited event names the old one
}

TEST_CASE("mend search: best matches first, the summary and the customer weigh most, then newest") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-01T10:00:00Z";
  s.ok({"open", "Ann", "Toaster sparks", "-m", "It smells of smoke"});
  s.ok({"note", "1", "Smoke again, and a refund was asked for"});
  s.env["MEND_NOW"] = "2026-11-02T10:00:00Z";
  s.ok({"open", "Bea", "Refund request"});
  s.env["MEND_NOW"] = "2026-11-03T10:00:00Z";
  s.ok({"open", "Cy", "Late delivery", "-m", "I want a refund"});
  // The summary beats the details, the details beat the timeline.
  CHECK(found(s, {"refund"}) == Ids{2, 3, 1});
  // Equal matches: the newest first, whatever the ids. Imported: case 10
  // opened before case 11, case 12 in between.
  auto a = case_line(10, 7, "Eve", "Broken hinge");
  a["opened_at"] = "2026-10-01T09:00:00Z";
  a["events"][0]["at"] = a["opened_at"];
  auto b = case_line(11, 7, "Eve", "Broken hinge");
  b["opened_at"] = "2026-09-01T09:00:00Z";
  b["events"][0]["at"] = b["opened_at"];
  auto c = case_line(12, 7, "Eve", "Broken hinge");
  c["opened_at"] = "2026-09-15T09:00:00Z";
  c["events"][0]["at"] = c["opened_at"];
  s.ok({"import", "-"}, jsonl({a, b, c}));
  CHECK(found(s, {"hinge"}) == Ids{10, 12, 11});
}

TEST_CASE(
    "mend search filters as list does: --status (repeatable), --customer, --owner, --mine, "
    "--since, --until, --limit") {
  Sandbox s;
  seed(s);
  s.ok({"resolve", "1", "--outcome", "replacement"});
  CHECK(found(s, {"parcel", "--status", "open"}) == Ids{3});
  CHECK(found(s, {"parcel", "--status", "resolved"}) == Ids{1});
  CHECK(found(s, {"parcel", "--status", "closed"}).empty());
  CHECK(found(s, {"arrived OR kettle", "--status", "closed", "--status", "OPEN"}) == Ids{4, 3});
  CHECK(found(s, {"delivery", "--customer", "ada@EXAMPLE.com"}) == Ids{1});
  CHECK(found(s, {"delivery", "--customer", "dubois"}) == Ids{3});
  CHECK(found(s, {"delivery", "--customer", "3"}) == Ids{3});
  CHECK(found(s, {"delivery", "--customer", "7946 0018"}) == Ids{1});  // part of the phone
  CHECK(found(s, {"delivery", "--customer", "@example"}) == Ids{1});   // part of the email
  s.ok({"assign", "3", "Priya"});
  s.env["MEND_USER"] = "priya";
  CHECK(found(s, {"delivery", "--mine"}) == Ids{3});
  CHECK(found(s, {"delivery", "--owner", "PRIYA"}) == Ids{3});
  CHECK(found(s, {"delivery", "--owner", "nobody"}) == Ids{1});
  CHECK(found(s, {"delivery", "--owner", "sam"}).empty());
  check_refused(s, {"search", "parcel", "--mine", "--owner", "sam"}, 64);
  CHECK(found(s, {"delivery", "--since", "2026-11-21"}) == Ids{3});
  CHECK(found(s, {"delivery", "--until", "2026-11-20"}) == Ids{1});  // the day counts whole
  CHECK(found(s, {"parcel", "--limit", "1"}).size() == 1);
  CHECK(found(s, {"parcel", "--since", "2026-12-01"}).empty());
  check_refused(s, {"search", "parcel", "--status", "pending"}, 64, "--status");
  check_refused(s, {"search", "parcel", "--limit", "0"}, 64, "--limit");
  check_refused(s, {"search", "parcel", "--since", "someday"}, 64);
  check_refused(s, {"search", "parcel", "--since", "2026-11-23", "--until", "2026-11-21"}, 64,
                "later than --until");
}

TEST_CASE("mend search --json: an array of {case, snippet}, the case exactly as list gives it") {
  Sandbox s;
  seed(s);
  const auto hits = nlohmann::ordered_json::parse(s.ok({"search", "--json", "crushed"}));
  REQUIRE(hits.size() == 1);
  std::vector<std::string> keys;
  for (const auto& [k, v] : hits[0].items())
    keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"case", "snippet"});
  const auto listed = nlohmann::ordered_json::parse(s.ok({"list", "--json", "--customer", "1"}));
  CHECK(hits[0]["case"] == listed[0]);
  CHECK(!hits[0]["case"].contains("events"));
  CHECK(!hits[0]["case"].contains("attachments"));
  // Plain text: the words around the match, no marks, one line.
  const std::string snippet = hits[0]["snippet"];
  CHECK(snippet.find("box was crushed and the vase") != std::string::npos);
  CHECK(snippet.find('\n') == std::string::npos);
  CHECK(snippet.find('\xFF') == std::string::npos);
  CHECK(s.ok({"search", "--json", "nothing-like-this"}) == "[]\n");
  // With --limit, the cases are ordered first and read after: the same output.
  for (const char* q : {"parcel", "delivery", "arrived OR kettle", "ca*"}) {
    CHECK(s.ok({"search", "--json", q}) == s.ok({"search", "--json", q, "--limit", "100"}));
    CHECK(s.ok({"search", q}) == s.ok({"search", q, "--limit", "100"}));
  }
}

TEST_CASE(
    "mend search prints each case, its status, customer, summary and a snippet; bold on a "
    "terminal") {
  Sandbox s;
  seed(s);
  CHECK(s.ok({"search", "bank"}) ==
        "#2  open  Bob Stone  Charged twice\n"
        "    Called the bank about the double charge\n");
  // A match in the summary alone: its snippet is the summary.
  CHECK(s.ok({"search", "lost"}) ==
        "#3  open  Chloé Dubois  Lost parcel\n"
        "    Lost parcel\n");
  CHECK(s.ok({"search", "faulty"}) ==
        "#4  closed  Dev Patel  Kettle stopped working\n"
        "    New kettle sent by courier · faulty batch · product\n");
  const auto bold = s.ok({"search", "--color", "always", "bank"});
  CHECK(bold.find("the \x1b[1mbank\x1b[0m about") != std::string::npos);
  CHECK(s.ok({"search", "bank"}).find('\x1b') == std::string::npos);
  // On a terminal too.
  const auto tty = run_on_terminal(s, "search bank");
  CHECK(tty.find("\x1b[1mbank\x1b[0m") != std::string::npos);
}

TEST_CASE("mend search: text from customers is shown safely in the snippet") {
  Sandbox s;
  s.ok({"open", "Mallory", "Evil", "-m", "escape \x1b]0;pwned\x07 here and \xE2\x80\xAE reversed"});
  const auto out = s.ok({"search", "escape"});
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find('\x07') == std::string::npos);
  CHECK(out.find("\xE2\x80\xAE") == std::string::npos);
  const auto json = s.ok({"search", "--json", "escape"});
  CHECK(json.find('\x1b') == std::string::npos);
  CHECK(nlohmann::json::parse(json)[0]["snippet"].get<std::string>().find("\x1b]0;pwned") !=
        std::string::npos);
}

TEST_CASE("mend search: nothing found prints nothing and exits 0") {
  Sandbox s;
  seed(s);
  const auto r = s.run({"search", "zeppelin"});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  Sandbox empty;
  const auto e = empty.run({"search", "anything"});
  CHECK(e.code == 0);
  CHECK(e.out.empty());
  CHECK(e.err.empty());
}

TEST_CASE("mend search: a malformed query is a usage error that says what is wrong") {
  Sandbox s;
  seed(s);
  check_refused(s, {"search", "\"arrived damaged"}, 64, "unclosed quote");
  check_refused(s, {"search", "parcel", "\"arrived"}, 64, "unclosed quote");
  check_refused(s, {"search", "***"}, 64, "no word to search for");
  check_refused(s, {"search", "--", "-"}, 64, "no word to search for");
  check_refused(s, {"search", "\"\""}, 64, "no word to search for");
  check_refused(s, {"search", "NOT", "parcel"}, 64, "only excludes");
  check_refused(s, {"search", "--", "-parcel"}, 64, "only excludes");
  check_refused(s, {"search", "parcel", "OR"}, 64, "OR with no word");
  check_refused(s, {"search", "parcel", "NOT"}, 64, "NOT with no word");
  check_refused(s, {"search", "p*"}, 64, "prefix too short");
  check_refused(s, {"search", "caf\xC3"}, 64, "not valid UTF-8");
  check_refused(s, {"search"}, 64, "QUERY");
  // An excluded word before --: an option mend does not know, with a hint.
  check_refused(s, {"search", "parcel", "-leeds"}, 64, "mend search parcel -- -leeds");
}

TEST_CASE("mend search: FTS5's own syntax typed literally is only words, and odd input is safe") {
  Sandbox s;
  seed(s);
  for (const auto& q : std::vector<std::string>{
           "NEAR(parcel damaged)", "summary:kettle", "{summary customer}:ada", "^parcel",
           "parcel +", "(parcel)", "parcel*)", "kettle:*", "\"a\" \"\"", "AND", "OR OR", "* * *"}) {
    const auto r = s.run({"search", q});
    INFO(q << " -> " << r.code << " " << r.err);
    CHECK((r.code == 0 || r.code == 64));
    if (r.code == 64) CHECK(r.out.empty());
  }
  // As words: summary:kettle finds the words summary and kettle together.
  CHECK(found(s, {"summary:kettle"}).empty());
  CHECK(found(s, {"(parcel)"}) == Ids{3, 1});
  CHECK(found(s, {"^parcel"}) == Ids{3, 1});
  // 10,000 words, and a query of about 1 MiB (in arguments of 100 kB).
  std::vector<std::string> many = {"search", "parcel"};
  for (int i = 0; i < 10000; ++i)
    many.push_back("w" + std::to_string(i) + "*");
  auto r = s.run(many);
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  std::vector<std::string> big = {"search"};
  for (int i = 0; i < 10; ++i)
    big.push_back(std::string(100000, static_cast<char>('a' + i)));
  r = s.run(big);
  CHECK(r.code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("the search index stays in step with every command that changes a case") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-20T10:00:00Z";
  s.ok({"open", "Ada Lovelace", "Parcel arrived damaged", "-m", "The box was crushed", "--tag",
        "fragile", "--ref", "INV-7"});
  check_in_step(s, "open");
  s.ok({"open", "Ada Lovelace", "Second parcel", "--email", "ada@example.com", "--phone", "555"});
  check_in_step(s, "open filling the customer's email and phone");
  s.ok({"note", "1", "Called back, photos on the way", "--kind", "call"});
  check_in_step(s, "note");
  s.ok({"attach", "1", "-", "--name", "photo.png"}, tiny_png());
  check_in_step(s, "attach");
  s.ok({"edit", "1", "--summary", "Vase broken", "--tag", "vip", "--untag", "fragile", "--wants",
        "a new vase", "--ref", "", "--category", "Breakage"});
  check_in_step(s, "edit");
  s.ok({"edit", "2", "--email", "ada@new.example", "--phone", "556"});
  check_in_step(s, "edit of the customer's email and phone");
  s.run({"edit", "1", "--summary", "Vase broken"});
  check_in_step(s, "edit that changes nothing");
  s.ok({"resolve", "1", "--outcome", "refund", "--amount", "20", "-m", "Refunded in full",
        "--cause", "Courier damage"});
  check_in_step(s, "resolve");
  s.ok({"followup", "1", "--no-answer"});
  check_in_step(s, "followup --no-answer");
  s.ok({"followup", "1", "--at", "2026-11-30"});
  check_in_step(s, "followup --at");
  s.ok({"followup", "1", "--done", "--csat", "5", "-m", "Delighted"});
  check_in_step(s, "followup --done");
  s.ok({"reopen", "1", "The new vase broke too"});
  check_in_step(s, "reopen");
  s.ok({"resolve", "2", "--outcome", "apology", "--followup", "never"});
  check_in_step(s, "resolve --followup never");
  s.ok({"assign", "1", "Priya"});
  check_in_step(s, "assign");
  // Mail: a new complaint (with a file), and an answer that joins case 1 by
  // its tag, whose subject is found too.
  s.ok({"mail"},
       "From: Zoe Quill <zoe@example.com>\r\nTo: shop@example.com\r\n"
       "Subject: Wobbly chair\r\nMessage-ID: <a1@example.com>\r\n"
       "Date: Thu, 19 Nov 2026 09:00:00 +0000\r\n\r\nOne leg is shorter.\r\n");
  check_in_step(s, "mail opening a case");
  s.ok({"mail"},
       "From: Ada Lovelace <ada@new.example>\r\nTo: shop@example.com\r\n"
       "Subject: Re: marmalade stains [case #1]\r\nMessage-ID: <a2@example.com>\r\n"
       "Date: Thu, 19 Nov 2026 09:30:00 +0000\r\n\r\nPhotos attached soon.\r\n");
  check_in_step(s, "mail joining a case");
  CHECK(found(s, {"marmalade"}) == Ids{1});
  CHECK(found(s, {"shorter"}).size() == 1);
  // Import into a database with cases, each case as it goes in: a case
  // whose id is taken, a customer matched by email, one matched by name who
  // gains a phone (the words of their cases change), a new one.
  s.ok({"open", "Yolanda", "Blender noise"});
  auto taken = case_line(2, 1, "Ada Lovelace", "Imported parcel");
  taken["customer"]["email"] = "ada@new.example";
  auto filled = case_line(40, 2, "Yolanda", "Imported blender");
  filled["customer"]["phone"] = "777 1234";
  auto other = case_line(41, 9, "Zed", "Imported kettle");
  other["tags"] = {"imported"};
  other["events"].push_back({{"at", "2026-11-01T10:00:00Z"}, {"kind", "note"}, {"text", "Hi"}});
  s.ok({"import", "-"}, jsonl({taken, filled, other}));
  check_in_step(s, "import into a database with cases");
  CHECK(found(s, {"imported"}).size() == 3);
  CHECK(found_set(s, {"7771234"}) == Ids{4, 40});
  // Into an empty database the index is built once, at the end.
  const std::string files = s.dir + "/files";
  const std::string exported = s.ok({"export", "--files", files});
  Sandbox fresh;
  fresh.ok({"import", "--files", files, "-"}, exported);
  check_in_step(fresh, "import into an empty database");
  CHECK(found(fresh, {"vase"}) == found(s, {"vase"}));
  CHECK(found(fresh, {"imported"}) == found(s, {"imported"}));
  s.ok({"forget", "1", "--yes"});
  check_in_step(s, "forget");
}

TEST_CASE("after forget no erased word is found, and the index holds none of their bytes") {
  Sandbox s;
  // Words no other text holds, whose stems are themselves.
  const std::vector<std::string> erased = {"quuxingtonk",   "zanzibarquak", "xylophonequark",
                                           "marmaladeflux", "wombatcrux",   "secretpostbox"};
  s.ok({"open", "Zanzibarquak Quuxingtonk", "Xylophonequark broke", "--email",
        "secretpostbox@example.org", "--phone", "+1 555 867 5309", "-m", "The marmaladeflux leaked",
        "--tag", "keptag", "--category", "keptcategory"});
  s.ok({"note", "1", "Wombatcrux called"});
  s.ok({"attach", "1", "-", "--name", "wombatcrux-receipt.png"}, tiny_png());
  s.ok({"resolve", "1", "--outcome", "refund", "-m", "Xylophonequark refunded", "--cause",
        "keptcause"});
  s.ok({"open", "Bob Keeper", "Keeperword stays"});
  for (int i = 0; i < 20; ++i)  // more segments in the index, merged by forget
    s.ok({"note", "2", "Keeperword note " + std::to_string(i)});
  for (const auto& w : erased) {
    INFO(w);
    CHECK(found(s, {w}) == Ids{1});
    if (!pg_run())  // in SQLite's index as a word of its own
      CHECK(sql(s.db,
                "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, cases_fts, row); "
                "SELECT count(*) FROM temp.v WHERE term = '" +
                    w + "'") == "1\n");
  }
  CHECK(found(s, {"15558675309"}) == Ids{1});
  if (pg_run()) {  // the bytes of the files: SQLite's only (the server's are its own)
    s.ok({"forget", "1", "--yes"});
    for (const auto& w : erased)
      CHECK(found(s, {w}).empty());
    CHECK(found(s, {"keptag", "keptcategory", "keptcause"}) == Ids{1});
    check_in_step(s, "forget");
    return;
  }
  // A reader keeps the WAL open, so the checkpoint after the erase does the work.
  FILE* reader = ::popen(("sqlite3 '" + s.db + "' > /dev/null").c_str(), "w");
  REQUIRE(reader != nullptr);
  std::fputs("SELECT count(*) FROM cases;\n", reader);
  std::fflush(reader);
  s.ok({"forget", "1", "--yes"});
  for (const auto& w : erased) {
    INFO(w);
    CHECK(found(s, {w}).empty());
    CHECK(found(s, {w.substr(0, 5) + "*"}).empty());
  }
  CHECK(found(s, {"15558675309"}).empty());
  CHECK(found(s, {"867"}).empty());
  // What forget keeps stays findable.
  CHECK(found(s, {"keptag", "keptcategory", "keptcause"}) == Ids{1});
  CHECK(found(s, {"keeperword"}) == Ids{2});
  check_in_step(s, "forget");
  std::string bytes = file_bytes(s.db) + file_bytes(s.db + "-wal");
  // The index keeps words prefix-compressed (each after the part it shares
  // with the word before it), so look for their ends too.
  for (const auto& w : erased) {
    INFO(w);
    CHECK(bytes.find(w) == std::string::npos);
    CHECK(bytes.find(w.substr(3)) == std::string::npos);
  }
  ::pclose(reader);
  bytes = file_bytes(s.db) + file_bytes(s.db + "-wal");
  for (const auto& w : erased)
    CHECK(bytes.find(w.substr(3)) == std::string::npos);
  CHECK(bytes.find("eeperword") != std::string::npos);  // the check does find what stays
}

TEST_CASE("a version 3 database gains the search index in one migration, with a copy kept" *
          kSqliteOnly) {
  Sandbox s;
  s.ok({"open", "Ada", "Vase broken", "-m", "Shattered in transit"});
  s.ok({"note", "1", "Courier says sorry"});
  run_sql(s.db, "DROP TABLE cases_fts; DROP VIEW search_docs; PRAGMA user_version = 3;");
  CHECK(found(s, {"shattered", "courier"}) == Ids{1});
  CHECK(sql(s.db, "PRAGMA user_version") == "4\n");
  const auto copy = s.db + ".v3.bak";
  REQUIRE(std::filesystem::exists(copy));
  CHECK(sql(copy, "PRAGMA user_version") == "3\n");
  CHECK(sql(copy, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'cases_fts%'") == "0\n");
  check_in_step(s, "the migration");
}

TEST_CASE("a search index damaged by another program is rebuilt by the next write" * kSqliteOnly) {
  Sandbox s;
  s.ok({"open", "Ada", "Vase broken"});
  // Text changed behind mend's back: the index no longer matches the rows.
  run_sql(s.db,
          "INSERT INTO events (case_id, at, kind, text) VALUES (1, 1, 'note', 'sneaky words')");
  s.ok({"note", "1", "Called back"});
  check_in_step(s, "a note on a case changed behind mend's back");
  CHECK(found(s, {"sneaky"}) == Ids{1});
}
