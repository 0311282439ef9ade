// SHA-256 over bytes that arrive in pieces (libmd, the digest library dpkg
// uses), for content-addressed attachments and evidence packs.
#pragma once

#include <sha2.h>

#include <string>
#include <string_view>

namespace mend {

class Sha256 {
 public:
  Sha256() { SHA256Init(&ctx_); }
  void add(std::string_view bytes) {
    SHA256Update(&ctx_, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  // The digest in lowercase hex; the object is spent afterwards.
  std::string hex();

 private:
  SHA2_CTX ctx_;
};

// The SHA-256 of `bytes` in lowercase hex.
std::string sha256_hex(std::string_view bytes);

// Whether `text` is 64 lowercase hex digits, as sha256_hex writes them.
bool is_sha256_hex(std::string_view text);

}  // namespace mend
