package org.cmtp.web.api.dto;

public class RecentView {
    public String time;
    /** {@code stored}, {@code queued}, {@code relayed}, {@code failed} or {@code rejected}. */
    public String event;
    public String sender;
    public String recipient;
    /** Why, for a failure or refusal; null (left out of the JSON) otherwise. */
    public String detail;
}
