package org.cmtp.web.security;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

import java.util.Set;

import org.cmtp.server.admin.AdminPassword;
import org.cmtp.web.api.AdminApi;

/**
 * Checks the administrator's HTTP Basic credentials against the stored password hash
 * (the credentials come from {@link AdminAuthenticationMechanism}).
 */
@ApplicationScoped
public class AdminIdentityStore implements IdentityStore {

    @EJB
    private AdminPassword adminPassword;

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        if (adminPassword.check(credential.getCaller(), credential.getPassword().getValue())) {
            return new CredentialValidationResult(credential.getCaller(), Set.of(AdminApi.ROLE));
        }
        return CredentialValidationResult.INVALID_RESULT;
    }
}
