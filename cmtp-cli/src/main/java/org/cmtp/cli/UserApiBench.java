package org.cmtp.cli;

import jakarta.json.JsonValue;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cmtp.message.MailAddress;

/**
 * The user API's figures (docs/BENCHMARKS.md, "User API"), as a user's client sees them:
 * sign-in end to end (xzibit fetch, scrypt, challenge, signature, session), the first page
 * of the inbox, and fetching one stored message. Run by {@code bench/user-api-benchmark},
 * which fills the mailbox first; not a test.
 *
 * <pre>java -cp cmtp-cli.jar org.cmtp.cli.UserApiBench API-URL ADDRESS [ROUNDS]</pre>
 * The password comes from {@code CMTP_PASSWORD}, the configuration directory from
 * {@code CMTP_CONFIG_DIR}.
 */
public final class UserApiBench {

    private UserApiBench() {
    }

    public static void main(String[] args) throws Exception {
        URI api = URI.create(args[0]);
        MailAddress address = MailAddress.parse(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Map<String, String> environment = System.getenv();
        KnownServers known = KnownServers.in(environment);
        Duration timeout = Duration.ofSeconds(60);
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        UserCommands users = new UserCommands(quiet, known, timeout, null,
                (prompt, option, variable) -> environment.get("CMTP_PASSWORD").toCharArray());

        long[] signIns = new long[10];
        for (int i = 0; i < signIns.length; i++) {
            long start = System.nanoTime();
            users.signIn(api, address);
            signIns[i] = System.nanoTime() - start;
        }
        report("sign-in (xzibit, scrypt, challenge, proof)", signIns);

        UserApi session = new UserApi(api, UserSessionFile.read(known.directory()).orElseThrow().token(), timeout, known);
        UserApi.Page first = session.messages(0, 50);
        long[] pages = time(rounds, () -> session.messages(0, 50));
        report("inbox of " + first.total() + ", first page of 50", pages);

        List<Long> ids = new ArrayList<>();
        for (JsonValue message : first.messages()) {
            ids.add(message.asJsonObject().getJsonNumber("id").longValue());
        }
        int size = first.messages().getJsonObject(0).getInt("size");
        int[] next = {0};
        long[] fetches = time(rounds, () -> session.raw(ids.get(next[0]++ % ids.size())));
        report("fetch one message of " + size + " bytes (raw)", fetches);
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    /** Times {@code rounds} calls after as many unmeasured ones (the client's JIT warm-up). */
    private static long[] time(int rounds, Call call) throws Exception {
        for (int i = 0; i < rounds; i++) {
            call.run();
        }
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static void report(String what, long[] nanos) {
        System.out.printf("user-api: %-45s n=%d p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, nanos.length,
                Bench.percentileMillis(nanos, 50), Bench.percentileMillis(nanos, 90), Bench.percentileMillis(nanos, 99),
                Bench.percentileMillis(nanos, 100));
    }
}
