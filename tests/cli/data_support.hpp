// Helpers for the export/import/backup/forget tests: hand-written import
// lines and direct queries through the sqlite3 program.
#pragma once

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness.hpp"

namespace mend::test {

using OJson = nlohmann::ordered_json;

// N open cases with ids FIRST.. (customer ids the same), in the export shape:
// a 400-byte complaint, the tag bulk, an opened event and a note. One import
// of them is far quicker than N opens, above all under ASan.
inline std::string bulk_case_lines(int first, int n) {
  const std::string pad(400, 'p');
  std::string out;
  out.reserve(static_cast<std::size_t>(n) * 900);
  for (int id = first; id < first + n; ++id) {
    const std::string i = std::to_string(id);
    out += R"({"id":)" + i + R"(,"status":"open","customer":{"id":)" + i + R"(,"name":"Bulk )" + i +
           R"(","email":"b)" + i + R"(@example.com","phone":null},"summary":"bulk case )" + i +
           R"(","complaint":")" + pad +
           R"(","wants":null,"channel":"email","category":"billing","priority":"normal",)" +
           R"("reference":null,"tags":["bulk"],"opened_at":"2026-01-01T10:00:00Z","due_at":null,)" +
           R"("resolved_at":null,"followup_at":null,"closed_at":null,"resolution":null,)" +
           R"("satisfaction":null,"events":[{"at":"2026-01-01T10:00:00Z","kind":"opened",)" +
           R"("text":"bulk case )" + i + R"("},{"at":"2026-01-02T10:00:00Z","kind":"note",)" +
           R"("text":"called back )" + i + R"("}]})" + "\n";
  }
  return out;
}

// A minimal valid case line in the export shape; tests change what they need.
inline OJson case_line(std::int64_t id, std::int64_t customer_id, const std::string& name,
                       const std::string& summary = "A complaint") {
  return OJson{
      {"id", id},
      {"status", "open"},
      {"customer", {{"id", customer_id}, {"name", name}, {"email", nullptr}, {"phone", nullptr}}},
      {"summary", summary},
      {"complaint", nullptr},
      {"wants", nullptr},
      {"channel", "email"},
      {"category", "delivery"},
      {"priority", "normal"},
      {"reference", nullptr},
      {"tags", OJson::array()},
      {"opened_at", "2026-11-01T09:00:00Z"},
      {"due_at", "2026-11-03T23:59:59Z"},
      {"resolved_at", nullptr},
      {"followup_at", nullptr},
      {"closed_at", nullptr},
      {"resolution", nullptr},
      {"satisfaction", nullptr},
      {"owner", nullptr},
      {"events", OJson::array({{{"at", "2026-11-01T09:00:00Z"},
                                {"kind", "opened"},
                                {"text", summary},
                                {"by", "sam"},
                                {"message", nullptr}}})},
      {"attachments", OJson::array()}};
}

inline std::string jsonl(const std::vector<OJson>& lines) {
  std::string out;
  for (const auto& l : lines)
    out += l.dump() + "\n";
  return out;
}

// A real 1x1 PNG image: libmagic calls it image/png from its bytes.
inline std::string tiny_png() {
  const std::string hex =
      "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cf"
      "c0f01f00050001ff89993d1d0000000049454e44ae426082";
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// What the sqlite3 program prints for `query` on the database.
inline std::string sql(const std::string& db, const std::string& query) {
  return shell_output("sqlite3 -batch '" + db + "' \"" + query + "\" 2>&1");
}

}  // namespace mend::test
