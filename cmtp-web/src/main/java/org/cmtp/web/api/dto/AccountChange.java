package org.cmtp.web.api.dto;

/** {@code PATCH /api/accounts/{name}}: the fields to change; quotas 0 for unlimited. */
public class AccountChange {
    public Boolean enabled;
    public Long quotaBytes;
    public Long quotaMessages;
}
