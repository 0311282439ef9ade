// SHA-256: the FIPS 180-2 test vectors, and the same digest however the bytes
// are cut into pieces (attach and evidence hash a file a piece at a time).
#include <doctest/doctest.h>

#include <string>

#include "core/digest.hpp"

using mend::Sha256;
using mend::sha256_hex;

TEST_CASE("SHA-256 gives the FIPS 180-2 digests") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 of bytes added in pieces equals that of the whole") {
  std::string bytes;
  for (std::size_t i = 0; i < 300000; ++i)
    bytes += static_cast<char>((i * 7919) % 251);
  const std::string whole = sha256_hex(bytes);
  for (const std::size_t piece : {1UL, 63UL, 64UL, 65UL, 4096UL, 262144UL}) {
    CAPTURE(piece);
    Sha256 h;
    for (std::size_t at = 0; at < bytes.size(); at += piece)
      h.add(std::string_view(bytes).substr(at, piece));
    CHECK(h.hex() == whole);
  }
  CHECK(whole != sha256_hex(bytes.substr(1)));
}

TEST_CASE("is_sha256_hex takes 64 lowercase hex digits only") {
  CHECK(mend::is_sha256_hex(sha256_hex("abc")));
  CHECK_FALSE(
      mend::is_sha256_hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  CHECK_FALSE(mend::is_sha256_hex(sha256_hex("abc").substr(1)));
}
