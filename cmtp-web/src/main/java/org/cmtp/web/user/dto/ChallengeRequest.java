package org.cmtp.web.user.dto;

/** {@code {"address": "bob@example.org"}}. */
public class ChallengeRequest {
    public String address;
}
