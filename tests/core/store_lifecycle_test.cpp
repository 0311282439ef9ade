// The lifecycle methods of the store: note, resolve, reopen, edit.
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include <functional>

#include "../support/tz.hpp"
#include "core/errors.hpp"
#include "core/sqlite_store.hpp"

using namespace mend;
using mend::test::ScopedTz;

namespace {

constexpr Time kNow = 1'795'442'700;  // 2026-11-23T14:05:00Z
constexpr Time kDay = 86400;

std::int64_t open_one(SqliteStore& store, std::string name = "Ada") {
  NewCase in;
  in.customer_name = std::move(name);
  in.summary = "Parcel arrived damaged";
  in.due_at = kNow + 2 * kDay;
  in.tags = {"fragile"};
  return store.open_case(in, kNow).id;
}

ResolveInput refund(std::optional<Time> followup_at = kNow + 3 * kDay) {
  ResolveInput in;
  in.resolution.outcome = Outcome::refund;
  in.resolution.text = "Refunded in full";
  in.resolution.amount_cents = 4999;
  in.resolution.currency = "EUR";
  in.resolution.fault = Fault::third_party;
  in.resolution.cause = "packaging";
  in.followup_at = followup_at;
  return in;
}

ErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("no error was thrown");
  return ErrorKind::internal;
}

std::vector<std::string> kinds(const Case& c) {
  std::vector<std::string> out;
  for (const auto& e : c.events)
    out.emplace_back(spelling(e.kind));
  return out;
}

std::int64_t count(SqliteStore& store, const std::string& sql) {
  SQLite::Statement q(store.db(), sql);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

}  // namespace

TEST_CASE("a note is appended to the timeline and changes nothing else") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  const Case c = store.add_note(id, EventKind::call, "Called Ada back", kNow + 60);
  CHECK(c.status == Status::open);
  REQUIRE(c.events.size() == 2);
  CHECK(c.events[1].kind == EventKind::call);
  CHECK(c.events[1].text == "Called Ada back");
  CHECK(c.events[1].at == kNow + 60);
}

TEST_CASE("a note of an unknown kind or for a missing case is refused") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  CHECK(kind_of([&] { store.add_note(id, EventKind::resolved, "x", kNow); }) == ErrorKind::usage);
  CHECK(kind_of([&] { store.add_note(42, EventKind::note, "x", kNow); }) == ErrorKind::not_found);
  CHECK(count(store, "SELECT count(*) FROM events") == 1);
}

TEST_CASE("resolving records the resolution and schedules the follow-up") {
  ScopedTz tz("UTC");
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  const Case c = store.resolve_case(id, refund(), kNow + 100);
  CHECK(c.status == Status::resolved);
  CHECK(c.resolved_at == kNow + 100);
  CHECK(c.followup_at == kNow + 3 * kDay);
  CHECK_FALSE(c.closed_at.has_value());
  REQUIRE(c.resolution.has_value());
  CHECK(c.resolution->outcome == Outcome::refund);
  CHECK(c.resolution->text == "Refunded in full");
  CHECK(c.resolution->amount_cents == 4999);
  CHECK(c.resolution->currency == "EUR");
  CHECK(c.resolution->fault == Fault::third_party);
  CHECK(c.resolution->cause == "packaging");
  CHECK(kinds(c) == std::vector<std::string>{"opened", "resolved", "followup-scheduled"});
  CHECK(c.events[1].text == "refund 49.99 EUR: Refunded in full");
  CHECK(c.events[2].text == "follow-up due 2026-11-26 14:05");
}

TEST_CASE("resolving with no follow-up closes the case at once") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  const Case c = store.resolve_case(id, refund(std::nullopt), kNow);
  CHECK(c.status == Status::closed);
  CHECK(c.resolved_at == kNow);
  CHECK(c.closed_at == kNow);
  CHECK_FALSE(c.followup_at.has_value());
  CHECK(kinds(c) == std::vector<std::string>{"opened", "resolved"});
}

TEST_CASE("resolving a resolved or closed case is a state error that changes nothing") {
  SqliteStore store(":memory:");
  const auto a = open_one(store);
  const auto b = open_one(store, "Bob");
  store.resolve_case(a, refund(), kNow);
  store.resolve_case(b, refund(std::nullopt), kNow);
  const auto events = count(store, "SELECT count(*) FROM events");
  CHECK(kind_of([&] { store.resolve_case(a, refund(), kNow + 1); }) == ErrorKind::data);
  CHECK(kind_of([&] { store.resolve_case(b, refund(), kNow + 1); }) == ErrorKind::data);
  CHECK(kind_of([&] { store.resolve_case(99, refund(), kNow + 1); }) == ErrorKind::not_found);
  CHECK(count(store, "SELECT count(*) FROM events") == events);
  CHECK(store.get_case(a).resolved_at == kNow);
}

TEST_CASE("the state error names the case's state") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  store.resolve_case(id, refund(std::nullopt), kNow);
  try {
    store.resolve_case(id, refund(), kNow);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("is closed") != std::string::npos);
  }
}

TEST_CASE("reopening clears the resolution, its times and the satisfaction") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  store.resolve_case(id, refund(), kNow);
  store.db().exec(
      "UPDATE cases SET status = 'closed', closed_at = 1, satisfaction = 4, "
      "followup_done_at = 1");
  const Case c = store.reopen_case(id, "still broken", kNow + 10);
  CHECK(c.status == Status::open);
  CHECK_FALSE(c.resolved_at.has_value());
  CHECK_FALSE(c.followup_at.has_value());
  CHECK_FALSE(c.closed_at.has_value());
  CHECK_FALSE(c.resolution.has_value());
  CHECK_FALSE(c.satisfaction.has_value());
  CHECK(c.due_at == kNow + 2 * kDay);  // the promise stays
  CHECK(count(store,
              "SELECT count(*) FROM cases WHERE followup_done_at IS NULL AND currency IS NULL "
              "AND fault IS NULL AND cause IS NULL AND amount_cents IS NULL") == 1);
  CHECK(kinds(c).back() == "reopened");
  CHECK(c.events.back().text == "still broken");
}

TEST_CASE("reopening an open case is a state error") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  CHECK(kind_of([&] { store.reopen_case(id, "", kNow); }) == ErrorKind::data);
  CHECK(kind_of([&] { store.reopen_case(7, "", kNow); }) == ErrorKind::not_found);
  CHECK(count(store, "SELECT count(*) FROM events") == 1);
}

TEST_CASE("a reopened case can be resolved again") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  store.resolve_case(id, refund(), kNow);
  store.reopen_case(id, "", kNow + 1);
  const Case c = store.resolve_case(id, refund(std::nullopt), kNow + 2);
  CHECK(c.status == Status::closed);
  CHECK(kinds(c) == std::vector<std::string>{"opened", "resolved", "followup-scheduled", "reopened",
                                             "resolved"});
}

TEST_CASE("an edit changes only what differs and names each change in one event") {
  ScopedTz tz("UTC");
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  CaseEdit e;
  e.summary = "Vase broken";
  e.priority = Priority::normal;  // already normal: not a change
  e.category = "delivery";
  e.due_at = kNow + 4 * kDay;
  e.reference = std::optional<std::string>("INV-9");
  e.wants = std::optional<std::string>();  // already empty
  e.add_tags = {"vip", "FRAGILE"};
  e.remove_tags = {"missing"};
  const auto r = store.edit_case(id, e, kNow + 5);
  CHECK(r.changes == std::vector<std::string>{
                         "summary: \"Parcel arrived damaged\" -> \"Vase broken\"",
                         "category: other -> delivery", "due: 2026-11-25 14:05 -> 2026-11-27 14:05",
                         "ref: (none) -> \"INV-9\"", "tag: +vip"});
  CHECK(r.updated.summary == "Vase broken");
  CHECK(r.updated.category == "delivery");
  CHECK(r.updated.due_at == kNow + 4 * kDay);
  CHECK(r.updated.reference == "INV-9");
  CHECK(r.updated.tags == std::vector<std::string>{"fragile", "vip"});
  CHECK(kinds(r.updated) == std::vector<std::string>{"opened", "edited"});
  CHECK(r.updated.events.back().text ==
        "summary: \"Parcel arrived damaged\" -> \"Vase broken\"; category: other -> delivery; "
        "due: 2026-11-25 14:05 -> 2026-11-27 14:05; ref: (none) -> \"INV-9\"; tag: +vip");
}

TEST_CASE("an edit to the same values writes no event") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  CaseEdit e;
  e.summary = "Parcel arrived damaged";
  e.channel = Channel::other;
  e.add_tags = {"fragile"};
  const auto r = store.edit_case(id, e, kNow);
  CHECK(r.changes.empty());
  CHECK(r.updated.events.size() == 1);
}

TEST_CASE("an edit of email and phone changes the customer record, and can clear them") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  const auto other = open_one(store);  // the same customer, by name
  CaseEdit e;
  e.email = std::optional<std::string>("ada@example.com");
  e.phone = std::optional<std::string>("555-0100");
  auto r = store.edit_case(id, e, kNow);
  CHECK(r.updated.customer.email == "ada@example.com");
  CHECK(r.updated.customer.phone == "555-0100");
  CHECK(store.get_case(other).customer.email == "ada@example.com");
  CHECK(count(store, "SELECT count(*) FROM customers WHERE phone_key = '5550100'") == 1);
  CHECK(store.get_case(other).events.size() == 1);  // the event goes on the edited case only
  CaseEdit clear;
  clear.phone = std::optional<std::string>();
  r = store.edit_case(id, clear, kNow);
  CHECK_FALSE(r.updated.customer.phone.has_value());
  CHECK(r.changes == std::vector<std::string>{"phone: \"555-0100\" -> (none)"});
  CHECK(count(store, "SELECT count(*) FROM customers WHERE phone_key IS NULL") == 1);
}

TEST_CASE("an edit removes tags without regard to case and of a missing case is not found") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  CaseEdit e;
  e.remove_tags = {"FRAGILE"};
  const auto r = store.edit_case(id, e, kNow);
  CHECK(r.updated.tags.empty());
  CHECK(r.changes == std::vector<std::string>{"tag: -FRAGILE"});
  CHECK(kind_of([&] { store.edit_case(5, e, kNow); }) == ErrorKind::not_found);
}

TEST_CASE("an edit works in every state") {
  SqliteStore store(":memory:");
  const auto id = open_one(store);
  store.resolve_case(id, refund(std::nullopt), kNow);
  CaseEdit e;
  e.priority = Priority::high;
  CHECK(store.edit_case(id, e, kNow).updated.priority == Priority::high);
}
