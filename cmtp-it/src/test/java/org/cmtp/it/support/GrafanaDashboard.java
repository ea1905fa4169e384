package org.cmtp.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard the project ships ({@code docs/grafana/cmtp-dashboard.json}): the
 * tests that check a server's {@code /metrics} (Payara Micro in OperationsIT, the EAR on
 * Payara Server and WildFly) take the metric names from it, so a panel added to the
 * dashboard is checked on every server without a second list to keep in step.
 */
public final class GrafanaDashboard {

    private static final Pattern METRIC = Pattern.compile("\\b(cmtp_[a-z_]+)\\b");

    private GrafanaDashboard() {
    }

    /** Every {@code cmtp_*} metric named in a panel's query, sorted. */
    public static Set<String> queriedMetrics() throws IOException {
        Path dashboard = Path.of(System.getProperty("it.repo.dir", "..")).resolve("docs/grafana/cmtp-dashboard.json");
        JsonObject json = Json.createReader(new StringReader(Files.readString(dashboard))).readObject();
        Set<String> queried = new TreeSet<>();
        Matcher names = METRIC.matcher("");
        for (JsonValue panel : json.getJsonArray("panels")) {
            for (JsonValue target : panel.asJsonObject().getJsonArray("targets")) {
                names.reset(target.asJsonObject().getString("expr"));
                while (names.find()) {
                    queried.add(names.group(1));
                }
            }
        }
        return queried;
    }
}
