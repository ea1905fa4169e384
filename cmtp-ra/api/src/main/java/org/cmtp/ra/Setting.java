package org.cmtp.ra;

import java.util.Optional;

/**
 * One configuration key of the server, readable where MicroProfile Config is not
 * (the resource adapter runs before and outside the application).
 *
 * <p>A key {@code cmtp.port} is looked up as the system property {@code cmtp.port},
 * then as the environment variable {@code CMTP_PORT} — the same mapping MicroProfile
 * Config applies, so one documented name works in both places.
 */
public final class Setting {

    private Setting() {
    }

    /** The configured value of {@code key}, or empty when neither source sets it. */
    public static Optional<String> value(String key) {
        String fromProperty = System.getProperty(key);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Optional.of(fromProperty.trim());
        }
        String fromEnvironment = System.getenv(environmentName(key));
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(fromEnvironment.trim());
        }
        return Optional.empty();
    }

    /** {@code cmtp.max-message-size} → {@code CMTP_MAX_MESSAGE_SIZE}. */
    public static String environmentName(String key) {
        StringBuilder name = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString();
    }

    /** A bean property value as the adapter keeps it: trimmed, or null when blank (= not configured). */
    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public static String text(String key, String defaultValue) {
        return value(key).orElse(defaultValue);
    }

    public static int integer(String key, int defaultValue) {
        return value(key).map(v -> parseInt(key, v)).orElse(defaultValue);
    }

    public static long number(String key, long defaultValue) {
        return value(key).map(v -> parseLong(key, v)).orElse(defaultValue);
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "configuration " + key + " (" + environmentName(key) + ") must be an integer, was '" + value + "'");
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "configuration " + key + " (" + environmentName(key) + ") must be an integer, was '" + value + "'");
        }
    }
}
