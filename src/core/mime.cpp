#include "core/mime.hpp"

#include <magic.h>

namespace mend {

struct MimeSniffer::Impl {
  magic_t cookie = nullptr;
};

MimeSniffer::MimeSniffer() : impl_(std::make_unique<Impl>()) {
  // Attached files are hostile input: no decompression, no external helpers,
  // only the tests that read the bytes themselves.
  impl_->cookie =
      magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF | MAGIC_ERROR);
  if (impl_->cookie != nullptr && magic_load(impl_->cookie, nullptr) != 0) {
    magic_close(impl_->cookie);
    impl_->cookie = nullptr;
  }
}

MimeSniffer::~MimeSniffer() {
  if (impl_->cookie != nullptr) magic_close(impl_->cookie);
}

std::string MimeSniffer::type_of(std::string_view head) const {
  constexpr const char* kUnknown = "application/octet-stream";
  if (impl_->cookie == nullptr) return kUnknown;
  if (head.size() > kHeadBytes) head = head.substr(0, kHeadBytes);
  const char* type = magic_buffer(impl_->cookie, head.data(), head.size());
  if (type == nullptr || *type == '\0') return kUnknown;
  return type;
}

}  // namespace mend
