// SHA-256 over bytes that arrive in pieces, for content-addressed
// attachments and evidence packs: OpenSSL's low-level SHA-256, which picks the
// CPU's SHA extension or AVX2 code at load time. Its EVP interface would be the
// documented one, but it fetches the digest from a provider, which brings the
// provider machinery into the static link and costs time at first use; the
// low-level functions, deprecated in OpenSSL 3 but kept, are plain code.
#pragma once

#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED
#endif
#include <openssl/sha.h>

#include <cstdint>

#include <string>
#include <string_view>

namespace mend {

class Sha256 {
 public:
  Sha256() { SHA256_Init(&ctx_); }
  void add(std::string_view bytes) { SHA256_Update(&ctx_, bytes.data(), bytes.size()); }
  // The digest in lowercase hex; the object is spent afterwards.
  std::string hex();

 private:
  SHA256_CTX ctx_;
};

// The SHA-256 of `bytes` in lowercase hex.
std::string sha256_hex(std::string_view bytes);

// Whether `text` is 64 lowercase hex digits, as sha256_hex writes them.
bool is_sha256_hex(std::string_view text);

}  // namespace mend
