// Pure rules of the evidence store: how a size is said, and how a stored
// attachment name becomes a file name that is safe to write into a folder.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace mend {

// A file size as people read it, rounded: "0 bytes", "1.5 KiB", "25 MiB".
std::string human_size(std::int64_t bytes);

// A file name made from a name a customer or a mail chose: no '/', no NUL or
// other control bytes (C0, DEL, C1), no bidi controls, valid UTF-8, no
// leading '.' or '-', not "" or "..", at most 200 bytes (cut at a character
// boundary, keeping the extension).
std::string safe_file_name(std::string_view name);

// `name`, or "stem (2).ext", "stem (3).ext"... until it is not in `taken`;
// the result is added to `taken`. Names are compared without regard to
// ASCII case, so the pack unpacks the same on case-insensitive disks.
std::string unique_file_name(const std::string& name, std::set<std::string>& taken);

// MIME types the evidence page shows inline as images.
bool is_inline_image(std::string_view type);

}  // namespace mend
