package org.cmtp.web.user.dto;

public class RawMessage {
    public long id;
    public String raw;
}
