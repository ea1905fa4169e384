package org.cmtp.web.api.dto;

/** Either {@code password}, or {@code publicKey} and {@code xzibit} (hex) made by the client. */
public class NewAccount {
    public String name;
    public String password;
    public String publicKey;
    public String xzibit;
}
