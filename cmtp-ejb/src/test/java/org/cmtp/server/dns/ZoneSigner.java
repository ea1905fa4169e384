package org.cmtp.server.dns;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/**
 * Signs a test zone with DNSSEC the way a real signer does, using dnsjava's
 * {@link DNSSEC#sign}: one ECDSA P-256 key (algorithm 13) as DNSKEY, an NSEC chain
 * for authenticated denial, and an RRSIG on every RRset. {@link #trustAnchor()} is the
 * DS record a validator needs to trust the zone. The zone must not delegate.
 */
public final class ZoneSigner {

    private static final int ZONE_AND_SECURE_ENTRY_POINT = 257;
    private static final int DNSSEC_PROTOCOL = 3;

    private final Name origin;
    private final KeyPair keys;
    private final DNSKEYRecord dnskey;

    public ZoneSigner(String origin) throws GeneralSecurityException, DNSSEC.DNSSECException {
        this.origin = Name.fromConstantString(origin.endsWith(".") ? origin : origin + ".");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        this.keys = generator.generateKeyPair();
        this.dnskey = new DNSKEYRecord(this.origin, DClass.IN, 3600, ZONE_AND_SECURE_ENTRY_POINT, DNSSEC_PROTOCOL,
                DNSSEC.Algorithm.ECDSAP256SHA256, keys.getPublic());
    }

    /** The zone's DS record in master-file format, for a trust anchor file. */
    public String trustAnchor() {
        return new DSRecord(origin, DClass.IN, 3600, DNSSEC.Digest.SHA256, dnskey) + "\n";
    }

    /** The zone signed: DNSKEY, NSEC chain and signatures added. */
    public Zone sign(Zone unsigned) throws IOException, DNSSEC.DNSSECException {
        return sign(unsigned, UnaryOperator.identity());
    }

    /**
     * Signs, then lets {@code forgery} replace records while their signatures stay, to make a
     * zone whose answers a validator must find bogus.
     */
    public Zone sign(Zone unsigned, UnaryOperator<Record> forgery) throws IOException, DNSSEC.DNSSECException {
        if (!unsigned.getOrigin().equals(origin)) {
            throw new IllegalArgumentException("this signer is for " + origin + ", not " + unsigned.getOrigin());
        }
        List<RRset> sets = new ArrayList<>();
        unsigned.forEach(sets::add);
        sets.add(new RRset(dnskey));
        sets.addAll(nsecChain(sets, unsigned.getSOA().getMinimum()));

        Instant now = Instant.now();
        List<Record> records = new ArrayList<>();
        records.add(unsigned.getSOA()); // a Zone is built SOA first
        for (RRset set : sets) {
            records.add(DNSSEC.sign(set, dnskey, keys.getPrivate(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7))));
            for (Record r : set.rrs(false)) {
                if (r.getType() != Type.SOA) {
                    records.add(forgery.apply(r));
                }
            }
        }
        return new Zone(origin, records.toArray(Record[]::new));
    }

    /** One NSEC per owner name, in canonical order, the last pointing back to the apex (RFC 4034 4.1). */
    private static List<RRset> nsecChain(List<RRset> sets, long ttl) {
        Map<Name, TreeSet<Integer>> types = new TreeMap<>(); // Name orders canonically
        for (RRset set : sets) {
            types.computeIfAbsent(set.getName(), n -> new TreeSet<>(List.of(Type.NSEC, Type.RRSIG))).add(set.getType());
        }
        List<Name> owners = new ArrayList<>(types.keySet());
        List<RRset> chain = new ArrayList<>();
        for (int i = 0; i < owners.size(); i++) {
            Name owner = owners.get(i);
            Name next = owners.get((i + 1) % owners.size());
            int[] present = types.get(owner).stream().mapToInt(Integer::intValue).toArray();
            chain.add(new RRset(new NSECRecord(owner, DClass.IN, ttl, next, present)));
        }
        return chain;
    }
}
