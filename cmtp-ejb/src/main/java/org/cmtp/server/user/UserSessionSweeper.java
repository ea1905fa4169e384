package org.cmtp.server.user;

import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Deletes expired sign-in challenges and sessions every hour, so neither table grows without end. */
@Singleton
@DependsOn("SchemaMigrator")
public class UserSessionSweeper {

    private static final Logger LOG = Logger.getLogger(UserSessionSweeper.class.getName());

    @EJB
    private UserSessions sessions;

    @Schedule(hour = "*", minute = "17", persistent = false)
    public void sweep() {
        try {
            int removed = sessions.sweep();
            if (removed > 0) {
                LOG.fine(() -> "CMTP removed " + removed + " expired sign-in challenge(s) and session(s)");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "CMTP could not remove expired sign-in challenges and sessions", e);
        }
    }
}
