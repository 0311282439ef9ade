#include "core/evidence.hpp"

#include <doctest/doctest.h>

#include "core/digest.hpp"

using namespace mend;

TEST_CASE("human_size says bytes, KiB and MiB as people read them") {
  CHECK(human_size(0) == "0 bytes");
  CHECK(human_size(1) == "1 byte");
  CHECK(human_size(1023) == "1023 bytes");
  CHECK(human_size(1536) == "1.5 KiB");
  CHECK(human_size(26214400) == "25 MiB");
}

TEST_CASE("safe_file_name leaves no path, hidden file, option or control byte") {
  CHECK(safe_file_name("photo.png") == "photo.png");
  CHECK(safe_file_name("../../etc/passwd") == "_.._etc_passwd");
  CHECK(safe_file_name("-rf") == "rf");
  CHECK(safe_file_name(".bashrc") == "bashrc");
  CHECK(safe_file_name("..") == "file");
  CHECK(safe_file_name("") == "file");
  CHECK(safe_file_name("a\nb\x1b[2J.txt") == "a_b_[2J.txt");
  CHECK(safe_file_name("caf\xc3\xa9.txt") == "caf\xc3\xa9.txt");
  CHECK(safe_file_name("\xff\xfe.bin") == "__.bin");
  CHECK(safe_file_name("evil\xe2\x80\xaegnp.exe") == "evil_gnp.exe");
  const auto cut = safe_file_name(std::string(300, 'a') + ".jpeg");
  CHECK(cut.size() == 200);
  CHECK(cut.substr(cut.size() - 5) == ".jpeg");
}

TEST_CASE("unique_file_name puts (2) before the extension on a clash, ignoring ASCII case") {
  std::set<std::string> taken;
  CHECK(unique_file_name("photo.png", taken) == "photo.png");
  CHECK(unique_file_name("photo.png", taken) == "photo (2).png");
  CHECK(unique_file_name("PHOTO.png", taken) == "PHOTO (3).png");
  CHECK(unique_file_name("README", taken) == "README");
  CHECK(unique_file_name("README", taken) == "README (2)");
}

TEST_CASE("sha256_hex matches the standard test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(is_sha256_hex(sha256_hex("abc")));
  CHECK(!is_sha256_hex("BA7816BF"));
}
