#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include "core/errors.hpp"
#include "core/sqlite_store.hpp"

using namespace mend;

namespace {

constexpr Time kNow = 1'795'442'700;  // 2026-11-23T14:05:00Z
constexpr Time kHour = 3600;

std::int64_t open_due(SqliteStore& store, const std::string& name, std::optional<Time> due) {
  NewCase c;
  c.customer_name = name;
  c.summary = "About " + name;
  c.due_at = due;
  return store.open_case(c, kNow - 100 * kHour).id;
}

void set_resolved(SqliteStore& store, std::int64_t id, std::optional<Time> followup) {
  SQLite::Statement up(store.db(),
                       "UPDATE cases SET status = 'resolved', resolved_at = ?2, followup_at = ?3 "
                       "WHERE id = ?1");
  up.bind(1, id);
  up.bind(2, static_cast<std::int64_t>(kNow - 50 * kHour));
  if (followup) {
    up.bind(3, static_cast<std::int64_t>(*followup));
  } else {
    up.bind(3);
  }
  up.exec();
}

}  // namespace

TEST_CASE("the follow-up queries walk the partial indexes") {
  SqliteStore store(":memory:");
  const auto plan = store.explain_due_items();
  INFO(plan);
  CHECK(plan.find("USING INDEX cases_pending_followup") != std::string::npos);
  CHECK(plan.find("USING INDEX cases_open_by_due") != std::string::npos);
  CHECK(plan.find("SCAN c") == std::string::npos);
}

TEST_CASE("due_items sorts by time, then id, and names the reason") {
  SqliteStore store(":memory:");
  const auto a = open_due(store, "a", kNow - 2 * kHour);  // overdue
  const auto b = open_due(store, "b", kNow + 2 * kHour);  // due soon
  const auto c = open_due(store, "c", kNow);              // due this second: not yet late
  const auto d = open_due(store, "d", std::nullopt);      // no promise: never listed
  const auto e = open_due(store, "e", kNow + 2 * kHour);  // resolved, follow-up due
  set_resolved(store, e, kNow - 2 * kHour);
  const auto f = open_due(store, "f", kNow);  // resolved, follow-up later
  set_resolved(store, f, kNow + 10 * kHour);
  const auto items = store.due_items(kNow, kNow + 5 * kHour, kNow + 3 * kHour);
  std::vector<std::pair<std::int64_t, std::string>> got;
  for (const auto& i : items)
    got.emplace_back(i.case_id, i.reason);
  CHECK(got == std::vector<std::pair<std::int64_t, std::string>>{
                   {a, "overdue"}, {e, "followup"}, {c, "due-soon"}, {b, "due-soon"}});
  CHECK(items[0].customer.name == "a");
  CHECK(items[0].summary == "About a");
  CHECK(items[0].at == kNow - 2 * kHour);
  (void)d;
}

TEST_CASE("record_followup done closes the case in one step and keeps followup_at") {
  SqliteStore store(":memory:");
  const auto id = open_due(store, "a", kNow);
  set_resolved(store, id, kNow - kHour);
  FollowupRecord r;
  r.action = FollowupRecord::Action::done;
  r.csat = 5;
  r.done_text = "Delighted";
  const Case c = store.record_followup(id, r, kNow);
  CHECK(c.status == Status::closed);
  CHECK(c.closed_at == kNow);
  CHECK(c.satisfaction == 5);
  CHECK(c.followup_at == kNow - kHour);
  CHECK(c.events.back().kind == EventKind::followup_done);
  CHECK(c.events.back().text == "Delighted");
  SQLite::Statement q(store.db(), "SELECT followup_done_at FROM cases WHERE id = ?");
  q.bind(1, id);
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt64() == kNow);
  // A second record on the now closed case is refused.
  try {
    store.record_followup(id, r, kNow);
    FAIL("recording twice should be refused");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
  }
}
