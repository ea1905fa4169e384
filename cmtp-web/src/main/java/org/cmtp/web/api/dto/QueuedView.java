package org.cmtp.web.api.dto;

public class QueuedView {
    public long id;
    public String sender;
    public String recipient;
    public int attempts;
    public String queued;
    public String nextAttempt;
    public String lastError;
}
