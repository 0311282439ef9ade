#!/usr/bin/env python3
"""Writes a maildir of N generated messages for timing `mend mail`.

Usage: bench/mail_generate.py N DIR

A tenth of the messages answer the one before (In-Reply-To), a tenth are
auto-replies, a tenth carry a small photo and a 6 KiB attachment; the rest are
plain complaints with a signature. Deterministic (seeded).
"""
import os
import random
import sys

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def main():
    count, folder = int(sys.argv[1]), sys.argv[2]
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(folder, sub), exist_ok=True)
    random.seed(1)
    names = ["Maria Gomez", "Bob Stone", "Ada Lee", "Cy Twombly", "Dee Dee", "Eve Adams"]
    for i in range(count):
        name = random.choice(names)
        addr = name.split()[0].lower() + str(i % 700) + "@example.com"
        kind = i % 10
        subject = f"Order {i} problem"
        head = (f"From: {name} <{addr}>\nTo: shop@example.com\n"
                f"Date: Mon, 23 Nov 2026 10:{i % 60:02d}:00 +0000\nMessage-ID: <m{i}@example.com>\n")
        if kind == 0 and i > 0:
            subject = f"Re: Order {i - 1} problem"
            head += f"In-Reply-To: <m{i - 1}@example.com>\n"
        head += f"Subject: {subject}\n"
        if kind == 1:
            head += "Auto-Submitted: auto-replied\n"
        body = "Hello,\n\nmy parcel arrived damaged and I would like a refund.\n" * 3
        body += "\n-- \nSent from my phone\n"
        if kind == 2:
            head += 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n'
            body = ("--B\nContent-Type: text/plain\n\nPhoto attached.\n--B\n"
                    "Content-Type: image/png\nContent-Disposition: attachment; filename=\"p.png\"\n"
                    f"Content-Transfer-Encoding: base64\n\n{PNG}\n{'QUJD' * 2000}\n--B--\n")
        with open(os.path.join(folder, "new", f"{1700000000 + i}.{i}.host"), "w") as f:
            f.write(head + "\n" + body)


if __name__ == "__main__":
    main()
