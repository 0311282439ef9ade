// libmend-mail.so: reads mail with GMime 3 and reports what it finds through
// the C interface of mail_plugin.h. It decides nothing: which mail is
// automatic, which case it joins and what the customer's words are is mend's
// core (src/core/mail.*), which never sees GMime.
#include <gmime/gmime.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "mail/mail_plugin.h"

namespace {

struct Out {
  mend_mail_sink sink;
  void* context;
  long long max_file;
  bool have_body = false;
  int unnamed = 0;

  void put(int key, const char* data) const {
    if (data != nullptr) sink(context, key, data, std::strlen(data));
  }
  void put(int key, const std::string& data) const { sink(context, key, data.data(), data.size()); }
};

void ensure_init() {
  static const bool done = [] {
    g_mime_init();
    return true;
  }();
  (void)done;
}

void put_addresses(const Out& out, InternetAddressList* list, int whole_key, bool first_too) {
  if (list == nullptr || internet_address_list_length(list) == 0) return;
  char* text = internet_address_list_to_string(list, nullptr, FALSE);
  out.put(whole_key, text);
  g_free(text);
  if (!first_too) return;
  InternetAddress* first = internet_address_list_get_address(list, 0);
  if (INTERNET_ADDRESS_IS_GROUP(first)) {
    InternetAddressList* members =
        internet_address_group_get_members(INTERNET_ADDRESS_GROUP(first));
    if (members == nullptr || internet_address_list_length(members) == 0) return;
    first = internet_address_list_get_address(members, 0);
  }
  out.put(MEND_MAIL_FROM_NAME, internet_address_get_name(first));
  if (INTERNET_ADDRESS_IS_MAILBOX(first))
    out.put(MEND_MAIL_FROM_ADDRESS,
            internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(first)));
}

void put_references(const Out& out, GMimeObject* message, const char* header, bool latest_first) {
  const char* value = g_mime_object_get_header(message, header);
  if (value == nullptr) return;
  GMimeReferences* refs = g_mime_references_parse(nullptr, value);
  if (refs == nullptr) return;
  const int n = g_mime_references_length(refs);
  for (int i = 0; i < n; ++i)
    out.put(MEND_MAIL_REFERENCE,
            g_mime_references_get_message_id(refs, latest_first ? n - 1 - i : i));
  g_mime_references_free(refs);
}

void walk(Out& out, GMimeObject* object);

void put_message(Out& out, GMimeMessage* message) {
  GMimeObject* obj = GMIME_OBJECT(message);
  out.put(MEND_MAIL_MESSAGE_ID, g_mime_message_get_message_id(message));
  put_addresses(out, g_mime_message_get_from(message), MEND_MAIL_FROM, true);
  put_addresses(out, g_mime_message_get_to(message), MEND_MAIL_TO, false);
  out.put(MEND_MAIL_SUBJECT, g_mime_message_get_subject(message));
  if (GDateTime* date = g_mime_message_get_date(message)) {
    out.put(MEND_MAIL_DATE, std::to_string(static_cast<long long>(g_date_time_to_unix(date))));
  }
  put_references(out, obj, "In-Reply-To", false);
  put_references(out, obj, "References", true);
  for (const char* h : {"Auto-Submitted", "Precedence", "List-Id", "X-Autoreply", "X-Autorespond",
                        "X-Auto-Response-Suppress"}) {
    if (const char* v = g_mime_object_get_header(obj, h))
      out.put(MEND_MAIL_HEADER, std::string(h) + ": " + v);
  }
  GMimeObject* body = g_mime_message_get_mime_part(message);
  if (body != nullptr) {
    if (GMimeContentType* ct = g_mime_object_get_content_type(body)) {
      char* type = g_mime_content_type_get_mime_type(ct);
      out.put(MEND_MAIL_CONTENT_TYPE, type);
      g_free(type);
    }
    walk(out, body);
  }
}

// The decoded bytes of a part, or only their count when over the limit.
void put_file(Out& out, GMimePart* part, const std::string& fallback_name) {
  const char* given = g_mime_part_get_filename(part);
  std::string name = given != nullptr && *given != '\0' ? given : fallback_name;
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  out.put(MEND_MAIL_FILE_NAME, name);
  if (content == nullptr) {
    out.put(MEND_MAIL_FILE_BYTES, std::string());
    return;
  }
  // Counted first without keeping the bytes, so that a file over the limit
  // never sits whole in memory.
  GMimeStream* counter = g_mime_stream_null_new();
  g_mime_data_wrapper_write_to_stream(content, counter);
  const auto size = static_cast<long long>(GMIME_STREAM_NULL(counter)->written);
  g_object_unref(counter);
  if (size > out.max_file) {
    out.put(MEND_MAIL_FILE_TOO_BIG, std::to_string(size));
    return;
  }
  GMimeStream* mem = g_mime_stream_mem_new();
  g_mime_data_wrapper_write_to_stream(content, mem);
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  out.sink(out.context, MEND_MAIL_FILE_BYTES, reinterpret_cast<const char*>(bytes->data),
           bytes->len);
  g_object_unref(mem);
}

std::string numbered(Out& out, const char* stem, const char* ext) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%d%s", stem, ++out.unnamed, ext);
  return buf;
}

void walk(Out& out, GMimeObject* object) {
  if (GMIME_IS_MESSAGE_PART(object)) {
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (inner == nullptr) return;
    // Kept as a file too: the forwarded message whole.
    char* raw = g_mime_object_to_string(GMIME_OBJECT(inner), nullptr);
    const char* subject = g_mime_message_get_subject(inner);
    std::string name = subject != nullptr && *subject != '\0' ? std::string(subject) + ".eml"
                                                              : numbered(out, "message", ".eml");
    out.put(MEND_MAIL_FILE_NAME, name);
    const std::size_t size = raw != nullptr ? std::strlen(raw) : 0;
    if (static_cast<long long>(size) > out.max_file) {
      out.put(MEND_MAIL_FILE_TOO_BIG, std::to_string(size));
    } else {
      out.sink(out.context, MEND_MAIL_FILE_BYTES, raw != nullptr ? raw : "", size);
    }
    g_free(raw);
    Out inner_out{out.sink, out.context, out.max_file};
    out.put(MEND_MAIL_FORWARD_BEGIN, "");
    put_message(inner_out, inner);
    out.put(MEND_MAIL_FORWARD_END, "");
    return;
  }
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multi = GMIME_MULTIPART(object);
    const int n = g_mime_multipart_get_count(multi);
    GMimeContentType* ct = g_mime_object_get_content_type(object);
    if (ct != nullptr && g_mime_content_type_is_type(ct, "multipart", "alternative")) {
      // One of the alternatives: text/plain first, else HTML, else the last.
      GMimeObject* pick = nullptr;
      for (const char* sub : {"plain", "html"}) {
        for (int i = 0; i < n && pick == nullptr; ++i) {
          GMimeObject* child = g_mime_multipart_get_part(multi, i);
          GMimeContentType* cct = g_mime_object_get_content_type(child);
          if (cct != nullptr && g_mime_content_type_is_type(cct, "text", sub)) pick = child;
        }
        if (pick != nullptr) break;
      }
      if (pick == nullptr && n > 0) pick = g_mime_multipart_get_part(multi, n - 1);
      if (pick != nullptr) walk(out, pick);
      return;
    }
    for (int i = 0; i < n; ++i)
      walk(out, g_mime_multipart_get_part(multi, i));
    return;
  }
  if (!GMIME_IS_PART(object)) return;
  GMimePart* part = GMIME_PART(object);
  GMimeContentType* ct = g_mime_object_get_content_type(object);
  const bool plain = ct != nullptr && g_mime_content_type_is_type(ct, "text", "plain");
  const bool html = ct != nullptr && g_mime_content_type_is_type(ct, "text", "html");
  const bool attachment =
      g_mime_part_is_attachment(part) || g_mime_part_get_filename(part) != nullptr;
  if ((plain || html) && !attachment && GMIME_IS_TEXT_PART(object)) {
    char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(object));
    if (text != nullptr) {
      if (!out.have_body) {
        out.put(plain ? MEND_MAIL_BODY_PLAIN : MEND_MAIL_BODY_HTML, text);
        out.have_body = true;
      } else if (plain) {
        out.put(MEND_MAIL_BODY_PLAIN, text);  // more words further down: appended
      }
      g_free(text);
    }
    return;
  }
  std::string stem = "attachment";
  const char* ext = "";
  if (ct != nullptr) {
    if (g_mime_content_type_is_type(ct, "image", "*")) stem = "image";
    if (html) ext = ".html";
    if (plain) ext = ".txt";
  }
  put_file(out, part, numbered(out, stem.c_str(), ext));
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int mend_mail_read_v1(
    const char* data, size_t size, long long max_file, mend_mail_sink sink, void* context) {
  ensure_init();
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(data, size);
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  g_object_unref(stream);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
  GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
  g_object_unref(parser);
  if (message == nullptr) return -1;
  // Mail has a header block: a message without a single header is not mail.
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
  if (headers == nullptr || g_mime_header_list_get_count(headers) == 0) {
    g_object_unref(message);
    return -1;
  }
  Out out{sink, context, max_file};
  put_message(out, message);
  g_object_unref(message);
  return 0;
}

extern "C" __attribute__((visibility("default"))) int mend_mail_mbox_v1(
    int fd, void (*span)(void* context, long long begin, long long end), void* context) {
  ensure_init();
  GMimeStream* stream = g_mime_stream_fs_new(fd);
  g_mime_stream_fs_set_owner(GMIME_STREAM_FS(stream), FALSE);
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  g_object_unref(stream);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
  int found = 0;
  while (!g_mime_parser_eos(parser)) {
    GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
    if (message == nullptr) break;
    const gint64 marker = g_mime_parser_get_mbox_marker_offset(parser);
    char* line = g_mime_parser_get_mbox_marker(parser);  // a copy, ours to free
    const gint64 begin = marker + static_cast<gint64>(line != nullptr ? std::strlen(line) : 0) + 1;
    g_free(line);
    const gint64 end = g_mime_parser_tell(parser);
    g_object_unref(message);
    span(context, begin, end);
    ++found;
  }
  g_object_unref(parser);
  return found > 0 ? 0 : -1;
}

namespace {

bool given(const char* s) {
  return s != nullptr && *s != '\0';
}

// 7bit when every line is ASCII and short enough, else quoted-printable, so
// that no line of the message passes 78 bytes.
GMimeContentEncoding body_encoding(const char* body) {
  std::size_t line = 0;
  for (const char* p = body; *p != '\0'; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '\n') {
      line = 0;
      continue;
    }
    if (c >= 0x80 || c == '\r' || ++line > 76) return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
  }
  return GMIME_CONTENT_ENCODING_7BIT;
}

// A mailbox GMime would write as exactly one address: the address it parses
// back must be the one given.
bool one_mailbox(const char* address) {
  InternetAddressList* list = internet_address_list_parse(nullptr, address);
  bool ok = list != nullptr && internet_address_list_length(list) == 1;
  if (ok) {
    InternetAddress* a = internet_address_list_get_address(list, 0);
    ok = INTERNET_ADDRESS_IS_MAILBOX(a) &&
         std::strcmp(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)), address) == 0;
  }
  if (list != nullptr) g_object_unref(list);
  return ok;
}

std::string bracketed_list(const char* ids) {
  std::string out;
  std::string id;
  for (const char* p = ids;; ++p) {
    if (*p == ' ' || *p == '\0') {
      if (!id.empty()) out += (out.empty() ? "<" : " <") + id + ">";
      id.clear();
      if (*p == '\0') break;
    } else {
      id += *p;
    }
  }
  return out;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) char* mend_mail_build_v1(
    const mend_mail_outgoing* m, size_t* size) {
  ensure_init();
  if (!given(m->from_address) || !given(m->to_address) || !one_mailbox(m->from_address) ||
      !one_mailbox(m->to_address))
    return nullptr;
  GMimeMessage* message = g_mime_message_new(TRUE);
  GMimeObject* obj = GMIME_OBJECT(message);
  g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_FROM,
                             given(m->from_name) ? m->from_name : nullptr, m->from_address);
  g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_TO,
                             given(m->to_name) ? m->to_name : nullptr, m->to_address);
  if (given(m->subject)) g_mime_message_set_subject(message, m->subject, "utf-8");
  if (given(m->date)) g_mime_object_set_header(obj, "Date", m->date, nullptr);
  if (given(m->message_id)) g_mime_message_set_message_id(message, m->message_id);
  if (given(m->in_reply_to))
    g_mime_object_set_header(obj, "In-Reply-To", bracketed_list(m->in_reply_to).c_str(), nullptr);
  if (given(m->references))
    g_mime_object_set_header(obj, "References", bracketed_list(m->references).c_str(), nullptr);
  if (m->auto_submitted != 0)
    g_mime_object_set_header(obj, "Auto-Submitted", "auto-replied", nullptr);

  const char* body = m->body != nullptr ? m->body : "";
  GMimeTextPart* part = g_mime_text_part_new_with_subtype("plain");
  // The bytes as they are (UTF-8): set_text would convert them to a charset
  // of GMime's choosing.
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(body, std::strlen(body));
  GMimeDataWrapper* content =
      g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_object_unref(stream);
  g_mime_part_set_content(GMIME_PART(part), content);
  g_object_unref(content);
  g_mime_text_part_set_charset(part, "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(part), body_encoding(body));
  g_mime_message_set_mime_part(message, GMIME_OBJECT(part));
  g_object_unref(part);

  char* text = g_mime_object_to_string(obj, nullptr);
  g_object_unref(message);
  if (text == nullptr) return nullptr;
  const std::size_t n = std::strlen(text);
  char* out = static_cast<char*>(std::malloc(n + 1));
  if (out != nullptr) {
    std::memcpy(out, text, n + 1);
    *size = n;
  }
  g_free(text);
  return out;
}
