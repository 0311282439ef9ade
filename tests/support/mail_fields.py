#!/usr/bin/env python3
"""Reads one message with Python's email package (not mend's reader) and
prints what the tests of mend reply check, as JSON: every header as written
and decoded, the recipients, the decoded body, and the longest line."""
import email
import email.policy
import email.utils
import json
import sys

raw = open(sys.argv[1], "rb").read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
compat = email.message_from_bytes(raw, policy=email.policy.compat32)
out = {
    "names": [k for k, _ in compat.items()],
    "raw": {k: v for k, v in compat.items()},
    "decoded": {k: str(v) for k, v in msg.items()},
    "recipients": [a for _, a in email.utils.getaddresses(
        msg.get_all("To", []) + msg.get_all("Cc", []) + msg.get_all("Bcc", []))],
    "body": msg.get_content() if not msg.is_multipart() else None,
    "content_type": msg.get_content_type(),
    "charset": msg.get_content_charset(),
    "defects": len(msg.defects),
    "max_line": max(len(line) for line in raw.split(b"\n")),
}
print(json.dumps(out))
