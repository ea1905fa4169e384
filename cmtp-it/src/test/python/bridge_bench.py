"""BridgeBenchmark's client: Python's imaplib and smtplib against running bridges.

Usage: bridge_bench.py HOST BOB_IMAP BOB PASSWORD ALICE_SMTP ALICE ALICE_PASSWORD EXPECTED ROUNDS
Prints one line per figure.
"""
import imaplib
import os
import smtplib
import statistics
import sys
import time
from email.message import EmailMessage

host, bob_imap, bob, bob_pw, alice_smtp, alice, alice_pw, expected, rounds = sys.argv[1:10]
expected, rounds = int(expected), int(rounds)

fetch_times = []
for i in range(rounds):
    started = time.perf_counter()
    imap = imaplib.IMAP4(host, int(bob_imap))
    imap.login(bob, bob_pw)
    typ, data = imap.select("INBOX", readonly=True)
    count = int(data[0])
    typ, data = imap.fetch("1:*", "(UID FLAGS RFC822.SIZE BODY.PEEK[])")
    elapsed = time.perf_counter() - started
    bodies = [d for d in data if isinstance(d, tuple)]
    assert count == expected and len(bodies) == expected, (count, len(bodies))
    imap.logout()
    fetch_times.append(elapsed)
    if i == 0:
        print("first FETCH ended at %.3f (connected at %.3f)" % (time.time(), time.time() - elapsed), flush=True)
    print("bridge IMAP: LOGIN, SELECT and FETCH 1:* (BODY.PEEK[]) of %d messages (%d bytes): %.3f s%s"
          % (count, sum(len(b[1]) for b in bodies), elapsed, " (first: decrypting)" if i == 0 else " (cached)"),
          flush=True)

attachment = os.urandom(1024 * 1024)
send_times = []
for i in range(rounds):
    msg = EmailMessage()
    msg["From"] = alice
    msg["To"] = bob
    msg["Subject"] = "1 MiB %d" % i
    msg.set_content("a 1 MiB attachment")
    msg.add_attachment(attachment, maintype="application", subtype="octet-stream", filename="one-mib.bin")
    started = time.perf_counter()
    with smtplib.SMTP(host, int(alice_smtp), timeout=120) as smtp:
        smtp.login(alice, alice_pw)
        refused = smtp.send_message(msg)
    elapsed = time.perf_counter() - started
    assert refused == {}, refused
    send_times.append(elapsed)
    print("bridge SMTP: 1 MiB attachment, connect to 250 (sealed, submitted, receipt verified): %.3f s" % elapsed,
          flush=True)
print("bridge IMAP fetch of %d: first %.3f s, median of the rest %.3f s; SMTP 1 MiB: median %.3f s, max %.3f s"
      % (expected, fetch_times[0], statistics.median(fetch_times[1:] or fetch_times), statistics.median(send_times),
         max(send_times)), flush=True)
