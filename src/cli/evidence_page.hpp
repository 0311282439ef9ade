// The evidence page: one self-contained HTML file (inline CSS, images as data
// URIs, no script, a Content-Security-Policy that forbids any request) with
// the case, the customer's own words, the whole timeline and the files with
// their SHA-256. Every stored string is escaped.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace mend::cli {

using ChunkSink = std::function<void(std::string_view)>;
// Streams the bytes stored under a SHA-256 to a sink.
using BlobReader = std::function<void(const std::string& sha256, const ChunkSink& sink)>;

// Writes the page for `c` to `sink`; `file_names` holds, for each of the
// case's attachments in order, its name in the pack. Images are streamed
// from `read_blob`, never held whole.
void write_evidence_page(const Case& c, const std::vector<HistoryItem>& history,
                         const std::vector<std::string>& file_names, Time now,
                         const std::optional<std::string>& business_name, const ChunkSink& sink,
                         const BlobReader& read_blob);

}  // namespace mend::cli
