"""BridgeIT's mail program: Python's smtplib, imaplib and email against two cmtp bridges.

Usage: bridge_mail.py HOST ALICE_SMTP ALICE_PASSWORD BOB_IMAP BOB_PASSWORD ALICE BOB [ALSO [BOB_HOST]]
ALSO: one more recipient of the first message; BOB_HOST: where bob's bridge listens (default HOST).
Prints one line per check; exits non-zero (with a traceback) at the first failure.
"""
import email
import email.policy
import imaplib
import os
import smtplib
import socket
import sys
import time
from email.message import EmailMessage

host, alice_smtp, alice_pw, bob_imap, bob_pw, alice, bob = sys.argv[1:8]
remote = sys.argv[8] if len(sys.argv) > 8 else None
bob_host = sys.argv[9] if len(sys.argv) > 9 else host
attachment = os.urandom(70000) + "ünïcode".encode()


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("ok:", what, flush=True)


def send(subject, text, to, files=()):
    msg = EmailMessage()
    msg["From"] = alice
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg.set_content(text)
    for name, data in files:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    with smtplib.SMTP(host, int(alice_smtp), timeout=120) as smtp:
        smtp.ehlo()
        smtp.login(alice, alice_pw)
        return smtp.send_message(msg)


# a wrong password is refused
with smtplib.SMTP(host, int(alice_smtp), timeout=60) as smtp:
    smtp.ehlo()
    try:
        smtp.login(alice, "wrong-password")
        raise AssertionError("a wrong bridge password was accepted")
    except smtplib.SMTPAuthenticationError as e:
        check(e.smtp_code == 535, "SMTP AUTH with a wrong password: %d" % e.smtp_code)

# a recipient without a key: 550 at RCPT, nothing sent
with smtplib.SMTP(host, int(alice_smtp), timeout=60) as smtp:
    smtp.ehlo()
    smtp.login(alice, alice_pw)
    smtp.mail(alice)
    code, text = smtp.rcpt("nobody-here@" + alice.split("@")[1])
    check(code == 550 and b"no CMTP key" in text, "RCPT of an address without a key: %d %s" % (code, text.decode()))
    code, text = smtp.docmd("MAIL", "FROM:<someone-else@" + alice.split("@")[1] + ">")
    check(code in (503, 553), "a second MAIL or another sender refused: %d" % code)

# sending with an attachment to bob (and the remote recipient when federated)
recipients = [bob] + ([remote] if remote else [])
refused = send("Bridge hello ✓", "Hello Bob,\nthis went through two bridges.\n", recipients,
               [("report ü.bin", attachment)])
check(refused == {}, "sent to %s through SMTP AUTH, every receipt verified" % recipients)

imap = imaplib.IMAP4(bob_host, int(bob_imap))
try:
    imap.login(bob, "wrong")
    raise AssertionError("IMAP accepted a wrong password")
except imaplib.IMAP4.error as e:
    check("AUTHENTICATIONFAILED" in str(e), "IMAP LOGIN with a wrong password refused: %s" % e)
imap.login(bob, bob_pw)
typ, caps = imap.capability()
check(b"IDLE" in caps[0], "CAPABILITY lists IDLE")
typ, folders = imap.list()
check(any(b"INBOX" in f for f in folders) and any(b"\\Sent" in f for f in folders), "LIST: INBOX and Sent %s" % folders)
deadline = time.time() + 120
count = 0
while time.time() < deadline:
    typ, data = imap.select("INBOX")
    count = int(data[0])
    if count >= 1:
        break
    time.sleep(1)
check(count == 1, "bob's INBOX has the message")
typ, data = imap.uid("SEARCH", None, "UNSEEN")
uids = data[0].split()
check(len(uids) == 1, "UID SEARCH UNSEEN finds it: %s" % uids)
uid = uids[0]
typ, data = imap.uid("SEARCH", None, "FROM", alice.split("@")[0], "SUBJECT", "hello")
check(data[0].split() == [uid], "UID SEARCH FROM … SUBJECT …")
typ, data = imap.uid("FETCH", uid, "(FLAGS UID INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)")
meta = data[0] if isinstance(data[0], bytes) else data[0][0]
print("FETCH meta:", data, flush=True)
check(b"ENVELOPE" in meta and b"BODYSTRUCTURE" in meta, "FETCH ENVELOPE and BODYSTRUCTURE")
typ, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
raw = data[0][1]
message = email.message_from_bytes(raw, policy=email.policy.default)
check(str(message["Subject"]) == "Bridge hello ✓", "subject read by email: %s" % message["Subject"])
check(message["From"].addresses[0].addr_spec == alice, "From is alice")
check(message["Message-ID"] is not None, "Message-ID %s" % message["Message-ID"])
body = message.get_body(preferencelist=("plain",)).get_content()
check("this went through two bridges." in body, "text read by email")
files = [(p.get_filename(), p.get_content()) for p in message.iter_attachments()]
check(files == [("report ü.bin", attachment)], "attachment name and bytes equal (%d bytes)" % len(attachment))
typ, data = imap.uid("FETCH", uid, "(BODY.PEEK[1] BODY.PEEK[2.MIME] BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[]<0.10>)")
check(b"this went through" in data[0][1], "BODY.PEEK[1] is the text part")
check(raw[:10] in b"".join(x[1] for x in data if isinstance(x, tuple)), "a partial BODY.PEEK[]<0.10>")
typ, data = imap.uid("FETCH", uid, "(FLAGS)")
check(b"\\Seen" not in data[0], "PEEK left it unseen")
typ, data = imap.uid("FETCH", uid, "(BODY[TEXT])")
typ, data = imap.uid("FETCH", uid, "(FLAGS)")
check(b"\\Seen" in data[0], "BODY[] marked it seen")
typ, data = imap.uid("SEARCH", None, "SEEN")
check(data[0].split() == [uid], "UID SEARCH SEEN")
typ, data = imap.uid("STORE", uid, "-FLAGS", "(\\Seen)")
typ, data = imap.uid("SEARCH", None, "UNSEEN")
check(data[0].split() == [uid], "STORE -FLAGS \\Seen: unseen again (on the server)")
typ, data = imap.status("INBOX", "(MESSAGES UNSEEN UIDNEXT UIDVALIDITY)")
check(b"MESSAGES 1" in data[0] and b"UNSEEN 1" in data[0], "STATUS %s" % data[0])
typ, data = imap.uid("SEARCH", None, "SINCE", "1-Jan-2020")
check(data[0].split() == [uid], "UID SEARCH SINCE")
try:
    imap._simple_command("FETCH", "x", "(FLAGS)")
    raise AssertionError("a malformed FETCH was accepted")
except imaplib.IMAP4.error as e:
    check("BAD" in str(e) or "message set" in str(e), "a malformed FETCH gets BAD and the session goes on: %s" % e)
typ, data = imap.noop()
check(typ == "OK", "NOOP after the BAD")

# IDLE wakes on new mail (imaplib has no IDLE in 3.11: the raw protocol on its socket)
sock = imap.socket()
imap.send(b"i1 IDLE\r\n")
line = imap.readline()
check(line.startswith(b"+"), "IDLE continuation %s" % line)
started = time.time()
send("Second one", "Wake up, IDLE.", [bob])
sock.settimeout(120)
woke = b""
while b"EXISTS" not in woke:
    woke = imap.readline()
check(b"2 EXISTS" in woke, "IDLE announced new mail after %.1f s: %s" % (time.time() - started, woke.strip()))
imap.send(b"DONE\r\n")
line = imap.readline()
check(line.startswith(b"i1 OK"), "IDLE ended with DONE")

# delete
typ, data = imap.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
check(b"\\Deleted" in data[0], "STORE +FLAGS \\Deleted")
typ, data = imap.expunge()
check(data[0] == b"1", "EXPUNGE removed message 1: %s" % data)
typ, data = imap.select("INBOX")
check(int(data[0]) == 1, "one message left after EXPUNGE")
imap.close()
imap.logout()
print("python: all checks passed", flush=True)
