// What `mend edit` changes, decided once for both stores: the columns of the
// case to set, the customer's email and phone, and the lines of the `edited`
// event, in the order the event lists them. Tags are the store's to add and
// remove (only those that change get a line).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/store.hpp"

namespace mend {

struct EditPlan {
  // Columns of the case (from this code's own names) and their new values.
  std::vector<std::pair<const char*, std::optional<std::string>>> columns;
  std::optional<Time> due_at;
  std::optional<std::optional<std::string>> email;  // the case's customer
  std::optional<std::optional<std::string>> phone;  // the case's customer
  std::vector<std::string> changes;                 // "priority: normal -> high", ...
};

// The fields of `edit` that differ from `before`.
EditPlan plan_edit(const Case& before, const CaseEdit& edit);

// The text of the `edited` event: the changes joined by "; ".
std::string edited_event_text(const std::vector<std::string>& changes);

}  // namespace mend
