package org.cmtp.client;

import java.util.List;
import java.util.OptionalLong;

import org.cmtp.protocol.ProofOfWork;

/**
 * What a server's OHAI reply says about it (PROTOCOL.md §1): the greeting line, then
 * optional capability lines such as {@code SIZE 26214400} and {@code POW 0}. Lines this
 * client does not know, and malformed values, are ignored, as the protocol asks.
 *
 * @param lines every line of the reply, without newlines
 * @param maxMessageSize the advertised {@code SIZE}, if any
 * @param proofOfWorkDifficulty the advertised {@code POW}, 0 when absent
 * @param keyBind whether the server advertised {@code KEYBIND 1}: address-bound key replies
 *                (PROTOCOL.md §4a)
 */
public record ServerCapabilities(List<String> lines, OptionalLong maxMessageSize, int proofOfWorkDifficulty,
                                 boolean keyBind) {

    /** The most leading zero bits a proof of work can have: the whole 512-bit hash. */
    public static final int MAX_DIFFICULTY = ProofOfWork.MAX_DIFFICULTY;

    /** What a server that never answered OHAI is assumed to have: no limit known, no work. */
    public static final ServerCapabilities UNKNOWN = new ServerCapabilities(List.of(), OptionalLong.empty(), 0, false);

    public ServerCapabilities {
        lines = List.copyOf(lines);
    }

    /** Reads the lines of an OHAI reply. */
    public static ServerCapabilities parse(List<String> lines) {
        OptionalLong size = OptionalLong.empty();
        int pow = 0;
        boolean keyBind = false;
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length != 2) {
                continue;
            }
            if (words[0].equalsIgnoreCase("KEYBIND")) {
                keyBind |= words[1].equals("1");
            } else if (words[0].equalsIgnoreCase("SIZE")) {
                long value = parseNonNegative(words[1]);
                if (value >= 0) {
                    size = OptionalLong.of(value);
                }
            } else if (words[0].equalsIgnoreCase("POW")) {
                long value = parseNonNegative(words[1]);
                if (value >= 0 && value <= MAX_DIFFICULTY) {
                    pow = (int) value;
                }
            }
        }
        return new ServerCapabilities(lines, size, pow, keyBind);
    }

    private static long parseNonNegative(String word) {
        try {
            long value = Long.parseLong(word);
            return value < 0 ? -1 : value;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
