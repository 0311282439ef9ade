// mend evidence, export --files, import --files and forget of files, end to end.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "data_support.hpp"
#include "harness.hpp"

using namespace mend::test;

namespace {

const std::string kPng = tiny_png();

int mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 07777);
}

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// A case with a complaint that tries to run a script, a photo and two files
// whose names clash.
void seed(const Sandbox& s) {
  s.ok({"open", "Ada <script>alert(1)</script>", "Vase broken", "-m",
        "It broke.\n<script>alert('x')</script> <img src=https://evil.example/t.png>"});
  write_file(s.dir + "/photo.png", kPng);
  std::filesystem::create_directories(s.dir + "/other");
  write_file(s.dir + "/receipt.txt", "receipt one\n");
  write_file(s.dir + "/other/receipt.txt", "receipt two\n");
  s.ok({"attach", "1", "photo.png", "receipt.txt", "other/receipt.txt"});
}

}  // namespace

TEST_CASE("mend evidence writes the files, one self-contained page and SHA256SUMS") {
  Sandbox s;
  seed(s);
  s.ok({"evidence", "1", "-o", "pack"});
  const auto dir = s.dir + "/pack";
  CHECK(mode_of(dir) == 0700);
  CHECK(names_in(dir) == std::vector<std::string>{"SHA256SUMS", "case-1.html", "photo.png",
                                                  "receipt (2).txt", "receipt.txt"});
  for (const auto& n : names_in(dir))
    CHECK(mode_of(dir + "/" + n) == 0600);
  CHECK(file_bytes(dir + "/photo.png") == kPng);
  CHECK(file_bytes(dir + "/receipt (2).txt") == "receipt two\n");
  CHECK(shell_output("cd '" + dir + "' && sha256sum -c SHA256SUMS 2>&1 | grep -c ': OK$'") ==
        "4\n");
  const auto page = file_bytes(dir + "/case-1.html");
  CHECK(page.find("data:image/png;base64,iVBORw0KGgo") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(&#39;x&#39;)") != std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("Content-Security-Policy") != std::string::npos);
  CHECK(page.find("It broke.") != std::string::npos);
}

TEST_CASE("mend evidence refuses a folder that is not empty, or a symbolic link (73)") {
  Sandbox s;
  seed(s);
  std::filesystem::create_directories(s.dir + "/full");
  write_file(s.dir + "/full/keep.txt", "mine");
  auto r = s.run({"evidence", "1", "-o", "full"});
  CHECK(r.code == 73);
  CHECK(r.out.empty());
  CHECK(names_in(s.dir + "/full") == std::vector<std::string>{"keep.txt"});
  std::filesystem::create_directories(s.dir + "/target");
  std::filesystem::create_directory_symlink(s.dir + "/target", s.dir + "/link");
  r = s.run({"evidence", "1", "-o", "link"});
  CHECK(r.code == 73);
  CHECK(names_in(s.dir + "/target").empty());
  r = s.run({"evidence", "7", "-o", "new"});
  CHECK(r.code == 66);
  CHECK(!std::filesystem::exists(s.dir + "/new"));
  // An empty folder is fine.
  std::filesystem::create_directories(s.dir + "/empty");
  s.ok({"evidence", "1", "-o", "empty"});
  CHECK(mode_of(s.dir + "/empty") == 0700);
}

TEST_CASE("mend evidence makes hostile names safe to write into the folder" * mend::test::kSqliteOnly) {
  Sandbox s;
  s.ok({"open", "Ada", "Vase broken"});
  for (const std::string name :
       {"passwd", "-rf", ".hidden", "line\nbreak\x1b[2J.txt", "\xff\xfe.bin"})
    s.ok({"attach", "1", "-", "--name", name}, "bytes of " + name);
  // attach takes no '/' in a name, but mail will keep the names senders give.
  run_sql(s.db, "UPDATE attachments SET name = '../../etc/passwd' WHERE name = 'passwd'");
  s.ok({"evidence", "1", "-o", "pack"});
  const auto names = names_in(s.dir + "/pack");
  CHECK(names.size() == 7);
  for (const auto& n : names) {
    CHECK(n.find('/') == std::string::npos);
    CHECK(n[0] != '.');
    CHECK(n[0] != '-');
    for (unsigned char c : n)
      CHECK((c >= 0x20 && c != 0x7f));
  }
  CHECK(shell_output("cd '" + s.dir + "/pack' && sha256sum -c SHA256SUMS 2>&1 | grep -c ': OK$'") ==
        "6\n");
  CHECK(!std::filesystem::exists(s.dir + "/etc"));
}

TEST_CASE("export --files and import --files move attachments, byte for byte") {
  Sandbox s;
  seed(s);
  const auto exported = s.ok({"export", "--files", "blobs"});
  CHECK(mode_of(s.dir + "/blobs") == 0700);
  CHECK(names_in(s.dir + "/blobs").size() == 3);
  write_file(s.dir + "/cases.jsonl", exported);

  Sandbox t;
  const auto before = db_dump(t.db);
  auto r = t.run({"import", s.dir + "/cases.jsonl"});
  CHECK(r.code == 65);
  CHECK(r.err.find("--files") != std::string::npos);
  t.ok({"import", "--files", s.dir + "/blobs", s.dir + "/cases.jsonl"});
  CHECK(t.ok({"export", "--files", "blobs"}) == exported);
  for (const auto& n : names_in(s.dir + "/blobs"))
    CHECK(file_bytes(t.dir + "/blobs/" + n) == file_bytes(s.dir + "/blobs/" + n));

  // A missing or changed file fails the whole import, naming the SHA-256.
  Sandbox u;
  const auto sha = names_in(s.dir + "/blobs")[0];
  std::filesystem::copy(s.dir + "/blobs", u.dir + "/blobs");
  std::filesystem::remove(u.dir + "/blobs/" + sha);
  r = u.run({"import", "--files", u.dir + "/blobs", s.dir + "/cases.jsonl"});
  CHECK(r.code == 65);
  CHECK(r.err.find(sha) != std::string::npos);
  const auto size = std::filesystem::file_size(s.dir + "/blobs/" + sha);
  write_file(u.dir + "/blobs/" + sha, std::string(size, 'z'));
  r = u.run({"import", "--files", u.dir + "/blobs", s.dir + "/cases.jsonl"});
  CHECK(r.code == 65);
  CHECK(r.err.find(sha) != std::string::npos);
  CHECK(sql(u.db, "SELECT count(*) FROM cases") == "0\n");
}

TEST_CASE("forget deletes the customer's files and their bytes from the database") {
  Sandbox s;
  s.ok({"open", "Ada", "Vase broken"});
  s.ok({"open", "Bob", "Other"});
  write_file(s.dir + "/secret.txt", "ZQXJ-distinctive-evidence-words\n");
  write_file(s.dir + "/shared.txt", "shared bytes\n");
  s.ok({"attach", "1", "secret.txt", "shared.txt"});
  s.ok({"attach", "2", "shared.txt"});
  const auto out = s.ok({"forget", "1", "--yes"});
  CHECK(out.find("deleted 2 files") != std::string::npos);
  CHECK(sql(s.db, "SELECT count(*) FROM attachments") == "1\n");
  CHECK(sql(s.db, "SELECT count(*) FROM blobs") == "1\n");
  CHECK(file_bytes(s.db).find("ZQXJ-distinctive") == std::string::npos);
  CHECK(file_bytes(s.db + "-wal").find("ZQXJ-distinctive") == std::string::npos);
}

TEST_CASE("export lists each case's own attachments, also when filters skip cases") {
  Sandbox s;
  for (const char* who : {"Ada", "Bob", "Cy"})
    s.ok({"open", who, "case"});
  write_file(s.dir + "/a.txt", "a\n");
  write_file(s.dir + "/b.txt", "b\n");
  write_file(s.dir + "/empty.txt", "");
  s.ok({"attach", "1", "a.txt"});
  s.ok({"attach", "3", "b.txt", "a.txt", "empty.txt"});
  s.ok({"resolve", "2", "--outcome", "apology"});
  std::vector<std::vector<std::string>> names;
  std::istringstream lines(s.ok({"export"}));
  for (std::string line; std::getline(lines, line);) {
    names.emplace_back();
    const auto c = nlohmann::json::parse(line);
    for (const auto& a : c["attachments"])
      names.back().push_back(a["name"]);
  }
  INFO(nlohmann::json(names).dump());
  CHECK(names ==
        std::vector<std::vector<std::string>>{{"a.txt"}, {}, {"b.txt", "a.txt", "empty.txt"}});
  const auto open_only = nlohmann::json::parse(s.ok({"export", "--status", "resolved"}));
  CHECK(open_only["id"] == 2);
  CHECK(open_only["attachments"].empty());
  const auto shown = nlohmann::json::parse(s.ok({"show", "3", "--json"}))["attachments"];
  CHECK(shown[2]["size"] == 0);
  CHECK(shown[2]["sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
