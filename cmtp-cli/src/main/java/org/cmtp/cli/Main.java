package org.cmtp.cli;

/** Entry point of the {@code cmtp} command (see {@link Cli}). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = new Cli(System.out, System.err, System.in, System.getenv(), System.console()).run(args);
        System.out.flush();
        System.exit(code);
    }
}
