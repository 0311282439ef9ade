// The MIME type of a file read from its first bytes, with libmagic (the
// library behind file(1)), never from its name.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace mend {

class MimeSniffer {
 public:
  // Loads libmagic's database; only commands that attach files pay for that.
  MimeSniffer();
  ~MimeSniffer();
  MimeSniffer(const MimeSniffer&) = delete;
  MimeSniffer& operator=(const MimeSniffer&) = delete;

  // "image/png", "application/pdf", "text/plain"...; application/octet-stream
  // when libmagic cannot tell (or could not be loaded).
  std::string type_of(std::string_view head) const;

  // How many leading bytes type_of wants to see.
  static constexpr std::size_t kHeadBytes = 256 * 1024;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mend
