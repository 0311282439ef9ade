#include "core/liability.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace mend;

namespace {

// A sentence as a customer might read it, and the words the check must quote.
struct Admitting {
  const char* text;
  const char* words;
};

const Admitting kAdmitting[] = {
    {"We accept responsibility and will refund the full price.", "We accept responsibility"},
    {"We accept full responsibility for the damage.", "We accept full responsibility"},
    {"I take full responsibility for this.", "I take full responsibility"},
    {"We fully accept liability for the broken vase.", "We fully accept liability"},
    {"We admit liability.", "We admit liability"},
    {"We acknowledge responsibility for the late delivery.", "We acknowledge responsibility"},
    {"This was entirely our fault.", "our fault"},
    {"Sorry, this was our fault.", "our fault"},
    {"It's my fault, not yours.", "my fault"},
    {"OUR FAULT entirely", "OUR FAULT"},
    {"The fault lies with us.", "fault lies with us"},
    {"The blame is ours alone.", "blame is ours"},
    {"That's on us.", "That's on us"},
    {"That\xe2\x80\x99s on us, I'm afraid.", "That\xe2\x80\x99s on us"},
    {"Honestly, that was all on me.", "that was all on me"},
    {"We are to blame for this.", "We are to blame"},
    {"We\xe2\x80\x99re to blame", "We\xe2\x80\x99re to blame"},
    {"I'm at fault here", "I'm at fault"},
    {"we  are   at fault", "we are at fault"},
    {"We take the blame for the delay.", "We take the blame"},
    {"We are fully responsible for the damage.", "We are fully responsible for"},
    {"Honestly, we are responsible.", "we are responsible"},
    {"We're liable for the cost of the repair.", "We're liable for"},
    {"Responsibility is ours.", "Responsibility is ours"},
    {"Our mistake, we will send a new one.", "Our mistake"},
    {"It was our own mistake.", "our own mistake"},
    {"It was an error on our part.", "error on our part"},
    {"This was a mistake on our side.", "mistake on our side"},
    {"We messed up.", "We messed up"},
    {"Honestly, we messed up.", "we messed up"},
    {"I\xe2\x80\x99m sorry we messed up your order.", "we messed up"},
    {"We really screwed up this time.", "We really screwed up"},
    {"We made a mistake with your order.", "We made a mistake"},
    {"We got your order wrong.", "We got your order wrong"},
    {"We dropped the ball on this one.", "We dropped the ball"},
    {"The mistake was ours.", "mistake was ours"},
    {"We sent you the wrong size, sorry about that.", "We sent you the wrong"},
    {"We let you down.", "We let you down"},
    {"Our courier partner lost the parcel.", "Our courier partner lost"},
    {"We failed to deliver on time.", "We failed to"},
    {"Our bad!", "Our bad"},
    {"Our driver damaged it.", "Our driver damaged"},
    {"Our delivery driver dropped the parcel.", "Our delivery driver dropped"},
    {"One of our packers broke the lid.", "our packers broke"},
    {"The box was crushed by our courier.", "crushed by our courier"},
    {"The lamp was damaged while in our care.", "damaged while in our care"},
    {"I know we\ncaused the delay", "we caused"},
    {"We caused this problem.", "We caused"},
    {"We lost your parcel.", "We lost"},
    {"We overcharged you by 20 euros.", "We overcharged"},
    {"We were negligent.", "We were negligent"},
    {"We were careless with the packing.", "We were careless"},
    {"It was negligence on our part.", "negligence on our part"},
    {"We should have packed it better.", "We should have packed"},
    {"We really should have checked the address.", "We really should have checked"},
    {"We shouldn't have sent it without a box.", "We shouldn't have sent"},
    {"We could have done better.", "We could have done better"},
    {"There is no doubt it was our fault.", "our fault"},
    {"We cannot deny it was our fault.", "our fault"},
    {"We can\xe2\x80\x99t deny that we were negligent.", "we were negligent"},
    {"Not only was it late, it was our fault.", "our fault"},
    {"We did not check it, our mistake.", "our mistake"},
    {"It was not the courier but our own mistake.", "our own mistake"},
    {"Not our fault at first, but then it was our fault", "our fault"},
    {"We messed up, it is our fault", "We messed up"},
};

// Sentences that apologise, explain or deny without admitting fault.
const char* const kSafe[] = {
    "We are sorry for the experience.",
    "I am so sorry for the trouble this caused you.",
    "I apologise for the inconvenience.",
    "I understand how frustrating this is.",
    "We are looking into what happened.",
    "Did not say it was our fault.",
    "We did not say it was our fault.",
    "It was not our fault.",
    "It wasn't our fault.",
    "It wasn\xe2\x80\x99t our fault.",
    "It isn\xe2\x80\x99t our fault",
    "It was never my fault",
    "This is not our fault.",
    "We never admitted liability.",
    "We do not accept liability for damage in transit.",
    "We accept no responsibility for courier delays.",
    "We deny that we were negligent.",
    "Nobody here said we messed up.",
    "Whether it was our fault is still being checked.",
    "We are checking whether our driver damaged it.",
    "If it was our fault, we will make it right.",
    "If our driver damaged it, you will get a full refund.",
    "We will refund you if we made a mistake.",
    "Was it our fault?",
    "Did our driver damage it?",
    "Are you saying we messed up?",
    "It was the courier's mistake.",
    "The courier\xe2\x80\x99s driver damaged it.",
    "It was your fault, I am afraid",
    "flour faults",
    "we causedx",
    "You feel that we messed up, and I hear you.",
    "You say our driver damaged it; we are looking into it.",
    "The customer claims it was our fault.",
    "That it was our fault is not established.",
    "Your next coffee is on us.",
    "Our warehouse shipped it on Friday.",
    "Our team is looking into why the parcel was late.",
    "We take complaints like this very seriously.",
    "It seems the wrong size was sent.",
    "We should have your replacement by Friday.",
    "We are responsible people, and we will look into it.",
    "Our driver delivered it at 10:04 and took a photo.",
    "We have not yet confirmed that our driver damaged it.",
    "",
};

}  // namespace

TEST_CASE("the table has at least 60 sentences") {
  CHECK(std::size(kAdmitting) + std::size(kSafe) >= 60);
}

TEST_CASE("sentences that admit fault are found, and their words quoted as written") {
  for (const auto& [text, words] : kAdmitting) {
    CAPTURE(std::string(text));
    const auto found = find_admission(text);
    REQUIRE(found);
    CHECK(found->words == words);
    CHECK(admitted_fault(text) == found->words);
  }
}

TEST_CASE("the words are quoted with white space runs made one space") {
  CHECK(admitted_fault("we  are   at fault") == "we are at fault");
  CHECK(admitted_fault("I know we\ncaused the delay") == "we caused");
  CHECK(admitted_fault("Our   delivery\tdriver dropped it") == "Our delivery driver dropped");
}

TEST_CASE("sentences that apologise, explain or deny admit nothing") {
  for (const char* text : kSafe) {
    CAPTURE(std::string(text));
    CHECK_FALSE(find_admission(text));
    CHECK_FALSE(admitted_fault(text));
  }
}

TEST_CASE("every admission says in one sentence what to say instead") {
  for (const auto& [text, words] : kAdmitting) {
    CAPTURE(std::string(text));
    const auto found = find_admission(text);
    REQUIRE(found);
    CHECK(found->advice.rfind("say ", 0) == 0);
    CHECK(found->advice.find(". ") == std::string::npos);
    CHECK(found->advice.back() != '.');
  }
  CHECK(find_admission("It was our fault")->advice ==
        "say you are sorry for the experience, not that it was your fault");
  CHECK(find_admission("We accept full responsibility")->advice ==
        "say what you will do to put it right, not that you accept responsibility or liability");
  CHECK(find_admission("We were negligent")->advice.find("negligent") != std::string::npos);
  CHECK(find_admission("We should have packed it better")->advice.find("from now on") !=
        std::string::npos);
}

TEST_CASE("the first admission in the text is the one reported") {
  CHECK(admitted_fault("Not our fault at first, but then we messed up, our mistake") ==
        "we messed up");
  CHECK(admitted_fault("Was it our fault? Yes: our driver dropped it.") == "our driver dropped");
}

TEST_CASE("a negation counts only inside its own clause") {
  CHECK(admitted_fault("We did not call, and it was our fault") == "our fault");
  CHECK(admitted_fault("No, it was our fault") == "our fault");
  CHECK_FALSE(admitted_fault("No one at the shop thinks it was our fault"));
  CHECK_FALSE(admitted_fault("It was hardly our fault"));
}

TEST_CASE("apology_in finds words of apology, as whole words and not negated") {
  CHECK(apology_in("So sorry about the cake, Ada.") == "sorry");
  CHECK(apology_in("Please accept our APOLOGIES") == "apologies");
  CHECK(apology_in("I apologise for the wait") == "apologise");
  CHECK(apology_in("We apologized on the phone") == "apologized");
  CHECK(apology_in("We regret the inconvenience") == "regret");
  CHECK(apology_in("We did not get your mail, sorry") == "sorry");
  CHECK_FALSE(apology_in("We are not sorry"));
  CHECK_FALSE(apology_in("I never said sorry"));
  CHECK_FALSE(apology_in("Are we sorry?"));
  CHECK_FALSE(apology_in("The sorryness of it"));
  CHECK_FALSE(apology_in("Refund sent, tracking 123"));
}
