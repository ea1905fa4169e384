package org.cmtp.web.api.dto;

public class TestMessage {
    /** {@code account@domain} */
    public String to;
    public String subject;
    public String text;
}
