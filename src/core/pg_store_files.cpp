// The PostgreSQL store's evidence and replies: files kept in bytea, once per
// SHA-256 (a file is at most max_attachment bytes, 25 MiB by default, so it
// goes to the server in one piece), and reply events.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/digest.hpp"
#include "core/evidence.hpp"
#include "core/limits.hpp"
#include "core/mime.hpp"
#include "core/pg_store.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

// Every byte of `fd` up to max_bytes; Error(data) past it.
std::string read_all(const AttachmentSource& f, std::int64_t max_bytes) {
  std::string bytes;
  if (f.size) bytes.reserve(static_cast<std::size_t>(*f.size));
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(f.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(ErrorKind::io, "cannot read " + f.name + ": " + std::strerror(errno));
    if (n == 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
    if (static_cast<std::int64_t>(bytes.size()) > max_bytes)
      fail(ErrorKind::data, attachment_over_limit(f.name, max_bytes));
  }
  if (f.size && static_cast<std::int64_t>(bytes.size()) != *f.size)
    fail(ErrorKind::data, f.name + " changed while mend read it; attach it again");
  return bytes;
}

}  // namespace

Case PgStore::attach_files(std::int64_t id, const std::vector<AttachmentSource>& files,
                           std::int64_t max_bytes, Time now) {
  for (const auto& f : files)
    if (f.size && *f.size > max_bytes)
      fail(ErrorKind::data, attachment_over_limit(f.name, max_bytes));
  // The files are read before the transaction, so a retry never reads them twice.
  const MimeSniffer mime;
  struct Read {
    std::string bytes, sha256, type;
  };
  std::vector<Read> read_files;
  for (const auto& f : files) {
    Read r;
    r.bytes = read_all(f, max_bytes);
    r.sha256 = sha256_hex(r.bytes);
    r.type = mime.type_of(
        std::string_view(r.bytes).substr(0, std::min(r.bytes.size(), MimeSniffer::kHeadBytes)));
    read_files.push_back(std::move(r));
  }
  return write([&] {
    status_of(id);
    for (std::size_t i = 0; i < files.size(); ++i) {
      const auto& f = files[i];
      const auto& r = read_files[i];
      const auto size = static_cast<std::int64_t>(r.bytes.size());
      conn_.exec(
          "INSERT INTO mend.blobs (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
          PgParams{} << r.sha256 << size << PgBytes{r.bytes});
      conn_.exec(
          "INSERT INTO mend.attachments (case_id, name, type, size, sha256, at) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          PgParams{} << id << f.name << r.type << size << r.sha256
                     << static_cast<std::int64_t>(now));
      insert_event(id, now, EventKind::attached,
                   f.name + " (" + r.type + ", " + human_size(size) + ")");
    }
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);
    return result;
  });
}

void PgStore::read_blob(const std::string& sha256,
                        const std::function<void(std::string_view)>& sink) {
  read([&] {
    auto r = conn_.exec("SELECT size FROM mend.blobs WHERE sha256 = ?", PgParams{} << sha256);
    if (r.rows() == 0) fail(ErrorKind::not_found, "no stored file with SHA-256 " + sha256);
    const std::int64_t size = r.int64(0, 0);
    // A piece at a time (substring of bytea), so memory stays small.
    constexpr std::int64_t kPiece = 1 << 20;
    for (std::int64_t done = 0; done < size; done += kPiece) {
      auto piece = conn_.exec(
          "SELECT encode(substring(data FROM ? FOR ?), 'hex') FROM mend.blobs WHERE sha256 = ?",
          PgParams{} << done + 1 << kPiece << sha256);
      const auto hex = piece.view(0, 0);
      std::string bytes(hex.size() / 2, '\0');
      auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
      for (std::size_t k = 0; k < bytes.size(); ++k)
        bytes[k] = static_cast<char>(nibble(hex[2 * k]) << 4 | nibble(hex[2 * k + 1]));
      sink(bytes);
    }
  });
}

Case PgStore::add_reply(std::int64_t id, const std::string& text, const Message& message,
                        Time now) {
  return write([&] {
    status_of(id);
    insert_event(id, now, EventKind::reply, text, message);
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);
    return result;
  });
}

}  // namespace mend
