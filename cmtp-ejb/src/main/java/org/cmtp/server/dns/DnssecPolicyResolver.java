package org.cmtp.server.dns;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Sits between the {@code LookupSession} and dnsjava's {@link ValidatingResolver} and
 * applies the {@code cmtp.dnssec} policy to its verdicts: a bogus answer (the validator
 * turns it into SERVFAIL with a reason) and, under {@link DnssecMode#REQUIRE}, an
 * unauthenticated one fail the query with a {@link Refusal}. Failing here, before the
 * session's cache sees the answer, means a refused answer is never cached and so never
 * served later without being judged.
 *
 * <p>It also remembers which questions got an authenticated (AD) answer, because the
 * session's cache keeps records but not their AD flag, and dnsjava 3.6 does not expose it
 * on the lookup result.
 */
final class DnssecPolicyResolver implements Resolver {

    /** Validator reasons can quote whole RRsets with signatures; enough to see what failed. */
    private static final int LONGEST_REASON = 300;
    /** Enough for every name a busy relay has in its cache; older verdicts are forgotten. */
    private static final int REMEMBERED_VERDICTS = 10_000;

    private final ValidatingResolver validating;
    private final DnssecMode mode;
    private final Map<Question, Boolean> verdicts = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Question, Boolean> eldest) {
            return size() > REMEMBERED_VERDICTS;
        }
    };

    /** Why the policy refused an answer; the message says what the validator found. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    private record Question(Name name, int type) {
    }

    DnssecPolicyResolver(ValidatingResolver validating, DnssecMode mode) {
        if (mode == DnssecMode.OFF) {
            throw new IllegalArgumentException("no DNSSEC policy to apply when it is off");
        }
        this.validating = validating;
        this.mode = mode;
    }

    /**
     * Whether the last answer to this question was authenticated. Unknown questions (never
     * asked, or forgotten) count as not authenticated, so the flag errs towards "not secure".
     */
    boolean authenticated(Name name, int type) {
        synchronized (verdicts) {
            return Boolean.TRUE.equals(verdicts.get(new Question(name, type)));
        }
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        return validating.sendAsync(query, executor).thenApply(response -> judge(query, response));
    }

    private Message judge(Message query, Message response) {
        Optional<String> bogus = validationFailure(response);
        if (bogus.isPresent()) {
            throw new CompletionException(new Refusal("validation failed (bogus): " + shortened(bogus.get())));
        }
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return response; // not an answer; the session reports the failure
        }
        boolean authenticated = response.getHeader().getFlag(Flags.AD);
        if (!authenticated && mode == DnssecMode.REQUIRE) {
            throw new CompletionException(new Refusal("the answer is not signed (insecure), and "
                    + DnsSettings.DNSSEC + " is require"));
        }
        Record question = query.getQuestion();
        synchronized (verdicts) {
            verdicts.put(new Question(question.getName(), question.getType()), authenticated);
        }
        return response;
    }

    /** The validator answers SERVFAIL with an extended error and a reason record when it finds an answer bogus. */
    private static Optional<String> validationFailure(Message response) {
        if (response.getRcode() != Rcode.SERVFAIL) {
            return Optional.empty();
        }
        OPTRecord opt = response.getOPT();
        List<EDNSOption> errors = opt == null ? List.of() : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
        if (!errors.isEmpty()) {
            ExtendedErrorCodeOption error = (ExtendedErrorCodeOption) errors.get(0);
            return Optional.of(ExtendedErrorCodeOption.text(error.getErrorCode()) + ": " + error.getText());
        }
        return response.getSection(Section.ADDITIONAL).stream()
                .filter(r -> r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS && r instanceof TXTRecord)
                .map(r -> String.join("", ((TXTRecord) r).getStrings()))
                .findFirst();
    }

    private static String shortened(String reason) {
        String line = reason.replaceAll("\\s+", " ").trim();
        return line.length() <= LONGEST_REASON ? line : line.substring(0, LONGEST_REASON) + "…";
    }

    // ---- the rest of Resolver goes to the validator ------------------------------------

    @Override
    public void setPort(int port) {
        validating.setPort(port);
    }

    @Override
    public void setTCP(boolean flag) {
        validating.setTCP(flag);
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
        validating.setIgnoreTruncation(flag);
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
        validating.setEDNS(version, payloadSize, flags, options);
    }

    @Override
    public void setTSIGKey(TSIG key) {
        validating.setTSIGKey(key);
    }

    @Override
    public void setTimeout(Duration timeout) {
        validating.setTimeout(timeout);
    }

    @Override
    public Duration getTimeout() {
        return validating.getTimeout();
    }

    @Override
    public String toString() {
        return "DNSSEC " + mode.name().toLowerCase(java.util.Locale.ROOT) + " over " + validating;
    }
}
