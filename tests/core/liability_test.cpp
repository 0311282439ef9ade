#include "core/liability.hpp"

#include <doctest/doctest.h>

using namespace mend;

TEST_CASE("words that admit fault are found, in any case and across line breaks") {
  CHECK(admitted_fault("Sorry, this was our fault.") == "our fault");
  CHECK(admitted_fault("OUR FAULT entirely") == "our fault");
  CHECK(admitted_fault("I know we\ncaused the delay") == "we caused");
  CHECK(admitted_fault("We are to blame for this") == "we are to blame");
  CHECK(admitted_fault("we're to blame") == "we're to blame");
  CHECK(admitted_fault("We\xe2\x80\x99re to blame") == "we're to blame");
  CHECK(admitted_fault("Honestly, we messed up.") == "we messed up");
  CHECK(admitted_fault("It's my fault") == "my fault");
  CHECK(admitted_fault("we  are   at fault") == "we are at fault");
}

TEST_CASE("the first admission in the text is the one reported") {
  CHECK(admitted_fault("We messed up, it is our fault") == "we messed up");
}

TEST_CASE("an apology for the experience admits nothing") {
  CHECK_FALSE(admitted_fault("We are sorry for the trouble this caused you."));
  CHECK_FALSE(admitted_fault("I apologise for the inconvenience."));
  CHECK_FALSE(admitted_fault(""));
}

TEST_CASE("a phrase inside other words does not count") {
  CHECK_FALSE(admitted_fault("It was your fault, I am afraid"));
  CHECK_FALSE(admitted_fault("flour faults"));
  CHECK_FALSE(admitted_fault("we causedx"));
}

TEST_CASE("a negation just before the phrase cancels it") {
  CHECK_FALSE(admitted_fault("This is not our fault."));
  CHECK_FALSE(admitted_fault("It wasn't our fault."));
  CHECK_FALSE(admitted_fault("It was never my fault"));
  CHECK_FALSE(admitted_fault("It isn\xe2\x80\x99t our fault"));
  CHECK(admitted_fault("Not our fault at first, but then it was our fault") == "our fault");
}

TEST_CASE("apology_in finds words of apology, as whole words and not negated") {
  CHECK(apology_in("So sorry about the cake, Ada.") == "sorry");
  CHECK(apology_in("Please accept our APOLOGIES") == "apologies");
  CHECK(apology_in("I apologise for the wait") == "apologise");
  CHECK(apology_in("We apologized on the phone") == "apologized");
  CHECK(apology_in("We regret the inconvenience") == "regret");
  CHECK_FALSE(apology_in("We are not sorry"));
  CHECK_FALSE(apology_in("The sorryness of it"));
  CHECK_FALSE(apology_in("Refund sent, tracking 123"));
}
