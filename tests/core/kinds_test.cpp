// The closed sets of words (status, channel, kinds, ...) and their spellings.
#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <string>

#include "core/kinds.hpp"

using namespace mend;

namespace {

// Every value of E spells as a distinct word that reads back as itself.
template <class E>
void check_round_trip() {
  const auto& words = Spelling<E>::words;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto value = static_cast<E>(i);
    const auto word = spelling(value);
    CAPTURE(std::string(word));
    CHECK(!word.empty());
    CHECK(word.data()[word.size()] == '\0');  // bound without a copy
    CHECK(parse_spelling<E>(word) == value);
    CHECK(seen.insert(word).second);
  }
  CHECK_FALSE(parse_spelling<E>("").has_value());
  CHECK_FALSE(parse_spelling<E>(std::string(words[0]) + "x").has_value());
  CHECK_FALSE(parse_spelling<E>(std::string(words[0]).substr(1)).has_value());
}

std::string message_of(const std::function<void()>& f, ErrorKind expected) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == expected);
    return e.what();
  }
  FAIL("no error");
  return {};
}

}  // namespace

TEST_CASE("each kind of word reads back as the value it spells") {
  check_round_trip<Status>();
  check_round_trip<Channel>();
  check_round_trip<Priority>();
  check_round_trip<Outcome>();
  check_round_trip<Fault>();
  check_round_trip<EventKind>();
  check_round_trip<Direction>();
}

TEST_CASE("the words are the ones the database, JSON and options use") {
  CHECK(spelling(Status::resolved) == "resolved");
  CHECK(spelling(Channel::in_person) == "in-person");
  CHECK(spelling(Outcome::no_action) == "no-action");
  CHECK(spelling(Fault::third_party) == "third-party");
  CHECK(spelling(EventKind::followup_scheduled) == "followup-scheduled");
  CHECK(spelling(EventKind::assigned) == "assigned");
  CHECK(spelling(Direction::out) == "out");
  CHECK(parse_spelling<Priority>("Urgent") == std::nullopt);  // callers lower-case first
}

TEST_CASE("an option's word becomes its value, or a usage error naming every word") {
  CHECK(require_value<Channel>("--channel", "phone") == Channel::phone);
  CHECK(message_of([] { require_value<Priority>("--priority", "asap"); }, ErrorKind::usage) ==
        "--priority takes one of low, normal, high, urgent, not 'asap'");
}

TEST_CASE("note takes the kinds a person writes, in the order --help lists them") {
  CHECK(join_values(kNoteKinds) == "note, call, email, meeting, apology, offer, reply");
  CHECK_NOTHROW(require_note_kind(EventKind::apology));
  CHECK(message_of([] { require_note_kind(EventKind::opened); }, ErrorKind::usage) ==
        "--kind takes one of note, call, email, meeting, apology, offer, reply, not 'opened'");
}

TEST_CASE("a word the database should not hold is a data error, not a guess") {
  CHECK(stored_value<Status>("closed") == Status::closed);
  CHECK(message_of([] { stored_value<Channel>("fax"); }, ErrorKind::data) ==
        "the database holds the channel 'fax', which this version of mend does not know");
}
