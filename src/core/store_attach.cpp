// Evidence: files kept with a case. The bytes live once per SHA-256 in the
// blobs table and are streamed in and out with SQLite's incremental blob I/O,
// so a large photo is never held whole in memory; the attachments table says
// which case keeps which bytes under which name.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/digest.hpp"
#include "core/evidence.hpp"
#include "core/limits.hpp"
#include "core/mime.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

constexpr std::size_t kPiece = 256 * 1024;

// read(2) until `want` bytes or the end; Error(io) naming the file on failure.
std::size_t read_some(int fd, char* buf, std::size_t want, const std::string& name) {
  std::size_t got = 0;
  while (got < want) {
    const ssize_t n = ::read(fd, buf + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(ErrorKind::io, "cannot read " + name + ": " + std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

// What one file became before its rows are written.
struct Stored {
  std::string sha256;
  std::string type;
  std::int64_t size = 0;
};

class BlobWriter {
 public:
  explicit BlobWriter(SQLite::Database& db) : db_(db) {}

  // Reads the file twice: once to learn its SHA-256 (and type), then, when
  // those bytes are not stored yet, again into a blob row created under that
  // SHA-256 with zeroblob() and written a piece at a time. The row is never
  // changed afterwards: an UPDATE would make SQLite load the whole value into
  // memory and write it again. A file that changes between or during the two
  // reads is refused, so the stored SHA-256 is always that of the stored bytes.
  Stored from_file(const AttachmentSource& f, std::int64_t size, const MimeSniffer* mime) {
    const off_t start = ::lseek(f.fd, 0, SEEK_CUR);
    if (start < 0) fail(ErrorKind::io, "cannot read " + f.name + ": " + std::strerror(errno));
    std::vector<char> buf(kPiece);
    Stored out;
    out.size = size;
    out.sha256 = pass(f, start, size, buf, [&](std::string_view piece, std::int64_t at) {
      if (at == 0 && mime) out.type = mime->type_of(piece);
    });
    if (size == 0 && mime) out.type = mime->type_of({});
    if (known(out.sha256)) return out;

    SQLite::Statement insert(db_,
                             "INSERT INTO blobs (sha256, size, data) VALUES (?, ?, zeroblob(?))");
    insert.bind(1, out.sha256);
    insert.bind(2, size);
    insert.bind(3, size);
    insert.exec();
    if (size == 0) return out;
    sqlite3_blob* blob = nullptr;
    if (sqlite3_blob_open(db_.getHandle(), "main", "blobs", "data", db_.getLastInsertRowid(), 1,
                          &blob) != SQLITE_OK)
      throw SQLite::Exception(db_.getHandle(), sqlite3_errcode(db_.getHandle()));
    struct CloseBlob {
      sqlite3_blob* b;
      ~CloseBlob() { sqlite3_blob_close(b); }
    } close_blob{blob};
    const std::string again =
        pass(f, start, size, buf, [&](std::string_view piece, std::int64_t at) {
          const int rc = sqlite3_blob_write(blob, piece.data(), static_cast<int>(piece.size()),
                                            static_cast<int>(at));
          if (rc != SQLITE_OK) throw SQLite::Exception(db_.getHandle(), rc);
        });
    if (again != out.sha256) changed(f.name);
    return out;
  }

  Stored from_bytes(const std::string& bytes, const MimeSniffer& mime) {
    return from_bytes(bytes, mime.type_of(bytes));
  }
  Stored from_bytes(const std::string& bytes, std::string type) {
    Stored out;
    out.size = static_cast<std::int64_t>(bytes.size());
    out.type = std::move(type);
    out.sha256 = sha256_hex(bytes);
    if (!known(out.sha256)) {
      SQLite::Statement insert(db_, "INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?)");
      insert.bind(1, out.sha256);
      insert.bind(2, out.size);
      insert.bindNoCopy(3, bytes.data(), static_cast<int>(bytes.size()));
      insert.exec();
    }
    return out;
  }

 private:
  bool known(const std::string& sha256) {
    SQLite::Statement q(db_, "SELECT 1 FROM blobs WHERE sha256 = ?");
    q.bind(1, sha256);
    return q.executeStep();
  }
  [[noreturn]] static void changed(const std::string& name) {
    fail(ErrorKind::data, name + " changed while it was read; attach it again once it is complete");
  }
  // Reads `size` bytes from `start` with pread, handing each piece and its
  // offset to `each`; returns their SHA-256.
  template <class Each>
  std::string pass(const AttachmentSource& f, off_t start, std::int64_t size,
                   std::vector<char>& buf, const Each& each) {
    Sha256 hash;
    for (std::int64_t done = 0; done < size;) {
      const auto want = static_cast<std::size_t>(std::min<std::int64_t>(size - done, kPiece));
      std::size_t got = 0;
      while (got < want) {
        const ssize_t n =
            ::pread(f.fd, buf.data() + got, want - got,
                    start + static_cast<off_t>(done + static_cast<std::int64_t>(got)));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(ErrorKind::io, "cannot read " + f.name + ": " + std::strerror(errno));
        if (n == 0) changed(f.name);  // shorter than when it was opened
        got += static_cast<std::size_t>(n);
      }
      const std::string_view piece(buf.data(), got);
      hash.add(piece);
      each(piece, done);
      done += static_cast<std::int64_t>(got);
    }
    return hash.hex();
  }
  SQLite::Database& db_;
};

std::string over_limit(const std::string& name, std::int64_t max_bytes) {
  return name + " is larger than max_attachment (" + std::to_string(max_bytes) +
         " bytes); raise max_attachment in the config file to keep it";
}

}  // namespace

std::string attachment_over_limit(const std::string& name, std::int64_t max_bytes) {
  return over_limit(name, max_bytes);
}

void check_attachment_files(const Case& c, const std::optional<std::string>& files_dir) {
  if (!files_dir)
    fail(ErrorKind::data, "case #" + std::to_string(c.id) +
                              " lists attachments; import their bytes with --files DIR (the "
                              "folder that export --files DIR wrote)");
  for (const auto& a : c.attachments) {
    struct stat st {};
    const std::string path = *files_dir + "/" + a.sha256;
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      fail(ErrorKind::data, "the bytes of attachment '" + a.name + "' (SHA-256 " + a.sha256 +
                                ") are not in " + *files_dir);
  }
}

void import_attachment(SQLite::Database& db, std::int64_t case_id, const Attachment& a,
                       const std::string& files_dir) {
  SQLite::Statement known(db, "SELECT size FROM blobs WHERE sha256 = ?");
  known.bind(1, a.sha256);
  const bool stored = known.executeStep();
  if (stored && known.getColumn(0).getInt64() != a.size)
    fail(ErrorKind::data, "attachment '" + a.name + "' lists " + std::to_string(a.size) +
                              " bytes, but its SHA-256 " + a.sha256 + " is stored with " +
                              std::to_string(known.getColumn(0).getInt64()));
  known.reset();
  if (!stored) {
    const std::string path = files_dir + "/" + a.sha256;
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) fail(ErrorKind::data, "cannot read " + path + ": " + std::strerror(errno));
    struct CloseFd {
      int fd;
      ~CloseFd() { ::close(fd); }
    } close_fd{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != a.size)
      fail(ErrorKind::data, path + " is not the " + std::to_string(a.size) +
                                " bytes that attachment '" + a.name + "' lists");
    const MimeSniffer* no_sniffing = nullptr;
    BlobWriter writer(db);
    const Stored s = writer.from_file(AttachmentSource{path, fd, a.size}, a.size, no_sniffing);
    if (s.sha256 != a.sha256)
      fail(ErrorKind::data, path + " does not hold the bytes of SHA-256 " + a.sha256 +
                                " (its SHA-256 is " + s.sha256 + ")");
  }
  SQLite::Statement row(db,
                        "INSERT INTO attachments (case_id, name, type, size, sha256, at) "
                        "VALUES (?, ?, ?, ?, ?, ?)");
  row.bind(1, case_id);
  row.bind(2, a.name);
  row.bind(3, a.type);
  row.bind(4, a.size);
  row.bind(5, a.sha256);
  row.bind(6, static_cast<std::int64_t>(a.at));
  row.exec();
}

Attachment keep_bytes(SQLite::Database& db, std::int64_t case_id, const std::string& name,
                      const std::string& type, const std::string& bytes, Time at,
                      const std::optional<std::string>& by, const MimeSniffer* mime) {
  BlobWriter blobs(db);
  const Stored s = type.empty() && mime != nullptr
                       ? blobs.from_bytes(bytes, *mime)
                       : blobs.from_bytes(bytes, type.empty() ? "application/octet-stream" : type);
  SQLite::Statement row(db,
                        "INSERT INTO attachments (case_id, name, type, size, sha256, at) "
                        "VALUES (?, ?, ?, ?, ?, ?)");
  row.bind(1, case_id);
  row.bind(2, name);
  row.bind(3, s.type);
  row.bind(4, s.size);
  row.bind(5, s.sha256);
  row.bind(6, static_cast<std::int64_t>(at));
  row.exec();
  insert_event(db, case_id, at, EventKind::attached,
               name + " (" + s.type + ", " + human_size(s.size) + ")", by);
  return Attachment{name, s.type, s.size, s.sha256, at};
}

std::vector<Attachment> SqliteStore::read_attachments(std::int64_t case_id) {
  SQLite::Statement q(db_, kAttachmentsOfCase);
  return attachments_of(q, case_id);
}

std::vector<Attachment> attachments_of(SQLite::Statement& q, std::int64_t case_id) {
  q.reset();
  q.bind(1, case_id);
  std::vector<Attachment> out;
  while (q.executeStep()) {
    out.push_back(Attachment{q.getColumn(0).getString(), q.getColumn(1).getString(),
                             q.getColumn(2).getInt64(), q.getColumn(3).getString(),
                             q.getColumn(4).getInt64()});
  }
  return out;
}

Case SqliteStore::attach_files(std::int64_t id, const std::vector<AttachmentSource>& files,
                               std::int64_t max_bytes, Time now) {
  return guarded(path_, [&] {
    require_writable();
    // Only for regular files whose size is known can the limit be checked
    // before the write lock is taken; stdin is read below.
    for (const auto& f : files)
      if (f.size && *f.size > max_bytes) fail(ErrorKind::data, over_limit(f.name, max_bytes));
    const MimeSniffer mime;
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement exists(db_, "SELECT 1 FROM cases WHERE id = ?");
    exists.bind(1, id);
    if (!exists.executeStep()) fail(ErrorKind::not_found, "no case #" + std::to_string(id));
    auto search = SearchUpdate::of_case(db_, id);
    BlobWriter blobs(db_);
    SQLite::Statement row(db_,
                          "INSERT INTO attachments (case_id, name, type, size, sha256, at) "
                          "VALUES (?, ?, ?, ?, ?, ?)");
    for (const auto& f : files) {
      Stored s;
      if (f.size) {
        s = blobs.from_file(f, *f.size, &mime);
      } else {
        std::string bytes;
        std::vector<char> buf(kPiece);
        for (;;) {
          const std::size_t got = read_some(f.fd, buf.data(), buf.size(), f.name);
          if (got == 0) break;
          bytes.append(buf.data(), got);
          if (static_cast<std::int64_t>(bytes.size()) > max_bytes)
            fail(ErrorKind::data, over_limit(f.name, max_bytes));
        }
        s = blobs.from_bytes(bytes, mime);
      }
      row.reset();
      row.bind(1, id);
      row.bind(2, f.name);
      row.bind(3, s.type);
      row.bind(4, s.size);
      row.bind(5, s.sha256);
      row.bind(6, static_cast<std::int64_t>(now));
      row.exec();
      insert_event(db_, id, now, EventKind::attached,
                   f.name + " (" + s.type + ", " + human_size(s.size) + ")", user_);
    }
    search.done();
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);  // what is stored can be exported and imported
    tx.commit();
    return result;
  });
}

void SqliteStore::read_blob(const std::string& sha256,
                            const std::function<void(std::string_view)>& sink) {
  guarded(path_, [&] {
    SQLite::Transaction snapshot(db_, SQLite::TransactionBehavior::DEFERRED);
    SQLite::Statement q(db_, "SELECT id, size FROM blobs WHERE sha256 = ?");
    q.bind(1, sha256);
    if (!q.executeStep()) fail(ErrorKind::not_found, "no stored file with SHA-256 " + sha256);
    const std::int64_t row = q.getColumn(0).getInt64();
    const std::int64_t size = q.getColumn(1).getInt64();
    q.reset();
    if (size == 0) return;
    sqlite3_blob* blob = nullptr;
    if (sqlite3_blob_open(db_.getHandle(), "main", "blobs", "data", row, 0, &blob) != SQLITE_OK)
      throw SQLite::Exception(db_.getHandle(), sqlite3_errcode(db_.getHandle()));
    struct CloseBlob {
      sqlite3_blob* b;
      ~CloseBlob() { sqlite3_blob_close(b); }
    } close_blob{blob};
    std::vector<char> buf(kPiece);
    for (std::int64_t done = 0; done < size;) {
      const auto n = static_cast<int>(std::min<std::int64_t>(size - done, kPiece));
      const int rc = sqlite3_blob_read(blob, buf.data(), n, static_cast<int>(done));
      if (rc != SQLITE_OK) throw SQLite::Exception(db_.getHandle(), rc);
      sink(std::string_view(buf.data(), static_cast<std::size_t>(n)));
      done += n;
    }
  });
}

}  // namespace mend
