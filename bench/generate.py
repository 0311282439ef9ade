#!/usr/bin/env python3
"""Writes a realistic mend history as JSON Lines in the `mend export` shape.

    bench/generate.py N [--now RFC3339] [--seed S] > history.jsonl

N cases spread over the five years before --now (default the MEND_NOW of
the bench, 2026-11-23T14:05:00Z), in id order, opened_at increasing with
the id. Skewed like real complaints: about one customer per four cases, and
a tenth of the cases come from the top 1% of customers; a handful of root causes and
categories dominate; most cases are closed after a follow-up call, recent
ones are still open or waiting for their follow-up, and a few old ones were
forgotten (overdue open cases, follow-ups never made). Deterministic for a
given N and seed. Python 3 standard library only; about 10 s per million
cases.
"""
import argparse
import calendar
import math
import random
import sys
import time

DAY = 86400
HOUR = 3600


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of cases")
    ap.add_argument("--now", default="2026-11-23T14:05:00Z")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--years", type=float, default=5.0)
    args = ap.parse_args()

    n = args.n
    now = calendar.timegm(time.strptime(args.now, "%Y-%m-%dT%H:%M:%SZ"))
    span = int(args.years * 365 * DAY)
    start = now - span
    rng = random.Random(args.seed)
    rnd = rng.random
    choices = rng.choices

    hms = [time.strftime("T%H:%M:%SZ", time.gmtime(s)) for s in range(DAY)]
    day_cache = {}

    def ts(t):
        d = t // DAY
        p = day_cache.get(d)
        if p is None:
            p = day_cache[d] = '"' + time.strftime("%Y-%m-%d", time.gmtime(d * DAY))
        return p + hms[t % DAY] + '"'

    # Customers: a quarter as many as cases; ids 1..C.
    n_customers = max(1, n // 4)
    first = ["Ann", "Bob", "Carla", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kemal",
             "Lena", "Mo", "Nia", "Olu", "Pia", "Quinn", "Ravi", "Sara", "Tom", "Uma", "Vic",
             "Wen", "Xia", "Yusuf", "Zoe", "Ángel", "Søren", "Zoë", "Chloé"]
    last = ["Lee", "Smith", "Okafor", "Nguyen", "García", "Müller", "Rossi", "Kowalski", "Tanaka",
            "Silva", "Brown", "Khan", "Dubois", "Novak", "Haddad", "Olsen", "Park", "Ivanova",
            "O'Brien", "Fischer", "Moreau", "Jansen", "Costa", "Sato", "Ali", "Yilmaz"]
    heavy = max(1, min(n_customers, max(50, n_customers // 100)))
    customer_json = [None] * (n_customers + 1)

    def customer(cid):
        j = customer_json[cid]
        if j is None:
            r = random.Random(cid * 7919 + args.seed)
            fn, ln = r.choice(first), r.choice(last)
            name = f"{fn} {ln}"
            email = (f'"{fn.lower()}.{ln.lower().replace(chr(39), "")}{cid}@example.com"'
                     if r.random() < 0.7 else "null")
            phone = f'"+1 555 {cid % 10000:04d} {cid // 10000 % 1000:03d}"' if r.random() < 0.5 else "null"
            name = name.replace('"', '\\"')
            j = customer_json[cid] = f'{{"id":{cid},"name":"{name}","email":{email},"phone":{phone}}}'
        return j

    # Skewed pools: the first entries dominate.
    categories = ["delivery", "product", "billing", "service", "communication", "other",
                  "installation", "warranty", "website", "returns"]
    cat_w = [30, 25, 15, 10, 6, 5, 3, 3, 2, 1]
    channels = ["email", "phone", "chat", "in-person", "review", "social", "other"]
    chan_w = [35, 25, 15, 10, 7, 5, 3]
    priorities = ["normal", "high", "low", "urgent"]
    pri_w = [70, 15, 10, 5]
    outcomes = ["refund", "replacement", "apology", "explanation", "discount", "repair", "credit",
                "expedite", "no-action", "other"]
    out_w = [25, 18, 15, 12, 8, 7, 6, 4, 3, 2]
    faults = ["ours", "third-party", "unknown", "customer", "none"]
    fault_w = [40, 25, 20, 10, 5]
    causes = ["late courier", "damaged in transit", "faulty batch", "billing error",
              "unclear instructions", "out of stock", "rude staff", "website bug",
              "wrong item shipped", "missing parts"] + [f"rare cause {i}" for i in range(40)]
    cause_w = [300, 200, 120, 80, 50, 35, 25, 20, 15, 10] + [2] * 40
    summaries = ["parcel arrived late", "kettle stopped working", "charged twice",
                 "nobody called back", "wrong size delivered", "item damaged in the box",
                 "refund not received", "rude on the phone", "website checkout failed",
                 "missing screws", "colour not as pictured", "installer never came",
                 "warranty claim refused", "invoice has the wrong address",
                 "subscription renewed without notice", "order cancelled by mistake"]
    complaints = ["I have waited two weeks and nobody told me anything.",
                  "The box was crushed and the glass inside is broken.\nPhotos attached.",
                  "My card was charged twice for order 5521, please fix it.",
                  "It worked for three days, then it just stopped. I want my money back.",
                  "Your driver left it in the rain.",
                  "I called three times and was promised a call back each time."]
    wants = ["a refund", "a replacement", "an apology", "a call back", "a discount on the next order"]
    tags = ["vip", "warranty", "repeat", "social-media", "b2b", "gift", "urgent-fix"]
    notes = ["called, left a message", "customer sent photos", "asked the courier for tracking",
             "checked the batch number", "offered a replacement", "apologised on the phone",
             "emailed the invoice copy", "escalated to the supplier"]
    note_kinds = ["note", "call", "email", "note", "apology", "offer", "reply", "meeting"]
    csat_w = [5, 7, 15, 35, 38]

    def q(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    summaries_q = [q(s) for s in summaries]
    complaints_q = [q(s) for s in complaints]
    wants_q = [q(s) for s in wants]
    notes_q = [q(s) for s in notes]
    causes_q = [q(s) for s in causes]

    # Bulk draws (much faster than one call per field).
    cat_draw = choices(categories, cat_w, k=n)
    chan_draw = choices(channels, chan_w, k=n)
    pri_draw = choices(priorities, pri_w, k=n)
    out_draw = choices(outcomes, out_w, k=n)
    fault_draw = choices(faults, fault_w, k=n)
    cause_draw = choices(causes_q, cause_w, k=n)
    csat_draw = choices(range(1, 6), csat_w, k=n)

    out = sys.stdout
    buf = []
    step = span / n
    for i in range(n):
        cid_case = i + 1
        opened = int(start + i * step + rnd() * step)
        # A few customers complain very often: a power law over customer ids.
        if rnd() < 0.1:
            cust = 1 + int(heavy * rnd() ** 2)
        else:
            cust = 1 + int(n_customers * rnd())
        summary = summaries_q[int(rnd() * len(summaries_q))]
        due = opened + 2 * DAY if rnd() < 0.9 else opened + 7 * DAY
        age = now - opened
        r = rnd()
        # What became of it: recent cases are still in progress; a few old
        # ones were forgotten.
        if age < 3 * DAY:
            state = "open" if r < 0.6 else ("resolved" if r < 0.9 else "never")
        elif age < 14 * DAY:
            state = "open" if r < 0.05 else ("resolved" if r < 0.3 else ("done" if r < 0.8 else "never"))
        else:
            state = "open" if r < 0.0003 else ("resolved" if r < 0.0008 else ("done" if r < 0.8 else "never"))
        events = [f'{{"at":{ts(opened)},"kind":"opened","text":{summary}}}']
        t = opened
        for _ in range(int(rnd() * rnd() * 4)):
            t += int(rnd() * 20 * HOUR) + 60
            if t >= now:
                break
            k = int(rnd() * 8)
            events.append(f'{{"at":{ts(t)},"kind":"{note_kinds[k]}","text":{notes_q[k]}}}')
        resolved_at = followup_at = closed_at = "null"
        resolution = "null"
        satisfaction = "null"
        status = "open"
        if state != "open":
            rt = max(t, opened + int(-HOUR * 30 * math.log(1 - rnd() * 0.999)) + 300)
            if rt >= now:
                rt = now - 60
            outcome = out_draw[i]
            amount = str(int(rnd() * 20000) + 500) if outcome in ("refund", "discount", "credit") else "null"
            currency = "EUR" if rnd() < 0.1 else "USD"
            cause = cause_draw[i] if rnd() < 0.9 else "null"
            resolution = (f'{{"outcome":"{outcome}","text":"{outcome} agreed",'
                          f'"amount_cents":{amount},"currency":"{currency}",'
                          f'"fault":"{fault_draw[i]}","cause":{cause}}}')
            resolved_at = ts(rt)
            events.append(f'{{"at":{resolved_at},"kind":"resolved","text":"{outcome}"}}')
            if state == "never":
                status = "closed"
                closed_at = resolved_at
            else:
                ft = rt + 3 * DAY
                followup_at = ts(ft)
                events.append(f'{{"at":{resolved_at},"kind":"followup-scheduled",'
                              f'"text":"follow-up due"}}')
                if state == "resolved" or ft >= now:
                    status = "resolved"
                else:
                    status = "closed"
                    ct = ft + int(rnd() * 6 * HOUR)
                    if ct >= now:
                        ct = now - 1
                    closed_at = ts(ct)
                    if rnd() < 0.85:
                        satisfaction = str(csat_draw[i])
                    events.append(f'{{"at":{closed_at},"kind":"followup-done",'
                                  f'"text":"customer is happy again"}}')
        r2 = rnd()
        complaint = complaints_q[int(r2 * 10) % len(complaints_q)] if r2 < 0.6 else "null"
        want = wants_q[int(r2 * 100) % len(wants_q)] if r2 < 0.3 else "null"
        ref = f'"INV-{100000 + i}"' if rnd() < 0.4 else "null"
        r3 = rnd()
        tag_list = ""
        if r3 < 0.3:
            tag_list = '"' + tags[int(r3 * 70) % len(tags)] + '"'
            if r3 < 0.05:
                tag_list = '"repeat",' + tag_list if tag_list != '"repeat"' else tag_list
        buf.append(
            f'{{"id":{cid_case},"status":"{status}","customer":{customer(cust)},'
            f'"summary":{summary},"complaint":{complaint},"wants":{want},'
            f'"channel":"{chan_draw[i]}","category":"{cat_draw[i]}","priority":"{pri_draw[i]}",'
            f'"reference":{ref},"tags":[{tag_list}],"opened_at":{ts(opened)},'
            f'"due_at":{ts(due)},"resolved_at":{resolved_at},"followup_at":{followup_at},'
            f'"closed_at":{closed_at},"resolution":{resolution},"satisfaction":{satisfaction},'
            f'"events":[{",".join(events)}]}}\n')
        if len(buf) >= 10000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


if __name__ == "__main__":
    main()
