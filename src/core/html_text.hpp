// HTML mail as plain text, for a message that has no text part.
#pragma once

#include <string>
#include <string_view>

namespace mend {

// HTML made readable as plain text: block elements become lines, entities
// decoded, links kept as "text <url>", script and style dropped.
std::string html_to_text(std::string_view html);

}  // namespace mend
