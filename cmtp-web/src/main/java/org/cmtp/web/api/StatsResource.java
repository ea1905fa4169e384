package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cmtp.server.metrics.ServerMetrics;
import org.cmtp.server.metrics.ServerMetrics.Event;

/**
 * {@code GET /api/stats}: what the domain did with messages (every instance's counts, kept
 * in the database), hour by hour over the last day and in total, this instance's latest
 * message events, and the queue depth and this instance's open connections now.
 */
@Path("stats")
@RequestScoped
@RolesAllowed(AdminApi.ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    @Inject
    private ServerMetrics metrics;

    public static class StatsView {
        /** The start of the first hour counted: the totals count since then. */
        public String since;
        public Map<String, Long> totals;
        /** The last 24 hours, oldest first, the current (partial) hour last: {@code start} and the counts. */
        public List<Map<String, Object>> hours;
        public long queueDepth;
        public long openConnections;
        /** This instance's latest message events, newest first: what was delivered, queued, refused or failed. */
        public List<RecentView> recent;
    }

    public static class RecentView {
        public String time;
        /** {@code stored}, {@code queued}, {@code relayed}, {@code failed} or {@code rejected}. */
        public String event;
        public String sender;
        public String recipient;
        /** Why, for a failure or refusal; null (left out of the JSON) otherwise. */
        public String detail;
    }

    @GET
    public StatsView get() {
        StatsView view = new StatsView();
        view.since = metrics.since().toString();
        view.totals = names(metrics.totals());
        view.hours = metrics.lastDay().stream().map(hour -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("start", hour.start().toString());
            h.putAll(names(hour.counts()));
            return h;
        }).toList();
        view.queueDepth = metrics.queueDepth();
        view.openConnections = metrics.openConnections();
        view.recent = metrics.recent().stream().map(event -> {
            RecentView recent = new RecentView();
            recent.time = event.time().toString();
            recent.event = event.event().name().toLowerCase(Locale.ROOT);
            recent.sender = event.sender();
            recent.recipient = event.recipient();
            recent.detail = event.detail();
            return recent;
        }).toList();
        return view;
    }

    private static Map<String, Long> names(Map<Event, Long> counts) {
        Map<String, Long> named = new LinkedHashMap<>();
        counts.forEach((event, count) -> named.put(event.name().toLowerCase(Locale.ROOT), count));
        return named;
    }
}
