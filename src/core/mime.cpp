// libmagic is loaded with dlopen when a file is attached, not linked: linked,
// it and the three compression libraries it needs would load at the start of
// every mend command. Only `attach` (and mail, later) pays for it.
#include "core/mime.hpp"

#include <dlfcn.h>
#include <magic.h>

namespace mend {

struct MimeSniffer::Impl {
  void* library = nullptr;
  magic_t cookie = nullptr;
  decltype(&magic_buffer) buffer = nullptr;
  decltype(&magic_close) close = nullptr;
};

MimeSniffer::MimeSniffer() : impl_(std::make_unique<Impl>()) {
  impl_->library = ::dlopen("libmagic.so.1", RTLD_NOW | RTLD_LOCAL);
  if (impl_->library == nullptr) return;
  const auto open = reinterpret_cast<decltype(&magic_open)>(::dlsym(impl_->library, "magic_open"));
  const auto load = reinterpret_cast<decltype(&magic_load)>(::dlsym(impl_->library, "magic_load"));
  impl_->buffer =
      reinterpret_cast<decltype(&magic_buffer)>(::dlsym(impl_->library, "magic_buffer"));
  impl_->close = reinterpret_cast<decltype(&magic_close)>(::dlsym(impl_->library, "magic_close"));
  if (open == nullptr || load == nullptr || impl_->buffer == nullptr || impl_->close == nullptr)
    return;
  // Attached files are hostile input: no decompression, no ELF details, only
  // the tests that read the bytes themselves.
  impl_->cookie =
      open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF | MAGIC_ERROR);
  if (impl_->cookie != nullptr && load(impl_->cookie, nullptr) != 0) {
    impl_->close(impl_->cookie);
    impl_->cookie = nullptr;
  }
}

MimeSniffer::~MimeSniffer() {
  if (impl_->cookie != nullptr) impl_->close(impl_->cookie);
  if (impl_->library != nullptr) ::dlclose(impl_->library);
}

std::string MimeSniffer::type_of(std::string_view head) const {
  constexpr const char* kUnknown = "application/octet-stream";
  if (impl_->cookie == nullptr) return kUnknown;
  if (head.size() > kHeadBytes) head = head.substr(0, kHeadBytes);
  const char* type = impl_->buffer(impl_->cookie, head.data(), head.size());
  if (type == nullptr || *type == '\0') return kUnknown;
  return type;
}

}  // namespace mend
