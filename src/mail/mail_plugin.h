/* The C interface between mend and its mail reader, libmend-mail.so: a small
 * plugin that links GMime (and with it GLib), loaded with dlopen by the one
 * command that reads mail, so that no other command pays for loading them.
 * Plain C types only: the plugin and mend need not share a C++ runtime. */
#ifndef MEND_MAIL_PLUGIN_H
#define MEND_MAIL_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the reader reports about a message, in this order: the headers, then
 * the body and files as they come in the MIME tree. A message/rfc822 part (a
 * forwarded message) comes between MEND_MAIL_FORWARD_BEGIN and _END, with its
 * own headers, body and files, and is also reported as a file. */
enum mend_mail_key {
  MEND_MAIL_MESSAGE_ID = 1, /* without angle brackets */
  MEND_MAIL_FROM,           /* the decoded header: Maria Gomez <maria@example.com> */
  MEND_MAIL_FROM_NAME,      /* the first sender's display name, decoded */
  MEND_MAIL_FROM_ADDRESS,   /* the first sender's address */
  MEND_MAIL_TO,             /* the decoded header */
  MEND_MAIL_SUBJECT,        /* decoded to UTF-8 */
  MEND_MAIL_DATE,           /* seconds since 1970 in decimal, when readable */
  MEND_MAIL_REFERENCE,      /* In-Reply-To, then References latest first */
  MEND_MAIL_HEADER,         /* "Name: value" for the headers that mark automatic mail */
  MEND_MAIL_CONTENT_TYPE,   /* the top-level type: multipart/report */
  MEND_MAIL_BODY_PLAIN,     /* text/plain words, UTF-8 */
  MEND_MAIL_BODY_HTML,      /* text/html, UTF-8, when there is no text/plain */
  MEND_MAIL_FILE_NAME,      /* an attached file's name (RFC 2231 decoded), ... */
  MEND_MAIL_FILE_BYTES,     /* ... then its decoded bytes */
  MEND_MAIL_FILE_TOO_BIG,   /* ... or, over the limit, its size in decimal */
  MEND_MAIL_FORWARD_BEGIN,
  MEND_MAIL_FORWARD_END
};

typedef void (*mend_mail_sink)(void* context, int key, const char* data, size_t size);

/* Reads one RFC 5322 message from data[0..size). Files larger than max_file
 * bytes are reported by name and size only. Returns 0, or -1 when the bytes
 * are not a mail message at all (no header block). */
typedef int (*mend_mail_read_fn)(const char* data, size_t size, long long max_file,
                                 mend_mail_sink sink, void* context);
#define MEND_MAIL_READ "mend_mail_read_v1"

/* Splits an mbox file (open on fd, read from its start) into its messages:
 * calls span(context, begin, end) with the byte range of each message after
 * its "From " line. Returns 0, or -1 when fd is not an mbox. */
typedef int (*mend_mail_mbox_fn)(int fd, void (*span)(void* context, long long begin,
                                                      long long end),
                                 void* context);
#define MEND_MAIL_MBOX "mend_mail_mbox_v1"

/* A reply to write: plain UTF-8 texts that mend has already checked (no CR,
 * LF or other control character in a header text; addresses that are one
 * plain mailbox each). Message-IDs are given without angle brackets;
 * references is a space-separated list of them, oldest first. date is the
 * whole Date header value. NULL or "" leaves a header out. */
struct mend_mail_outgoing {
  const char* from_name;
  const char* from_address;
  const char* to_name;
  const char* to_address;
  const char* subject;
  const char* date;
  const char* message_id;
  const char* in_reply_to;
  const char* references;
  const char* body; /* the text, lines ended by LF */
  int auto_submitted; /* 1: Auto-Submitted: auto-replied */
};

/* Writes the message (headers folded, non-ASCII names and subjects encoded
 * as RFC 2047 says, a text/plain; charset=utf-8 body in 7bit when every line
 * is short ASCII, else quoted-printable), with LF line ends. Returns the bytes
 * in memory from malloc (the caller frees them with free) and their count in
 * *size, or NULL when an address cannot be written as one mailbox. */
typedef char* (*mend_mail_build_fn)(const struct mend_mail_outgoing* message, size_t* size);
#define MEND_MAIL_BUILD "mend_mail_build_v1"

#ifdef __cplusplus
}
#endif

#endif
