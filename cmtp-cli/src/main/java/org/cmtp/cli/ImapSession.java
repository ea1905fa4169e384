package org.cmtp.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One IMAP4rev1 connection to the bridge (RFC 3501, the commands mail programs use; ADR
 * 0027): CAPABILITY, LOGIN, AUTHENTICATE PLAIN, LIST/LSUB, SELECT/EXAMINE/STATUS, FETCH and
 * UID FETCH, STORE/UID STORE of {@code \Seen} and {@code \Deleted}, EXPUNGE, SEARCH/UID
 * SEARCH, IDLE, APPEND to Sent, NOOP, CHECK, CLOSE, UNSELECT, LOGOUT. A command that cannot
 * be parsed is answered BAD and the session goes on.
 */
final class ImapSession implements Runnable {

    static final String CAPABILITIES = "IMAP4rev1 AUTH=PLAIN IDLE LITERAL+ SPECIAL-USE UNSELECT";
    private static final DateTimeFormatter INTERNALDATE = DateTimeFormatter
            .ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Pattern SECTION = Pattern.compile(
            "(?i)(BODY(?:\\.PEEK)?)\\[([^\\]]*)\\](?:<(\\d+)(?:\\.(\\d+))?>)?");

    private final Socket socket;
    private final BridgeMailbox mailbox;
    private final BridgeGate gate;
    private final PrintStream log;
    private final ImapWriter out;
    private final ImapInput in;
    private boolean authenticated;
    private BridgeMailbox.Folder selected;
    private boolean readOnly;
    /** Sequence number − 1 → UID, as this session was told. */
    private final List<Long> uids = new ArrayList<>();
    private int badCommands;

    ImapSession(Socket socket, BridgeMailbox mailbox, BridgeGate gate, long maxLiteral, PrintStream log)
            throws IOException {
        this.socket = socket;
        this.mailbox = mailbox;
        this.gate = gate;
        this.log = log;
        this.out = new ImapWriter(new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
        this.in = new ImapInput(new java.io.BufferedInputStream(socket.getInputStream()), maxLiteral);
    }

    @Override
    public void run() {
        try (socket) {
            socket.setSoTimeout(30 * 60 * 1000);
            out.line("* OK [CAPABILITY " + CAPABILITIES + "] cmtp bridge ready");
            while (true) {
                List<Object> words;
                try {
                    words = in.readCommand(() -> out.line("+ go ahead"));
                } catch (ImapInput.BadCommand e) {
                    bad(e.tag, e.getMessage());
                    continue;
                }
                if (words.isEmpty()) {
                    continue;
                }
                if (!(words.get(0) instanceof String tag) || words.size() < 2 || !(words.get(1) instanceof String)) {
                    bad("*", "a command is: tag command arguments");
                    continue;
                }
                String command = ((String) words.get(1)).toUpperCase(Locale.ROOT);
                List<Object> args = words.subList(2, words.size());
                try {
                    if (!handle(tag, command, args)) {
                        return;
                    }
                } catch (Bad e) {
                    bad(tag, e.getMessage());
                } catch (FailureException e) {
                    out.line(tag + " NO [UNAVAILABLE] " + oneLine(e.getMessage()));
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            // the client went away
        } catch (IOException | RuntimeException e) {
            log.println("cmtp bridge: IMAP session ended: " + e);
        }
    }

    private void bad(String tag, String message) throws IOException {
        out.line(tag + " BAD " + oneLine(message));
        if (++badCommands > 50) {
            out.line("* BYE too many bad commands");
            throw new EOFException();
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    }

    /** A command with wrong arguments. */
    private static final class Bad extends Exception {
        Bad(String message) {
            super(message);
        }
    }

    private boolean handle(String tag, String command, List<Object> args) throws IOException, Bad, FailureException {
        switch (command) {
            case "CAPABILITY" -> {
                out.line("* CAPABILITY " + CAPABILITIES);
                out.line(tag + " OK CAPABILITY done");
                return true;
            }
            case "NOOP", "CHECK" -> {
                if (selected != null) {
                    mailbox.sync(2000);
                    updates(true);
                }
                out.line(tag + " OK " + command + " done");
                return true;
            }
            case "LOGOUT" -> {
                out.line("* BYE cmtp bridge says goodbye");
                out.line(tag + " OK LOGOUT done");
                return false;
            }
            case "LOGIN" -> {
                if (args.size() != 2) {
                    throw new Bad("LOGIN user password");
                }
                login(tag, args.get(0).toString(), args.get(1).toString());
                return true;
            }
            case "AUTHENTICATE" -> {
                authenticate(tag, args);
                return true;
            }
            case "ID" -> {
                out.line("* ID (\"name\" \"cmtp bridge\")");
                out.line(tag + " OK ID done");
                return true;
            }
            default -> {
                // below: authenticated commands
            }
        }
        if (!authenticated) {
            out.line(tag + " NO sign in first (LOGIN or AUTHENTICATE PLAIN with the bridge password)");
            return true;
        }
        switch (command) {
            case "LIST", "LSUB", "XLIST" -> list(tag, command, args);
            case "SELECT", "EXAMINE" -> select(tag, command, args);
            case "STATUS" -> status(tag, args);
            case "CREATE", "DELETE", "RENAME" -> out.line(tag + " NO [CANNOT] the bridge has INBOX and Sent only");
            case "SUBSCRIBE", "UNSUBSCRIBE" -> out.line(tag + " OK " + command + " done");
            case "APPEND" -> append(tag, args);
            case "IDLE" -> idle(tag);
            default -> {
                if (selected == null) {
                    if (List.of("FETCH", "STORE", "SEARCH", "UID", "EXPUNGE", "CLOSE", "UNSELECT").contains(command)) {
                        out.line(tag + " NO select a folder first");
                    } else {
                        throw new Bad("unknown command " + command);
                    }
                    return true;
                }
                selectedCommand(tag, command, args);
            }
        }
        return true;
    }

    private void login(String tag, String user, String password) throws IOException {
        if (authenticated) {
            out.line(tag + " BAD already signed in");
            return;
        }
        switch (gate.check(user, password)) {
            case OK -> {
                authenticated = true;
                out.line(tag + " OK [CAPABILITY " + CAPABILITIES + "] signed in");
            }
            case WRONG -> out.line(tag + " NO [AUTHENTICATIONFAILED] wrong user name or bridge password"
                    + " (the password cmtp bridge printed; the user name is your address)");
            case LIMITED -> out.line(tag + " NO [UNAVAILABLE] too many wrong bridge passwords: try again in a minute");
        }
    }

    private void authenticate(String tag, List<Object> args) throws IOException, Bad {
        if (args.isEmpty() || !"PLAIN".equalsIgnoreCase(args.get(0).toString())) {
            out.line(tag + " NO [CANNOT] only AUTHENTICATE PLAIN");
            return;
        }
        String response;
        if (args.size() > 1) {
            response = args.get(1).toString();
        } else {
            out.line("+ ");
            byte[] line = in.readLine();
            response = line == null ? "*" : new String(line, StandardCharsets.US_ASCII).strip();
        }
        if (response.equals("*")) {
            out.line(tag + " BAD authentication cancelled");
            return;
        }
        String[] parts;
        try {
            parts = new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8).split("\0", -1);
        } catch (IllegalArgumentException e) {
            throw new Bad("the PLAIN response is not base64");
        }
        if (parts.length != 3) {
            throw new Bad("the PLAIN response is authzid NUL user NUL password");
        }
        login(tag, parts[1], parts[2]);
    }

    // ---- folders ------------------------------------------------------------------------

    private void list(String tag, String command, List<Object> args) throws IOException, Bad {
        if (args.size() < 2) {
            throw new Bad(command + " reference pattern");
        }
        String reference = args.get(0).toString();
        String pattern = reference + args.get(1).toString();
        if (args.get(1).toString().isEmpty()) {
            out.line("* " + command + " (\\Noselect) \"/\" \"\"");
        } else {
            String response = command.equals("XLIST") ? "XLIST" : command;
            Predicate<String> matches = Pattern.compile("(?i)" + Pattern.quote(pattern)
                    .replace("*", "\\E.*\\Q").replace("%", "\\E[^/]*\\Q")).asMatchPredicate();
            if (matches.test("INBOX")) {
                out.line("* " + response + " (\\HasNoChildren) \"/\" INBOX");
            }
            if (matches.test(BridgeMailbox.SENT)) {
                out.line("* " + response + " (\\HasNoChildren \\Sent) \"/\" " + BridgeMailbox.SENT);
            }
        }
        out.line(tag + " OK " + command + " done");
    }

    private BridgeMailbox.Folder folderArgument(List<Object> args, int index) throws Bad {
        if (args.size() <= index) {
            throw new Bad("name a folder");
        }
        return mailbox.folder(args.get(index).toString());
    }

    private void select(String tag, String command, List<Object> args) throws IOException, Bad, FailureException {
        BridgeMailbox.Folder folder = folderArgument(args, 0);
        selected = null;
        uids.clear();
        if (folder == null) {
            out.line(tag + " NO [NONEXISTENT] no such folder: INBOX and Sent only");
            return;
        }
        if (folder.name.equals(BridgeMailbox.INBOX)) {
            mailbox.sync(0);
        }
        selected = folder;
        readOnly = command.equals("EXAMINE");
        List<BridgeMailbox.Entry> entries = mailbox.entries(folder);
        int firstUnseen = 0;
        for (BridgeMailbox.Entry entry : entries) {
            uids.add(entry.uid);
            if (!entry.seen && firstUnseen == 0) {
                firstUnseen = uids.size();
            }
        }
        out.line("* FLAGS (\\Seen \\Deleted)");
        out.line("* " + entries.size() + " EXISTS");
        out.line("* 0 RECENT");
        if (firstUnseen > 0) {
            out.line("* OK [UNSEEN " + firstUnseen + "] first unseen");
        }
        out.line("* OK [UIDVALIDITY " + mailbox.uidValidity() + "] UIDs valid");
        out.line("* OK [UIDNEXT " + mailbox.uidNext(folder) + "] predicted next UID");
        out.line("* OK [PERMANENTFLAGS (" + (readOnly ? "" : "\\Seen \\Deleted") + ")] flags kept");
        out.line(tag + " OK [" + (readOnly ? "READ-ONLY" : "READ-WRITE") + "] " + command + " done");
    }

    private void status(String tag, List<Object> args) throws IOException, Bad, FailureException {
        BridgeMailbox.Folder folder = folderArgument(args, 0);
        if (folder == null) {
            out.line(tag + " NO [NONEXISTENT] no such folder: INBOX and Sent only");
            return;
        }
        if (args.size() < 2 || !(args.get(1) instanceof List<?> items)) {
            throw new Bad("STATUS folder (items)");
        }
        if (folder.name.equals(BridgeMailbox.INBOX)) {
            mailbox.sync(2000);
        }
        List<BridgeMailbox.Entry> entries = mailbox.entries(folder);
        StringBuilder answer = new StringBuilder();
        for (Object item : items) {
            String name = item.toString().toUpperCase(Locale.ROOT);
            long value = switch (name) {
                case "MESSAGES" -> entries.size();
                case "RECENT" -> 0;
                case "UIDNEXT" -> mailbox.uidNext(folder);
                case "UIDVALIDITY" -> mailbox.uidValidity();
                case "UNSEEN" -> entries.stream().filter(e -> !e.seen).count();
                default -> throw new Bad("unknown STATUS item " + name);
            };
            answer.append(answer.length() == 0 ? "" : " ").append(name).append(' ').append(value);
        }
        out.line("* STATUS " + (folder.name.equals("INBOX") ? "INBOX" : folder.name) + " (" + answer + ")");
        out.line(tag + " OK STATUS done");
    }

    private void append(String tag, List<Object> args) throws IOException, Bad {
        BridgeMailbox.Folder folder = folderArgument(args, 0);
        Object last = args.get(args.size() - 1);
        if (!(last instanceof ImapInput.Literal literal)) {
            throw new Bad("APPEND folder [(flags)] [date] {size}");
        }
        if (folder == null || !folder.name.equals(BridgeMailbox.SENT)) {
            out.line(tag + " NO [CANNOT] messages can only be added to Sent (INBOX is what the server received)");
            return;
        }
        boolean seen = args.size() > 2 && args.get(1) instanceof List<?> flags
                && flags.stream().anyMatch(f -> f.toString().equalsIgnoreCase("\\Seen"));
        MimeParts.Part parsed = MimeParts.parse(literal.bytes());
        mailbox.addSent(literal.bytes(), parsed.header("Message-ID"), seen);
        out.line(tag + " OK APPEND done");
    }

    // ---- the selected folder ------------------------------------------------------------

    private void selectedCommand(String tag, String command, List<Object> args)
            throws IOException, Bad, FailureException {
        boolean byUid = false;
        if (command.equals("UID")) {
            if (args.isEmpty()) {
                throw new Bad("UID FETCH|STORE|SEARCH|EXPUNGE ...");
            }
            byUid = true;
            command = args.get(0).toString().toUpperCase(Locale.ROOT);
            args = args.subList(1, args.size());
        }
        switch (command) {
            case "FETCH" -> fetch(tag, byUid, args);
            case "STORE" -> store(tag, byUid, args);
            case "SEARCH" -> search(tag, byUid, args);
            case "EXPUNGE" -> {
                if (readOnly) {
                    out.line(tag + " NO [READ-ONLY] folder examined, not selected");
                    return;
                }
                mailbox.expunge(selected);
                updates(true);
                out.line(tag + " OK EXPUNGE done");
            }
            case "CLOSE", "UNSELECT" -> {
                if (command.equals("CLOSE") && !readOnly) {
                    mailbox.expunge(selected);
                }
                selected = null;
                uids.clear();
                out.line(tag + " OK " + command + " done");
            }
            default -> throw new Bad("unknown command " + (byUid ? "UID " : "") + command);
        }
    }

    /** Tells the session about messages gone (EXPUNGE, when allowed) and arrived (EXISTS). */
    private void updates(boolean expunges) throws IOException {
        List<BridgeMailbox.Entry> now = mailbox.entries(selected);
        java.util.Set<Long> present = new java.util.HashSet<>();
        now.forEach(e -> present.add(e.uid));
        if (expunges) {
            for (int i = uids.size() - 1; i >= 0; i--) {
                if (!present.contains(uids.get(i))) {
                    uids.remove(i);
                    out.line("* " + (i + 1) + " EXPUNGE");
                }
            }
        }
        long highest = uids.isEmpty() ? 0 : uids.get(uids.size() - 1);
        int before = uids.size();
        for (BridgeMailbox.Entry entry : now) {
            if (entry.uid > highest) {
                uids.add(entry.uid);
            }
        }
        if (uids.size() != before) {
            out.line("* " + uids.size() + " EXISTS");
        }
    }

    /** The sequence numbers (1-based) a set names: numbers or UIDs, ranges, {@code *}. */
    private List<Integer> resolve(String set, boolean byUid) throws Bad {
        List<Integer> numbers = new ArrayList<>();
        long max = byUid ? (uids.isEmpty() ? 0 : uids.get(uids.size() - 1)) : uids.size();
        java.util.TreeSet<Integer> chosen = new java.util.TreeSet<>();
        try {
            for (String range : set.split(",")) {
                String[] ends = range.split(":", 2);
                long a = ends[0].equals("*") ? max : Long.parseLong(ends[0]);
                long b = ends.length == 1 ? a : ends[1].equals("*") ? max : Long.parseLong(ends[1]);
                long low = Math.min(a, b);
                long high = Math.max(a, b);
                if (low < 1 && !byUid) {
                    throw new Bad("sequence numbers start at 1");
                }
                if (byUid) {
                    for (int i = 0; i < uids.size(); i++) {
                        if (uids.get(i) >= low && uids.get(i) <= high) {
                            chosen.add(i + 1);
                        }
                    }
                } else {
                    if (high > uids.size()) {
                        throw new Bad("no message " + high + " (there are " + uids.size() + ")");
                    }
                    for (long n = low; n <= high; n++) {
                        chosen.add((int) n);
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new Bad("'" + set + "' is not a message set");
        }
        numbers.addAll(chosen);
        return numbers;
    }

    private void fetch(String tag, boolean byUid, List<Object> args) throws IOException, Bad, FailureException {
        if (args.size() < 2) {
            throw new Bad("FETCH set items");
        }
        List<Integer> numbers = resolve(args.get(0).toString(), byUid);
        List<String> items = new ArrayList<>();
        Object spec = args.get(1);
        if (spec instanceof List<?> list) {
            list.forEach(o -> items.add(o.toString()));
        } else {
            switch (spec.toString().toUpperCase(Locale.ROOT)) {
                case "ALL" -> items.addAll(List.of("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"));
                case "FAST" -> items.addAll(List.of("FLAGS", "INTERNALDATE", "RFC822.SIZE"));
                case "FULL" -> items.addAll(List.of("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"));
                default -> items.add(spec.toString());
            }
        }
        if (byUid && items.stream().noneMatch(i -> i.equalsIgnoreCase("UID"))) {
            items.add(0, "UID");
        }
        boolean needsContent = items.stream().anyMatch(i -> !i.equalsIgnoreCase("UID") && !i.equalsIgnoreCase("FLAGS")
                && !i.equalsIgnoreCase("INTERNALDATE"));
        List<BridgeMailbox.Entry> entries = new ArrayList<>();
        for (int number : numbers) {
            BridgeMailbox.Entry entry = mailbox.entry(selected, uids.get(number - 1));
            entries.add(entry);
        }
        if (needsContent) {
            mailbox.prefetch(selected, entries.stream().filter(java.util.Objects::nonNull).toList());
        }
        for (int i = 0; i < numbers.size(); i++) {
            BridgeMailbox.Entry entry = entries.get(i);
            if (entry != null) {
                fetchOne(numbers.get(i), entry, items);
            }
        }
        out.line(tag + " OK FETCH done");
    }

    private void fetchOne(int number, BridgeMailbox.Entry entry, List<String> items)
            throws IOException, Bad, FailureException {
        byte[] content = null;
        MimeParts.Part parsed = null;
        boolean setSeen = false;
        List<Object> parts = new ArrayList<>(); // String or byte[] (a literal)
        for (String item : items) {
            String name = item.toUpperCase(Locale.ROOT);
            Matcher section = SECTION.matcher(item);
            if (name.equals("UID")) {
                parts.add("UID " + entry.uid);
            } else if (name.equals("FLAGS")) {
                parts.add("FLAGS " + flags(entry));
            } else if (name.equals("INTERNALDATE")) {
                parts.add("INTERNALDATE \"" + INTERNALDATE.format(entry.internalDate) + "\"");
            } else if (name.equals("RFC822.SIZE")) {
                parts.add("RFC822.SIZE " + mailbox.size(selected, entry));
            } else {
                if (content == null) {
                    content = mailbox.content(selected, entry);
                    parsed = MimeParts.parse(content);
                }
                if (name.equals("ENVELOPE")) {
                    parts.add("ENVELOPE " + MimeParts.envelope(parsed));
                } else if (name.equals("BODYSTRUCTURE")) {
                    parts.add("BODYSTRUCTURE " + MimeParts.bodyStructure(parsed, true));
                } else if (name.equals("BODY")) {
                    parts.add("BODY " + MimeParts.bodyStructure(parsed, false));
                } else if (name.equals("RFC822")) {
                    parts.add("RFC822 ");
                    parts.add(content);
                    setSeen = true;
                } else if (name.equals("RFC822.HEADER")) {
                    parts.add("RFC822.HEADER ");
                    parts.add(parsed.header());
                } else if (name.equals("RFC822.TEXT")) {
                    parts.add("RFC822.TEXT ");
                    parts.add(parsed.content());
                    setSeen = true;
                } else if (section.matches()) {
                    byte[] bytes = section(parsed, section.group(2));
                    String label = "BODY[" + section.group(2).toUpperCase(Locale.ROOT) + "]";
                    if (section.group(3) != null) {
                        int origin = (int) Math.min(Long.parseLong(section.group(3)), bytes.length);
                        long count = section.group(4) == null ? bytes.length : Long.parseLong(section.group(4));
                        bytes = java.util.Arrays.copyOfRange(bytes, origin, (int) Math.min(bytes.length, origin + count));
                        label += "<" + section.group(3) + ">";
                    }
                    parts.add(label + " ");
                    parts.add(bytes);
                    setSeen |= !section.group(1).toUpperCase(Locale.ROOT).endsWith("PEEK");
                } else {
                    throw new Bad("unknown FETCH item " + item);
                }
            }
        }
        if (setSeen && !readOnly && !entry.seen) {
            mailbox.setSeen(selected, entry, true);
            if (items.stream().noneMatch(i -> i.equalsIgnoreCase("FLAGS"))) {
                parts.add("FLAGS " + flags(entry));
            }
        }
        out.text("* " + number + " FETCH (");
        boolean space = false;
        for (Object part : parts) {
            if (part instanceof String text) {
                out.text((space ? " " : "") + text);
                space = !text.endsWith(" ");
            } else {
                out.literal((byte[]) part);
                space = true;
            }
        }
        out.text(")\r\n");
        out.flush();
    }

    private static String flags(BridgeMailbox.Entry entry) {
        List<String> flags = new ArrayList<>();
        if (entry.seen) {
            flags.add("\\Seen");
        }
        if (entry.deleted) {
            flags.add("\\Deleted");
        }
        return "(" + String.join(" ", flags) + ")";
    }

    /** The bytes of a section: "", HEADER, TEXT, HEADER.FIELDS[.NOT] (...), n.n[.HEADER|.TEXT|.MIME]. */
    private static byte[] section(MimeParts.Part root, String spec) throws Bad {
        String upper = spec.toUpperCase(Locale.ROOT).strip();
        MimeParts.Part part = root;
        MimeParts.Part message = root; // the message HEADER/TEXT refer to
        boolean numbered = false;
        while (!upper.isEmpty() && Character.isDigit(upper.charAt(0))) {
            int dot = upper.indexOf('.');
            String number = dot < 0 ? upper : upper.substring(0, dot);
            upper = dot < 0 ? "" : upper.substring(dot + 1);
            int n = Integer.parseInt(number);
            MimeParts.Part container = part.isMessage() && part.message != null && numbered ? part.message : part;
            if (container.isMultipart()) {
                if (n < 1 || n > container.children.size()) {
                    return new byte[0];
                }
                part = container.children.get(n - 1);
            } else if (n == 1) {
                part = container;
            } else {
                return new byte[0];
            }
            numbered = true;
            if (part.isMessage() && part.message != null) {
                message = part.message;
            }
        }
        if (upper.isEmpty()) {
            return numbered ? (part == root && !root.isMultipart() ? root.content() : part.content()) : root.range(0,
                    root.bytes.length);
        }
        if (upper.equals("MIME")) {
            if (!numbered) {
                throw new Bad("MIME needs a part number");
            }
            return part.header();
        }
        MimeParts.Part target = numbered ? message : root;
        if (upper.equals("HEADER")) {
            return target.header();
        }
        if (upper.equals("TEXT")) {
            return target.content();
        }
        Matcher fields = Pattern.compile("HEADER\\.FIELDS(\\.NOT)?\\s*\\((.*)\\)").matcher(upper);
        if (fields.matches()) {
            List<String> names = List.of(fields.group(2).trim().split("\\s+"));
            return target.headerFields(names, fields.group(1) != null);
        }
        throw new Bad("unknown section [" + spec + "]");
    }

    private void store(String tag, boolean byUid, List<Object> args) throws IOException, Bad, FailureException {
        if (args.size() < 3) {
            throw new Bad("STORE set +FLAGS (flags)");
        }
        if (readOnly) {
            out.line(tag + " NO [READ-ONLY] folder examined, not selected");
            return;
        }
        List<Integer> numbers = resolve(args.get(0).toString(), byUid);
        String mode = args.get(1).toString().toUpperCase(Locale.ROOT);
        boolean silent = mode.endsWith(".SILENT");
        String operation = mode.replace(".SILENT", "");
        if (!List.of("FLAGS", "+FLAGS", "-FLAGS").contains(operation)) {
            throw new Bad("STORE takes FLAGS, +FLAGS or -FLAGS");
        }
        List<String> flags = new ArrayList<>();
        for (Object flag : args.subList(2, args.size())) {
            if (flag instanceof List<?> list) {
                list.forEach(f -> flags.add(f.toString()));
            } else {
                flags.add(flag.toString());
            }
        }
        boolean seen = flags.stream().anyMatch(f -> f.equalsIgnoreCase("\\Seen"));
        boolean deleted = flags.stream().anyMatch(f -> f.equalsIgnoreCase("\\Deleted"));
        for (int number : numbers) {
            BridgeMailbox.Entry entry = mailbox.entry(selected, uids.get(number - 1));
            if (entry == null) {
                continue;
            }
            switch (operation) {
                case "FLAGS" -> {
                    mailbox.setSeen(selected, entry, seen);
                    mailbox.setDeleted(entry, deleted);
                }
                case "+FLAGS" -> {
                    if (seen) {
                        mailbox.setSeen(selected, entry, true);
                    }
                    if (deleted) {
                        mailbox.setDeleted(entry, true);
                    }
                }
                default -> {
                    if (seen) {
                        mailbox.setSeen(selected, entry, false);
                    }
                    if (deleted) {
                        mailbox.setDeleted(entry, false);
                    }
                }
            }
            if (!silent) {
                out.line("* " + number + " FETCH (" + (byUid ? "UID " + entry.uid + " " : "") + "FLAGS " + flags(entry)
                        + ")");
            }
        }
        out.line(tag + " OK STORE done");
    }

    // ---- SEARCH -------------------------------------------------------------------------

    private void search(String tag, boolean byUid, List<Object> args) throws IOException, Bad, FailureException {
        List<Object> keys = new ArrayList<>(args);
        if (keys.size() >= 2 && keys.get(0).toString().equalsIgnoreCase("CHARSET")) {
            keys = keys.subList(2, keys.size());
        }
        java.util.Iterator<Object> iterator = keys.iterator();
        List<Predicate<Integer>> all = new ArrayList<>();
        while (iterator.hasNext()) {
            all.add(key(iterator));
        }
        StringBuilder answer = new StringBuilder("* SEARCH");
        for (int number = 1; number <= uids.size(); number++) {
            final int n = number;
            if (all.stream().allMatch(p -> p.test(n))) {
                answer.append(' ').append(byUid ? uids.get(number - 1) : number);
            }
        }
        out.line(answer.toString());
        out.line(tag + " OK SEARCH done");
    }

    private Predicate<Integer> key(java.util.Iterator<Object> keys) throws Bad {
        Object word = keys.next();
        if (word instanceof List<?> group) {
            List<Predicate<Integer>> all = new ArrayList<>();
            @SuppressWarnings("unchecked")
            java.util.Iterator<Object> inner = ((List<Object>) group).iterator();
            while (inner.hasNext()) {
                all.add(key(inner));
            }
            return n -> all.stream().allMatch(p -> p.test(n));
        }
        String name = word.toString().toUpperCase(Locale.ROOT);
        switch (name) {
            case "ALL":
                return n -> true;
            case "SEEN":
                return n -> entry(n) != null && entry(n).seen;
            case "UNSEEN":
                return n -> entry(n) != null && !entry(n).seen;
            case "DELETED":
                return n -> entry(n) != null && entry(n).deleted;
            case "UNDELETED":
                return n -> entry(n) != null && !entry(n).deleted;
            case "RECENT", "NEW", "FLAGGED", "ANSWERED", "DRAFT":
                return n -> false;
            case "OLD", "UNFLAGGED", "UNANSWERED", "UNDRAFT":
                return n -> true;
            case "NOT": {
                Predicate<Integer> inner = key(next(keys, name));
                return inner.negate();
            }
            case "OR": {
                Predicate<Integer> a = key(next(keys, name));
                Predicate<Integer> b = key(next(keys, name));
                return a.or(b);
            }
            case "SINCE", "BEFORE", "ON", "SENTSINCE", "SENTBEFORE", "SENTON": {
                LocalDate date = date(next(keys, name).next().toString());
                return n -> {
                    BridgeMailbox.Entry entry = entry(n);
                    if (entry == null) {
                        return false;
                    }
                    LocalDate day = entry.internalDate.atOffset(ZoneOffset.UTC).toLocalDate();
                    return name.endsWith("SINCE") ? !day.isBefore(date)
                            : name.endsWith("BEFORE") ? day.isBefore(date) : day.equals(date);
                };
            }
            case "FROM", "TO", "CC", "BCC", "SUBJECT": {
                String needle = next(keys, name).next().toString().toLowerCase(Locale.ROOT);
                String header = name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
                return n -> headerContains(n, header, needle);
            }
            case "HEADER": {
                String header = next(keys, name).next().toString();
                String needle = next(keys, name).next().toString().toLowerCase(Locale.ROOT);
                return n -> headerContains(n, header, needle);
            }
            case "BODY", "TEXT": {
                String needle = next(keys, name).next().toString().toLowerCase(Locale.ROOT);
                return n -> {
                    byte[] content = contentOf(n);
                    return content != null && decodedText(content).toLowerCase(Locale.ROOT).contains(needle);
                };
            }
            case "LARGER", "SMALLER": {
                long size = Long.parseLong(next(keys, name).next().toString());
                return n -> {
                    byte[] content = contentOf(n);
                    return content != null && (name.equals("LARGER") ? content.length > size : content.length < size);
                };
            }
            case "UID": {
                List<Integer> numbers = resolve(next(keys, name).next().toString(), true);
                return numbers::contains;
            }
            default:
                if (!name.isEmpty() && (Character.isDigit(name.charAt(0)) || name.charAt(0) == '*')) {
                    List<Integer> numbers = resolve(name, false);
                    return numbers::contains;
                }
                throw new Bad("unknown SEARCH key " + name);
        }
    }

    private static java.util.Iterator<Object> next(java.util.Iterator<Object> keys, String name) throws Bad {
        if (!keys.hasNext()) {
            throw new Bad("SEARCH " + name + " needs an argument");
        }
        return keys;
    }

    private static LocalDate date(String text) throws Bad {
        try {
            return LocalDate.parse(text, DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH));
        } catch (RuntimeException e) {
            throw new Bad("'" + text + "' is not a date like 1-Dec-2026");
        }
    }

    private BridgeMailbox.Entry entry(int number) {
        return mailbox.entry(selected, uids.get(number - 1));
    }

    private byte[] contentOf(int number) {
        BridgeMailbox.Entry entry = entry(number);
        try {
            return entry == null ? null : mailbox.content(selected, entry);
        } catch (IOException | FailureException e) {
            return null;
        }
    }

    private boolean headerContains(int number, String header, String needle) {
        byte[] content = contentOf(number);
        if (content == null) {
            return false;
        }
        String value = MimeParts.parse(content).header(header);
        if (value == null) {
            return false;
        }
        try {
            value = jakarta.mail.internet.MimeUtility.decodeText(value);
        } catch (java.io.UnsupportedEncodingException e) {
            // as written
        }
        return value.toLowerCase(Locale.ROOT).contains(needle);
    }

    /** The message's text for BODY/TEXT searches, decoded by Angus Mail. */
    private static String decodedText(byte[] content) {
        try {
            jakarta.mail.internet.MimeMessage message = new jakarta.mail.internet.MimeMessage(BridgeMime.SESSION,
                    new java.io.ByteArrayInputStream(content));
            return org.cmtp.mail.MimeContent.of(message).text();
        } catch (jakarta.mail.MessagingException | IOException e) {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    // ---- IDLE ---------------------------------------------------------------------------

    private void idle(String tag) throws IOException, FailureException {
        out.line("+ idling");
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(500);
        long seen = mailbox.version();
        long started = System.currentTimeMillis();
        try {
            while (System.currentTimeMillis() - started < 29 * 60 * 1000L) {
                if (selected != null) {
                    updates(true);
                }
                try {
                    byte[] line = in.readLine();
                    String word = line == null ? "" : new String(line, StandardCharsets.US_ASCII).strip();
                    if (word.equalsIgnoreCase("DONE")) {
                        out.line(tag + " OK IDLE done");
                    } else {
                        out.line(tag + " BAD IDLE ends with DONE");
                    }
                    return;
                } catch (SocketTimeoutException e) {
                    // no DONE yet: look for news
                }
                try {
                    seen = mailbox.awaitChange(seen, 500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            out.line("* BYE idled for too long");
            throw new EOFException();
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    static byte[] utf8(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
