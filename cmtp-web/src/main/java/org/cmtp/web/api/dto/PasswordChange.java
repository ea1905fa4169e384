package org.cmtp.web.api.dto;

public class PasswordChange {
    public String currentPassword;
    public String newPassword;
}
