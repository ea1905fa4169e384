package org.cmtp.server.dns;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/**
 * A small authoritative DNS server on 127.0.0.1 for tests: real DNS wire protocol over UDP
 * and TCP on one ephemeral port, answers from {@link Zone}s. It answers authoritatively
 * (AA) inside its zones, NXDOMAIN for unknown names there, REFUSED outside them; it
 * truncates UDP answers that do not fit (TC, the client retries over TCP); it adds RRSIGs
 * when the query sets DO, and NSEC proofs for negative answers if the zone has an NSEC
 * chain (see {@code ZoneSigner}). It counts queries, can be told to drop them (to test
 * timeouts), and stops with {@link #close()}.
 *
 * <p>Not supported, because no test needs them: DNAME, wildcards, zone transfers,
 * NSEC3, EDNS options.
 *
 * <p>{@link #main(String[])} serves zone files given on the command line, for scripts
 * and other JVMs.
 */
public final class LoopbackDnsServer implements AutoCloseable {

    /** RFC 1035: without EDNS a UDP answer is at most 512 bytes. */
    private static final int PLAIN_UDP_LIMIT = 512;
    private static final int MAX_CNAME_CHAIN = 8;

    private final List<Zone> zones;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicInteger tcpQueries = new AtomicInteger();
    private final AtomicBoolean dropping = new AtomicBoolean();
    private volatile boolean running = true;

    private LoopbackDnsServer(List<Zone> zones, int port) throws IOException {
        // Most specific zone first, so a child zone wins over its parent.
        this.zones = zones.stream()
                .sorted(Comparator.comparingInt((Zone z) -> z.getOrigin().labels()).reversed())
                .toList();
        Sockets sockets = Sockets.bind(port);
        udp = sockets.udp();
        tcp = sockets.tcp();
        daemon("udp", this::serveUdp).start();
        daemon("tcp", this::acceptTcp).start();
    }

    /** Resolvers retry a truncated UDP answer over TCP on the same port: bind both. */
    private record Sockets(DatagramSocket udp, ServerSocket tcp) {
        static Sockets bind(int port) throws IOException {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int attempt = 1; ; attempt++) {
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port));
                try {
                    return new Sockets(udp, new ServerSocket(udp.getLocalPort(), 50, loopback));
                } catch (BindException taken) {
                    udp.close();
                    if (port != 0 || attempt == 20) {
                        throw taken;
                    }
                }
            }
        }
    }

    /** Starts a server for these zones on an ephemeral port of 127.0.0.1. */
    public static LoopbackDnsServer start(Zone... zones) throws IOException {
        return start(0, zones);
    }

    /** Starts a server for these zones on the given port of 127.0.0.1 (0: ephemeral). */
    public static LoopbackDnsServer start(int port, Zone... zones) throws IOException {
        return new LoopbackDnsServer(List.of(zones), port);
    }

    /**
     * A zone from master-file text; relative names are relative to {@code origin}. The
     * first record must be the SOA, as in any zone file.
     */
    public static Zone zone(String origin, String masterFile) throws IOException {
        Name name = Name.fromString(origin, Name.root);
        return zone(new ByteArrayInputStream(masterFile.getBytes(StandardCharsets.UTF_8)), name);
    }

    private static Zone zone(InputStream masterFile, Name origin) throws IOException {
        List<Record> records = new ArrayList<>();
        try (Master master = origin == null ? new Master(masterFile) : new Master(masterFile, origin)) {
            for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                records.add(r);
            }
        }
        if (records.isEmpty() || !(records.get(0) instanceof SOARecord soa)) {
            throw new IOException("a zone must start with its SOA record");
        }
        return new Zone(soa.getName(), records.toArray(Record[]::new));
    }

    /** The address to send queries to: 127.0.0.1 and the server's port. */
    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    /** The address in the {@code host:port} form of {@code cmtp.dns-servers}. */
    public String hostAndPort() {
        return udp.getLocalAddress().getHostAddress() + ":" + udp.getLocalPort();
    }

    /** Queries received so far over UDP and TCP, dropped ones included. */
    public int queryCount() {
        return queries.get();
    }

    /** Queries received so far over TCP. */
    public int tcpQueryCount() {
        return tcpQueries.get();
    }

    /** While true, queries are read and counted but never answered. */
    public void dropQueries(boolean drop) {
        dropping.set(drop);
    }

    @Override
    public void close() {
        running = false;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---- transport --------------------------------------------------------------------

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                queries.incrementAndGet();
                if (dropping.get()) {
                    continue;
                }
                byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                byte[] reply = answerUdp(query);
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                warn("UDP", e);
            }
        }
    }

    private void acceptTcp() {
        while (running) {
            try {
                Socket connection = tcp.accept();
                daemon("tcp-connection", () -> serveTcp(connection)).start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** RFC 1035 4.2.2: each message is preceded by its two-byte length. */
    private void serveTcp(Socket connection) {
        try (connection;
             DataInputStream in = new DataInputStream(connection.getInputStream());
             DataOutputStream out = new DataOutputStream(connection.getOutputStream())) {
            while (running) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                queries.incrementAndGet();
                tcpQueries.incrementAndGet();
                if (dropping.get()) {
                    continue;
                }
                Message reply = answer(query);
                if (reply != null) {
                    byte[] wire = reply.toWire();
                    out.writeShort(wire.length);
                    out.write(wire);
                    out.flush();
                }
            }
        } catch (EOFException | SocketException done) {
            // the client closed the connection
        } catch (IOException | RuntimeException e) {
            warn("TCP", e);
        }
    }

    private byte[] answerUdp(byte[] query) {
        Message reply = answer(query);
        if (reply == null) {
            return null;
        }
        OPTRecord opt = reply.getOPT();
        int limit = opt == null ? PLAIN_UDP_LIMIT : Math.max(PLAIN_UDP_LIMIT, opt.getPayloadSize());
        // toWire(limit) leaves out what does not fit and sets TC.
        return reply.toWire(limit);
    }

    // ---- answering --------------------------------------------------------------------

    /** The reply to a query in wire format, or null if it is not even a DNS header. */
    private Message answer(byte[] wire) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException unparsable) {
            return wire.length >= 12 ? error(headerOnly(wire), Rcode.FORMERR) : null;
        }
        return answer(query);
    }

    private static Message headerOnly(byte[] wire) {
        Message query = new Message(((wire[0] & 0xff) << 8) | (wire[1] & 0xff));
        query.getHeader().setOpcode((wire[2] >> 3) & 0xf);
        return query;
    }

    Message answer(Message query) {
        Record question = query.getQuestion();
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return error(query, Rcode.NOTIMP);
        }
        if (question == null) {
            return error(query, Rcode.FORMERR);
        }
        Zone zone = zoneOf(question.getName());
        if (zone == null) {
            return error(query, Rcode.REFUSED);
        }
        Message reply = reply(query);
        reply.addRecord(question, Section.QUESTION);
        reply.getHeader().setFlag(Flags.AA);
        boolean dnssec = wantsDnssec(query);
        addAnswer(reply, zone, question.getName(), question.getType(), dnssec, 0);
        if (query.getOPT() != null) {
            reply.addRecord(new OPTRecord(1232, 0, 0, dnssec ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        }
        return reply;
    }

    private void addAnswer(Message reply, Zone zone, Name name, int type, boolean dnssec, int depth) {
        SetResponse found = zone.findRecords(name, type);
        if (found.isSuccessful()) {
            found.answers().forEach(set -> addRRset(reply, set, Section.ANSWER, dnssec));
        } else if (found.isCNAME()) {
            RRset cname = zone.findExactMatch(name, Type.CNAME);
            addRRset(reply, cname, Section.ANSWER, dnssec);
            Name target = found.getCNAME().getTarget();
            if (depth < MAX_CNAME_CHAIN && target.subdomain(zone.getOrigin())) {
                addAnswer(reply, zone, target, type, dnssec, depth + 1);
            }
        } else if (found.isDelegation()) {
            reply.getHeader().unsetFlag(Flags.AA);
            addRRset(reply, found.getNS(), Section.AUTHORITY, dnssec);
        } else if (found.isNXDOMAIN()) {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
            addNegative(reply, zone, name, dnssec, true);
        } else {
            // NXRRSET, or a name that exists only as an empty non-terminal
            addNegative(reply, zone, name, dnssec, false);
        }
    }

    /** The SOA lets resolvers cache the negative answer (RFC 2308); NSECs prove it. */
    private void addNegative(Message reply, Zone zone, Name name, boolean dnssec, boolean nxdomain) {
        addRRset(reply, zone.findExactMatch(zone.getOrigin(), Type.SOA), Section.AUTHORITY, dnssec);
        if (!dnssec) {
            return;
        }
        List<RRset> proofs = new ArrayList<>();
        addIfPresent(proofs, covering(zone, name));
        if (nxdomain) {
            addIfPresent(proofs, covering(zone, wildcardOf(closestEncloser(zone, name))));
        }
        proofs.stream().distinct().forEach(set -> addRRset(reply, set, Section.AUTHORITY, true));
    }

    private static void addIfPresent(List<RRset> proofs, RRset set) {
        if (set != null) {
            proofs.add(set);
        }
    }

    /** The NSEC owned by the name itself, or the one whose span covers it (RFC 4034 4.1). */
    private static RRset covering(Zone zone, Name name) {
        RRset best = null;
        for (RRset set : zone) {
            if (set.getType() == Type.NSEC && set.getName().compareTo(name) <= 0
                    && (best == null || set.getName().compareTo(best.getName()) > 0)) {
                best = set;
            }
        }
        if (best == null) {
            // Before the first owner: the last NSEC, whose next name wraps to the apex.
            for (RRset set : zone) {
                if (set.getType() == Type.NSEC && ((NSECRecord) set.first()).getNext().equals(zone.getOrigin())) {
                    best = set;
                }
            }
        }
        return best;
    }

    private static Name closestEncloser(Zone zone, Name name) {
        Name candidate = name;
        while (candidate.labels() > zone.getOrigin().labels()) {
            candidate = new Name(candidate, 1);
            if (zone.findExactMatch(candidate, Type.NSEC) != null) {
                return candidate;
            }
        }
        return zone.getOrigin();
    }

    private static Name wildcardOf(Name encloser) {
        try {
            return Name.concatenate(Name.fromConstantString("*"), encloser);
        } catch (NameTooLongException e) {
            return encloser;
        }
    }

    private static void addRRset(Message reply, RRset set, int section, boolean dnssec) {
        if (set == null) {
            return;
        }
        for (Record r : set.rrs(false)) {
            if (!reply.findRecord(r, section)) {
                reply.addRecord(r, section);
            }
        }
        if (dnssec) {
            set.sigs().forEach(sig -> reply.addRecord(sig, section));
        }
    }

    private Zone zoneOf(Name name) {
        return zones.stream().filter(z -> name.subdomain(z.getOrigin())).findFirst().orElse(null);
    }

    private static boolean wantsDnssec(Message query) {
        OPTRecord opt = query.getOPT();
        return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    }

    private static Message reply(Message query) {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            reply.getHeader().setFlag(Flags.RD);
        }
        if (query.getHeader().getFlag(Flags.CD)) {
            reply.getHeader().setFlag(Flags.CD);
        }
        return reply;
    }

    private static Message error(Message query, int rcode) {
        Message reply = reply(query);
        Record question = query.getQuestion();
        if (question != null) {
            reply.addRecord(question, Section.QUESTION);
        }
        reply.getHeader().setRcode(rcode);
        return reply;
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, "loopback-dns-" + name);
        thread.setDaemon(true);
        return thread;
    }

    private static void warn(String transport, Exception e) {
        System.err.println("LoopbackDnsServer: " + transport + " query failed: " + e);
    }

    // ---- command line -----------------------------------------------------------------

    /**
     * Serves zone files until the process is killed:
     * {@code LoopbackDnsServer [--port N] zonefile...}. Each file starts with its SOA, whose
     * owner is the zone's origin; relative names need a {@code $ORIGIN} line. Prints one line, {@code listening on 127.0.0.1:PORT}, once
     * it answers, so a script can read the port.
     */
    public static void main(String[] args) throws Exception {
        try (LoopbackDnsServer server = fromCommandLine(args)) {
            System.out.println("listening on " + server.hostAndPort());
            System.out.flush();
            Thread.currentThread().join();
        } catch (IllegalArgumentException usage) {
            usage(System.err, usage.getMessage());
            System.exit(2);
        }
    }

    static LoopbackDnsServer fromCommandLine(String[] args) throws IOException {
        int port = 0;
        List<Zone> zones = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            } else {
                try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(args[i]))) {
                    zones.add(zone(in, null));
                }
            }
        }
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("no zone file given");
        }
        return start(port, zones.toArray(Zone[]::new));
    }

    private static void usage(PrintStream err, String problem) {
        err.println("LoopbackDnsServer: " + problem);
        err.println("usage: LoopbackDnsServer [--port N] zonefile...");
    }
}
