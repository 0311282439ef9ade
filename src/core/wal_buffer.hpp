// A write buffer for the WAL of a long write transaction (import).
//
// SQLite writes each WAL frame with two system calls (the 24-byte header,
// then the page), so a million-case import makes about 430,000 small
// writes; each costs the kernel more than its copy. A thin VFS over the
// default one gathers the frames appended to a WAL and writes 124 KiB of them
// in one call. Internal to the core.
//
// It has its own name (kWalBufferVfs) and is never the default VFS: only a
// connection opened on it by name (import's, schema.cpp) goes through it.
// It also cuts every write into pieces the default VFS takes (that VFS
// fails a write of 128 KiB or more as if the disk were full), which makes a
// statement journal spill larger than that safe.
//
// Buffering is off unless a connection asks for it (set_wal_buffering), and the
// buffer is written out before every sync of the WAL, so nothing reaches
// the wal-index, and no commit counts as done, before its frames are in the
// file: with synchronous=FULL, SQLite syncs the WAL before it publishes a
// commit and checks that sync's result. Reads of buffered bytes, a
// truncation, a file-size query, locks and closing write the buffer out
// first; frames rewritten in place are written through.
#pragma once

#include <sqlite3.h>

namespace mend {

inline constexpr const char* kWalBufferVfs = "mend-wal-buffer";

// Registers the buffering VFS under kWalBufferVfs, not as the default one
// (once per process; later calls return the first one's result). False when
// the default VFS lacks what the wrapper forwards to: then it is not there.
bool install_wal_buffer_vfs();

// Turns buffering of the main database's WAL on or off for this connection
// (off writes any buffered bytes out first). Only for a connection with
// synchronous=FULL. False when the connection's file is not on the buffering
// VFS (nothing changes then).
bool set_wal_buffering(sqlite3* db, bool on);

}  // namespace mend
