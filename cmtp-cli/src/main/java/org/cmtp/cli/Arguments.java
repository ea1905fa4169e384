package org.cmtp.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line: {@code cmtp [global options] COMMAND [options] [arguments]}.
 * Options may stand anywhere after {@code cmtp}, as {@code --name value} or
 * {@code --name=value}; {@code --} ends the options. An option declared as a list
 * ({@code --attach}) takes every following word up to the next option.
 */
final class Arguments {

    /** How an option takes values. */
    enum Kind { FLAG, VALUE, LIST }

    static final Map<String, Kind> GLOBAL = Map.of(
            "server", Kind.VALUE, "timeout", Kind.VALUE, "server-key", Kind.VALUE, "api", Kind.VALUE, "help", Kind.FLAG);

    static final Map<String, Map<String, Kind>> COMMANDS = commands();

    private static Map<String, Map<String, Kind>> commands() {
        Map<String, Map<String, Kind>> commands = new LinkedHashMap<>();
        commands.put("keyrequest", Map.of());
        commands.put("login", Map.of("out", Kind.VALUE, "password-file", Kind.VALUE, "force", Kind.FLAG));
        commands.put("send", Map.of("from", Kind.VALUE, "to", Kind.LIST, "subject", Kind.VALUE, "text", Kind.VALUE,
                "text-file", Kind.VALUE, "attach", Kind.LIST, "cc", Kind.LIST, "reply-to", Kind.VALUE,
                "allow-plaintext", Kind.FLAG));
        commands.put("open", Map.of("keys", Kind.VALUE));
        commands.put("bench", Map.of("connections", Kind.VALUE, "messages", Kind.VALUE, "size", Kind.VALUE,
                "to", Kind.VALUE, "per-connection", Kind.VALUE, "keyrequest", Kind.FLAG, "warm-up", Kind.VALUE));
        commands.put("signin", Map.of("password-file", Kind.VALUE));
        commands.put("signout", Map.of());
        commands.put("bridge", Map.of("password-file", Kind.VALUE, "keys", Kind.VALUE, "imap-port", Kind.VALUE,
                "smtp-port", Kind.VALUE, "bind", Kind.VALUE));
        commands.put("inbox", Map.of("offset", Kind.VALUE, "limit", Kind.VALUE));
        commands.put("read", Map.of("keys", Kind.VALUE, "save", Kind.VALUE, "password-file", Kind.VALUE));
        commands.put("delete", Map.of());
        commands.put("mark", Map.of("read", Kind.FLAG, "unread", Kind.FLAG));
        commands.put("sessions", Map.of("revoke", Kind.VALUE));
        commands.put("passwd", Map.of("password-file", Kind.VALUE, "new-password-file", Kind.VALUE));
        return commands;
    }

    private final String command;
    private final Map<String, List<String>> options;
    private final List<String> positionals;

    private Arguments(String command, Map<String, List<String>> options, List<String> positionals) {
        this.command = command;
        this.options = options;
        this.positionals = positionals;
    }

    static Arguments parse(String... words) throws UsageException {
        String command = null;
        Map<String, List<String>> options = new HashMap<>();
        List<String> positionals = new ArrayList<>();
        // The command decides which options exist, so find it first: the first word that is
        // neither an option nor the value of a global option.
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (word.equals("--")) {
                if (i + 1 < words.length) {
                    command = words[i + 1];
                }
                break;
            }
            if (word.startsWith("-")) {
                String name = optionName(word);
                if (GLOBAL.get(name) == Kind.VALUE && !word.contains("=")) {
                    i++;
                }
                continue;
            }
            command = word;
            break;
        }
        Map<String, Kind> known = new HashMap<>(GLOBAL);
        if (command != null) {
            Map<String, Kind> specific = COMMANDS.get(command);
            if (specific == null) {
                throw new UsageException("unknown command '" + command + "' (commands: "
                        + String.join(", ", COMMANDS.keySet()) + ")");
            }
            known.putAll(specific);
        }
        boolean commandSeen = false;
        boolean optionsEnded = false;
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (!optionsEnded && word.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (optionsEnded || !word.startsWith("-") || word.equals("-")) {
                if (!commandSeen) {
                    commandSeen = true;
                } else {
                    positionals.add(word);
                }
                continue;
            }
            String name = optionName(word);
            Kind kind = known.get(name);
            if (kind == null) {
                throw new UsageException("unknown option " + word + (command == null ? "" : " for " + command));
            }
            List<String> values = options.computeIfAbsent(name, n -> new ArrayList<>());
            int equals = word.indexOf('=');
            if (kind == Kind.FLAG) {
                if (equals >= 0) {
                    throw new UsageException("--" + name + " takes no value");
                }
                values.add("true");
            } else if (equals >= 0) {
                values.add(word.substring(equals + 1));
            } else if (kind == Kind.VALUE) {
                if (i + 1 >= words.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                values.add(words[++i]);
            } else {
                int taken = 0;
                while (i + 1 < words.length && (!words[i + 1].startsWith("-") || words[i + 1].equals("-"))) {
                    values.add(words[++i]);
                    taken++;
                }
                if (taken == 0) {
                    throw new UsageException("--" + name + " needs at least one value");
                }
            }
        }
        return new Arguments(command, options, positionals);
    }

    private static String optionName(String word) throws UsageException {
        if (word.equals("-h")) {
            return "help";
        }
        if (!word.startsWith("--") || word.length() == 2) {
            throw new UsageException("unknown option " + word);
        }
        int equals = word.indexOf('=');
        return equals < 0 ? word.substring(2) : word.substring(2, equals);
    }

    /** @return the command, or empty when none was given */
    Optional<String> command() {
        return Optional.ofNullable(command);
    }

    List<String> positionals() {
        return positionals;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** @return the value of a single-valued option; given twice is a usage error */
    Optional<String> value(String name) throws UsageException {
        List<String> values = options.get(name);
        if (values == null) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new UsageException("--" + name + " given more than once");
        }
        return Optional.of(values.get(0));
    }

    String required(String name) throws UsageException {
        return value(name).orElseThrow(() -> new UsageException(command + " needs --" + name));
    }

    /** @return every value of a list option, each also split at commas */
    List<String> list(String name) {
        List<String> all = new ArrayList<>();
        for (String value : options.getOrDefault(name, List.of())) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    all.add(part.trim());
                }
            }
        }
        return all;
    }

    /** @return the values of a list option as given, not split (file names may hold commas) */
    List<String> rawList(String name) {
        return List.copyOf(options.getOrDefault(name, List.of()));
    }

    int integer(String name, int defaultValue, int min, int max) throws UsageException {
        Optional<String> value = value(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a whole number from " + min + " to " + max
                + ", not '" + value.get() + "'");
    }

    /** @return exactly {@code count} positional arguments, named in the error */
    List<String> positionals(int count, String names) throws UsageException {
        if (positionals.size() != count) {
            throw new UsageException(command + " takes " + names + (positionals.isEmpty() ? ""
                    : " (got: " + String.join(" ", positionals) + ")"));
        }
        return positionals;
    }
}
