package org.cmtp.web.api.dto;

public class StartedView {
    public String id;
    public String database;
    public String path;
}
