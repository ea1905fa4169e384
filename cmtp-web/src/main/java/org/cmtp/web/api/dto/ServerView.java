package org.cmtp.web.api.dto;

import java.util.List;

public class ServerView {
    public List<String> domains;
    public String publicKey;
    public String fingerprint;
    public String since;
}
