package org.cmtp.web.api;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The administration REST API, under {@code /api}; every call needs the {@code cmtp-admin} role. */
@ApplicationPath("/api")
@DeclareRoles(AdminApi.ROLE)
public class AdminApi extends Application {
    public static final String ROLE = "cmtp-admin";
}
