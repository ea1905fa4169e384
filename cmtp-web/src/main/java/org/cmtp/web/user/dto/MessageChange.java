package org.cmtp.web.user.dto;

/** {@code PATCH} body: {@code {"read": true}}. */
public class MessageChange {
    public Boolean read;
}
