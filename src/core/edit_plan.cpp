#include "core/edit_plan.hpp"

#include "core/event_texts.hpp"

namespace mend {

EditPlan plan_edit(const Case& before, const CaseEdit& e) {
  EditPlan plan;
  auto text_field = [&](const char* name, const char* column, const std::string& old_value,
                        const std::optional<std::string>& new_value, bool quote) {
    if (!new_value || *new_value == old_value) return;
    plan.changes.push_back(std::string(name) + ": " + (quote ? event_shown(old_value) : old_value) +
                           " -> " + (quote ? event_shown(new_value) : *new_value));
    plan.columns.emplace_back(column, new_value);
  };
  text_field("summary", "summary", before.summary, e.summary, true);
  text_field("category", "category", before.category, e.category, false);
  auto word_field = [&](const char* name, auto old_value, const auto& new_value) {
    if (new_value)
      text_field(name, name, std::string(spelling(old_value)), std::string(spelling(*new_value)),
                 false);
  };
  word_field("channel", before.channel, e.channel);
  word_field("priority", before.priority, e.priority);
  if (e.due_at && e.due_at != before.due_at) {
    plan.changes.push_back("due: " + (before.due_at ? event_stamp(*before.due_at) : "(none)") +
                           " -> " + event_stamp(*e.due_at));
    plan.due_at = e.due_at;
  }
  auto optional_field = [&](const char* name, const char* column,
                            const std::optional<std::string>& old_value,
                            const std::optional<std::optional<std::string>>& new_value) {
    if (!new_value || *new_value == old_value) return;
    plan.changes.push_back(std::string(name) + ": " + event_shown(old_value) + " -> " +
                           event_shown(*new_value));
    plan.columns.emplace_back(column, *new_value);
  };
  optional_field("ref", "reference", before.reference, e.reference);
  optional_field("wants", "wants", before.wants, e.wants);
  if (e.email && *e.email != before.customer.email) {
    plan.changes.push_back("email: " + event_shown(before.customer.email) + " -> " +
                           event_shown(*e.email));
    plan.email = e.email;
  }
  if (e.phone && *e.phone != before.customer.phone) {
    plan.changes.push_back("phone: " + event_shown(before.customer.phone) + " -> " +
                           event_shown(*e.phone));
    plan.phone = e.phone;
  }
  return plan;
}

std::string edited_event_text(const std::vector<std::string>& changes) {
  std::string text;
  for (const auto& c : changes)
    text += (text.empty() ? "" : "; ") + c;
  return text;
}

}  // namespace mend
