package org.cmtp.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code cmtp} command-line client as a user runs it: its jar in a JVM of its own. */
public final class CommandLineClient {

    /** What one run printed and how it ended. */
    public record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "stderr:\n" + err;
        }
    }

    private CommandLineClient() {
    }

    /** Runs {@code cmtp GLOBAL-OPTIONS COMMAND...}: the same options (server, API) before each command. */
    public static Run run(Map<String, String> environment, String[] globalOptions, String... command) throws Exception {
        String[] all = java.util.Arrays.copyOf(globalOptions, globalOptions.length + command.length);
        System.arraycopy(command, 0, all, globalOptions.length, command.length);
        return run(environment, all);
    }

    /** Runs {@code cmtp ARGS} with these environment variables (none of the test's CMTP_PASSWORD). */
    public static Run run(Map<String, String> environment, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("it.micro.dir", "target/micro"), "cmtp-cli.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("CMTP_PASSWORD");
        builder.environment().putAll(environment);
        Path out = Files.createTempFile("cmtp-cli", ".out");
        Path err = Files.createTempFile("cmtp-cli", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cmtp " + String.join(" ", args) + " did not finish");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
