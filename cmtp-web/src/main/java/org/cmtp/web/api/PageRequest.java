package org.cmtp.web.api;

import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * One page of a list: skip {@code first} items, give at most {@code max}. Every paged list
 * of the web APIs reads its page here, answers with {@link #answer} (the total on all pages
 * in {@value #TOTAL_COUNT}) and refuses a bad value with a 400 problem naming the parameter.
 *
 * <p>The query values arrive as text, not as {@code int}: JAX-RS answers a number it cannot
 * convert with 404, which would tell a client with a typo that the list does not exist.
 */
public record PageRequest(int first, int max) {

    /** The total number of items on all pages of the list asked for. */
    public static final String TOTAL_COUNT = "X-Total-Count";
    /** The admin API's page size when none is asked for, and the largest it gives. */
    public static final int DEFAULT_MAX = 100;
    public static final int LARGEST_MAX = 1000;

    /** The admin API's parameters: {@code ?first=0&max=100}, {@code max} at most {@value #LARGEST_MAX}. */
    public static PageRequest of(String first, String max) {
        return read("first", first, "max", max, DEFAULT_MAX, LARGEST_MAX);
    }

    /**
     * A page read from parameters of other names and bounds (the user API's
     * {@code offset} and {@code limit}). An absent or blank value takes its default:
     * 0 for the start, {@code defaultMax} for the size.
     */
    public static PageRequest read(String firstName, String first, String maxName, String max,
            int defaultMax, int largestMax) {
        return new PageRequest(number(firstName, first, 0, 0, Integer.MAX_VALUE),
                number(maxName, max, defaultMax, 1, largestMax));
    }

    /**
     * A page of a list whose parameters had other names before ({@code offset} and
     * {@code limit}), which are still accepted so that scripts written for them keep
     * working; a mistake is reported under the name the client used, and a value given
     * under both names is refused.
     */
    public static PageRequest ofOlderNames(String first, String max, String offset, String limit) {
        String firstName = chosen("first", first, "offset", offset);
        String maxName = chosen("max", max, "limit", limit);
        return read(firstName, present(first) ? first : offset, maxName, present(max) ? max : limit,
                DEFAULT_MAX, LARGEST_MAX);
    }

    private static String chosen(String name, String value, String oldName, String oldValue) {
        if (present(value) && present(oldValue)) {
            throw ProblemException.badRequest(oldName,
                    "give " + name + " or " + oldName + " (its older name), not both");
        }
        return present(oldValue) ? oldName : name;
    }

    /** The page with its total, as every paged list answers. */
    public Response answer(List<?> page, long total) {
        return Response.ok(page).header(TOTAL_COUNT, total).build();
    }

    private static int number(String name, String text, int absent, int min, int max) {
        if (!present(text)) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below, like a value out of range
        }
        String range = max == Integer.MAX_VALUE ? "≥ " + min : "from " + min + " to " + max;
        throw ProblemException.badRequest(name, name + " must be a whole number " + range + ", not '" + text + "'");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
