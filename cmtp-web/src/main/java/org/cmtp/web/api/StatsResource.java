package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.cmtp.server.metrics.ServerMetrics;
import org.cmtp.server.metrics.ServerMetrics.Event;

import org.cmtp.web.api.dto.RecentView;
import org.cmtp.web.api.dto.StatsView;

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
