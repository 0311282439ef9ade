// The names of the case's JSON fields (the shape `show --json`, `list --json`
// and `export` write and `import` reads), spelled once for the writer and the
// reader. Each group is one JSON object, listed in the order the writer puts
// its members.
#pragma once

#include <cstddef>
#include <string_view>

namespace mend {

// A member name, with the text `"name":` that the writer puts before a value.
template <std::size_t N>
class JsonField {
 public:
  consteval JsonField(const char (&name)[N]) {  // NOLINT: implicit by design
    member_[0] = '"';
    for (std::size_t i = 0; i + 1 < N; ++i)
      member_[i + 1] = name[i];
    member_[N] = '"';
    member_[N + 1] = ':';
  }
  constexpr std::string_view name() const { return {member_ + 1, N - 1}; }
  constexpr std::string_view member() const { return {member_, N + 2}; }

 private:
  char member_[N + 2] = {};
};

namespace case_field {
inline constexpr JsonField id{"id"};
inline constexpr JsonField status{"status"};
inline constexpr JsonField customer{"customer"};
inline constexpr JsonField summary{"summary"};
inline constexpr JsonField complaint{"complaint"};
inline constexpr JsonField wants{"wants"};
inline constexpr JsonField channel{"channel"};
inline constexpr JsonField category{"category"};
inline constexpr JsonField priority{"priority"};
inline constexpr JsonField reference{"reference"};
inline constexpr JsonField tags{"tags"};
inline constexpr JsonField opened_at{"opened_at"};
inline constexpr JsonField due_at{"due_at"};
inline constexpr JsonField resolved_at{"resolved_at"};
inline constexpr JsonField followup_at{"followup_at"};
inline constexpr JsonField closed_at{"closed_at"};
inline constexpr JsonField resolution{"resolution"};
inline constexpr JsonField satisfaction{"satisfaction"};
inline constexpr JsonField owner{"owner"};
inline constexpr JsonField events{"events"};
inline constexpr JsonField attachments{"attachments"};
}  // namespace case_field

namespace customer_field {
inline constexpr JsonField id{"id"};
inline constexpr JsonField name{"name"};
inline constexpr JsonField email{"email"};
inline constexpr JsonField phone{"phone"};
}  // namespace customer_field

namespace resolution_field {
inline constexpr JsonField outcome{"outcome"};
inline constexpr JsonField text{"text"};
inline constexpr JsonField amount_cents{"amount_cents"};
inline constexpr JsonField currency{"currency"};
inline constexpr JsonField fault{"fault"};
inline constexpr JsonField cause{"cause"};
}  // namespace resolution_field

namespace event_field {
inline constexpr JsonField at{"at"};
inline constexpr JsonField kind{"kind"};
inline constexpr JsonField text{"text"};
inline constexpr JsonField by{"by"};
inline constexpr JsonField message{"message"};
}  // namespace event_field

namespace message_field {
inline constexpr JsonField id{"id"};
inline constexpr JsonField from{"from"};
inline constexpr JsonField to{"to"};
inline constexpr JsonField subject{"subject"};
inline constexpr JsonField direction{"direction"};
}  // namespace message_field

namespace attachment_field {
inline constexpr JsonField name{"name"};
inline constexpr JsonField type{"type"};
inline constexpr JsonField size{"size"};
inline constexpr JsonField sha256{"sha256"};
inline constexpr JsonField at{"at"};
}  // namespace attachment_field

static_assert(case_field::opened_at.member() == "\"opened_at\":");
static_assert(case_field::opened_at.name() == "opened_at");

}  // namespace mend
