package org.cmtp.web.api.dto;

import java.util.List;
import java.util.Map;

public class StatsView {
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
