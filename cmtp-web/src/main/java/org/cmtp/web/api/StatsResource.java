package org.cmtp.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

import org.cmtp.server.metrics.HourlyTraffic;
import org.cmtp.server.metrics.MessageEvent;
import org.cmtp.server.metrics.RecentEvents;
import org.cmtp.server.metrics.ServerLoad;

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
    private HourlyTraffic traffic;
    @Inject
    private RecentEvents recent;
    @Inject
    private ServerLoad load;

    @GET
    public StatsView get() {
        StatsView view = new StatsView();
        view.since = traffic.since().toString();
        view.totals = words(traffic.totals());
        view.hours = traffic.lastDay().stream().map(hour -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("start", hour.start().toString());
            h.putAll(words(hour.counts()));
            return h;
        }).toList();
        view.queueDepth = load.queueDepth();
        view.openConnections = load.openConnections();
        view.recent = recent.latest().stream().map(StatsResource::view).toList();
        return view;
    }

    private static RecentView view(RecentEvents.Entry event) {
        RecentView view = new RecentView();
        view.time = event.time().toString();
        view.event = event.event().word();
        view.sender = event.sender();
        view.recipient = event.recipient();
        view.detail = event.detail();
        return view;
    }

    private static Map<String, Long> words(Map<MessageEvent, Long> counts) {
        Map<String, Long> named = new LinkedHashMap<>();
        counts.forEach((event, count) -> named.put(event.word(), count));
        return named;
    }
}
