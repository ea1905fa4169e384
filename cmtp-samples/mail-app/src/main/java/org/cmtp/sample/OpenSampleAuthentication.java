package org.cmtp.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * This module's own answer to Jakarta Security: nobody is authenticated, every request goes
 * on (the sample's endpoints are a test fixture, see the package documentation).
 *
 * <p>Why it exists: inside an EAR, WildFly turns Jakarta Security on for every web module
 * once one module (the server's cmtp-web) has a mechanism, then asks each module's own
 * beans for it; a module without one fails every request with a NullPointerException
 * (WildFly 39, Soteria 3.0.3). With this bean the sample works beside the server's WAR in
 * {@code cmtp-with-sample.ear} and, unchanged, deployed alone on Payara Micro.
 */
@ApplicationScoped
public class OpenSampleAuthentication implements HttpAuthenticationMechanism {

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        return context.doNothing();
    }
}
