// The WAL write buffer: a VFS that hands every call to the default one,
// except that the frames appended to a WAL are gathered while its connection
// asked for it. See wal_buffer.hpp.
#include "core/wal_buffer.hpp"

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

namespace mend {
namespace {

// The unix VFS writes at most 128 KiB - 1 bytes a call (seekAndWriteFd).
constexpr int kBufferBytes = 124 * 1024;

sqlite3_vfs* real_vfs = nullptr;

struct File {
  sqlite3_file base;
  sqlite3_file* real;       // the default VFS's file, right after this struct
  File* db = nullptr;       // for a WAL: its main database file
  File* wal = nullptr;      // for a main database file: its open WAL
  bool buffer_wal = false;  // for a main database file: its WAL may buffer
  bool is_wal = false;
  char* buffer = nullptr;
  sqlite3_int64 start = 0;  // file offset of buffer[0]
  int used = 0;
  int error = SQLITE_OK;  // a write-out that failed where no error could be returned
};

File* as_file(sqlite3_file* f) {
  return reinterpret_cast<File*>(f);
}

// The default VFS's write, in pieces it can take (a larger write fails
// there as if the disk were full). SQLite itself writes more at once only
// when it spills a statement journal larger than that to a file.
int write_through(File* f, const void* data, int amount, sqlite3_int64 offset) {
  const char* bytes = static_cast<const char*>(data);
  while (amount > 0) {
    const int piece = amount < kBufferBytes ? amount : kBufferBytes;
    const int rc = f->real->pMethods->xWrite(f->real, bytes, piece, offset);
    if (rc != SQLITE_OK) return rc;
    bytes += piece;
    offset += piece;
    amount -= piece;
  }
  return SQLITE_OK;
}

// Writes the buffered bytes out. On failure they are dropped: they belong to
// a transaction that now fails.
int write_out(File* f) {
  if (f->error != SQLITE_OK) return f->error;
  if (f->used == 0) return SQLITE_OK;
  const int rc = f->real->pMethods->xWrite(f->real, f->buffer, f->used, f->start);
  f->start += f->used;
  f->used = 0;
  return rc;
}

// Where no error can be returned, the next call that can return one does.
void write_out_or_remember(File* f) {
  if (f == nullptr) return;
  const int rc = write_out(f);
  if (rc != SQLITE_OK) f->error = rc;
}

bool buffering(const File* f) {
  return f->is_wal && f->db != nullptr && f->db->buffer_wal;
}

int x_close(sqlite3_file* pf) {
  File* f = as_file(pf);
  int rc = write_out(f);
  if (f->is_wal && f->db != nullptr && f->db->wal == f) f->db->wal = nullptr;
  if (f->wal != nullptr) f->wal->db = nullptr;
  std::free(f->buffer);
  f->buffer = nullptr;
  const int closed = f->real->pMethods->xClose(f->real);
  return rc != SQLITE_OK ? rc : closed;
}

int x_read(sqlite3_file* pf, void* data, int amount, sqlite3_int64 offset) {
  File* f = as_file(pf);
  if (f->error != SQLITE_OK) return f->error;
  if (f->used > 0 && offset < f->start + f->used && offset + amount > f->start) {
    const int rc = write_out(f);
    if (rc != SQLITE_OK) return rc;
  }
  return f->real->pMethods->xRead(f->real, data, amount, offset);
}

int x_write(sqlite3_file* pf, const void* data, int amount, sqlite3_int64 offset) {
  File* f = as_file(pf);
  if (f->error != SQLITE_OK) return f->error;
  const sqlite3_int64 end = f->start + f->used;
  if (!buffering(f) || amount > kBufferBytes) {
    const int rc = write_out(f);
    if (rc != SQLITE_OK) return rc;
    return write_through(f, data, amount, offset);
  }
  if (f->used > 0 && offset >= f->start && offset + amount <= end) {  // bytes still here
    std::memcpy(f->buffer + (offset - f->start), data, static_cast<std::size_t>(amount));
    return SQLITE_OK;
  }
  if (f->used > 0 && offset != end) {
    if (offset + amount <= f->start || offset > end)  // elsewhere: order does not matter
      return write_through(f, data, amount, offset);
    const int rc = write_out(f);  // partly over the buffered bytes
    if (rc != SQLITE_OK) return rc;
    return write_through(f, data, amount, offset);
  }
  if (f->used + amount > kBufferBytes) {
    const int rc = write_out(f);
    if (rc != SQLITE_OK) return rc;
  }
  if (f->buffer == nullptr) {
    f->buffer = static_cast<char*>(std::malloc(kBufferBytes));
    if (f->buffer == nullptr) return write_through(f, data, amount, offset);
  }
  if (f->used == 0) f->start = offset;
  std::memcpy(f->buffer + f->used, data, static_cast<std::size_t>(amount));
  f->used += amount;
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* pf, sqlite3_int64 size) {
  File* f = as_file(pf);
  const int rc = write_out(f);
  if (rc != SQLITE_OK) return rc;
  return f->real->pMethods->xTruncate(f->real, size);
}

int x_sync(sqlite3_file* pf, int flags) {
  File* f = as_file(pf);
  int rc = write_out(f);
  if (rc == SQLITE_OK && f->wal != nullptr) rc = write_out(f->wal);
  if (rc != SQLITE_OK) return rc;
  return f->real->pMethods->xSync(f->real, flags);
}

int x_file_size(sqlite3_file* pf, sqlite3_int64* size) {
  File* f = as_file(pf);
  const int rc = write_out(f);
  if (rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileSize(f->real, size);
}

int x_lock(sqlite3_file* pf, int level) {
  File* f = as_file(pf);
  return f->real->pMethods->xLock(f->real, level);
}

int x_unlock(sqlite3_file* pf, int level) {
  File* f = as_file(pf);
  write_out_or_remember(f->wal);
  return f->real->pMethods->xUnlock(f->real, level);
}

int x_check_reserved_lock(sqlite3_file* pf, int* out) {
  File* f = as_file(pf);
  return f->real->pMethods->xCheckReservedLock(f->real, out);
}

int x_file_control(sqlite3_file* pf, int op, void* arg) {
  File* f = as_file(pf);
  const int rc = write_out(f);
  if (rc != SQLITE_OK) return rc;
  const int done = f->real->pMethods->xFileControl(f->real, op, arg);
  // As every shim VFS does: its name before the one it wraps ("name/unix").
  if (op == SQLITE_FCNTL_VFSNAME && done == SQLITE_OK && arg != nullptr) {
    char** name = static_cast<char**>(arg);
    char* wrapped = sqlite3_mprintf("%s/%s", kWalBufferVfs, *name != nullptr ? *name : "");
    sqlite3_free(*name);
    *name = wrapped;
  }
  return done;
}

int x_sector_size(sqlite3_file* pf) {
  File* f = as_file(pf);
  return f->real->pMethods->xSectorSize(f->real);
}

int x_device_characteristics(sqlite3_file* pf) {
  File* f = as_file(pf);
  return f->real->pMethods->xDeviceCharacteristics(f->real);
}

int x_shm_map(sqlite3_file* pf, int region, int size, int extend, void volatile** out) {
  File* f = as_file(pf);
  return f->real->pMethods->xShmMap(f->real, region, size, extend, out);
}

// Taking or dropping a WAL lock, and the barrier before a new wal-index
// header, come after the frames they cover are in the file.
int x_shm_lock(sqlite3_file* pf, int offset, int n, int flags) {
  File* f = as_file(pf);
  write_out_or_remember(f->wal);
  return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

void x_shm_barrier(sqlite3_file* pf) {
  File* f = as_file(pf);
  write_out_or_remember(f->wal);
  f->real->pMethods->xShmBarrier(f->real);
}

int x_shm_unmap(sqlite3_file* pf, int delete_flag) {
  File* f = as_file(pf);
  return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

int x_fetch(sqlite3_file* pf, sqlite3_int64 offset, int amount, void** out) {
  File* f = as_file(pf);
  return f->real->pMethods->xFetch(f->real, offset, amount, out);
}

int x_unfetch(sqlite3_file* pf, sqlite3_int64 offset, void* p) {
  File* f = as_file(pf);
  return f->real->pMethods->xUnfetch(f->real, offset, p);
}

const sqlite3_io_methods kMethods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

int v_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* pf, int flags, int* out_flags) {
  File* f = as_file(pf);
  new (f) File{};
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  const int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
  if (f->real->pMethods == nullptr || f->real->pMethods->iVersion < 3) {
    // Nothing to wrap (a failed open, or a file without WAL support): the
    // caller sees the default VFS's result as it is.
    if (f->real->pMethods != nullptr) {
      f->real->pMethods->xClose(f->real);
      return SQLITE_CANTOPEN;
    }
    pf->pMethods = nullptr;
    return rc;
  }
  pf->pMethods = &kMethods;
  if ((flags & SQLITE_OPEN_WAL) != 0 && name != nullptr) {
    sqlite3_file* main = sqlite3_database_file_object(name);
    if (main != nullptr && main->pMethods == &kMethods) {
      f->is_wal = true;
      f->db = as_file(main);
      f->db->wal = f;
    }
  }
  return rc;
}

int v_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return real_vfs->xDelete(real_vfs, name, sync_dir);
}
int v_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real_vfs->xAccess(real_vfs, name, flags, out);
}
int v_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return real_vfs->xFullPathname(real_vfs, name, n, out);
}
void* v_dl_open(sqlite3_vfs*, const char* name) {
  return real_vfs->xDlOpen(real_vfs, name);
}
void v_dl_error(sqlite3_vfs*, int n, char* out) {
  real_vfs->xDlError(real_vfs, n, out);
}
void (*v_dl_sym(sqlite3_vfs*, void* lib, const char* sym))(void) {
  return real_vfs->xDlSym(real_vfs, lib, sym);
}
void v_dl_close(sqlite3_vfs*, void* lib) {
  real_vfs->xDlClose(real_vfs, lib);
}
int v_randomness(sqlite3_vfs*, int n, char* out) {
  return real_vfs->xRandomness(real_vfs, n, out);
}
int v_sleep(sqlite3_vfs*, int micros) {
  return real_vfs->xSleep(real_vfs, micros);
}
int v_current_time(sqlite3_vfs*, double* out) {
  return real_vfs->xCurrentTime(real_vfs, out);
}
int v_get_last_error(sqlite3_vfs*, int n, char* out) {
  return real_vfs->xGetLastError(real_vfs, n, out);
}
int v_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return real_vfs->xCurrentTimeInt64(real_vfs, out);
}
int v_set_system_call(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr p) {
  return real_vfs->xSetSystemCall(real_vfs, name, p);
}
sqlite3_syscall_ptr v_get_system_call(sqlite3_vfs*, const char* name) {
  return real_vfs->xGetSystemCall(real_vfs, name);
}
const char* v_next_system_call(sqlite3_vfs*, const char* name) {
  return real_vfs->xNextSystemCall(real_vfs, name);
}

sqlite3_vfs vfs{};

}  // namespace

bool install_wal_buffer_vfs() {
  static std::once_flag once;
  static bool installed = false;
  std::call_once(once, [] {
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    // Only over a VFS with everything the wrapper forwards to.
    if (base == nullptr || base->iVersion < 3) return;
    real_vfs = base;
    vfs.iVersion = 3;
    vfs.szOsFile = static_cast<int>(sizeof(File)) + base->szOsFile;
    vfs.mxPathname = base->mxPathname;
    vfs.zName = kWalBufferVfs;
    vfs.xOpen = v_open;
    vfs.xDelete = v_delete;
    vfs.xAccess = v_access;
    vfs.xFullPathname = v_full_pathname;
    vfs.xDlOpen = v_dl_open;
    vfs.xDlError = v_dl_error;
    vfs.xDlSym = v_dl_sym;
    vfs.xDlClose = v_dl_close;
    vfs.xRandomness = v_randomness;
    vfs.xSleep = v_sleep;
    vfs.xCurrentTime = v_current_time;
    vfs.xGetLastError = v_get_last_error;
    vfs.xCurrentTimeInt64 = v_current_time_int64;
    vfs.xSetSystemCall = v_set_system_call;
    vfs.xGetSystemCall = v_get_system_call;
    vfs.xNextSystemCall = v_next_system_call;
    installed = sqlite3_vfs_register(&vfs, /*makeDflt=*/0) == SQLITE_OK;
  });
  return installed;
}

bool set_wal_buffering(sqlite3* db, bool on) {
  sqlite3_file* main = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &main) != SQLITE_OK ||
      main == nullptr || main->pMethods != &kMethods)
    return false;
  File* f = as_file(main);
  if (!on) write_out_or_remember(f->wal);
  f->buffer_wal = on;
  return true;
}

}  // namespace mend
