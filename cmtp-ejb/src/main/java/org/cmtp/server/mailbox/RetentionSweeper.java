package org.cmtp.server.mailbox;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.metrics.ServerMeters;

/**
 * The optional retention period ({@code cmtp.retention-days}, README "Quotas and
 * retention"): every {@code cmtp.retention-interval} (a day by default) the messages
 * received more than that many days ago are deleted from every mailbox, a thousand per
 * transaction. Without the setting nothing is ever deleted. Every instance sharing the
 * database sweeps; a message two of them select is deleted once.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class.getName());
    private static final int BATCH = 1000;

    @Resource
    private TimerService timers;
    @Inject
    private CmtpConfiguration configuration;
    @EJB
    private Mailbox mailbox;
    @Inject
    private ServerMeters meters;

    @PostConstruct
    void schedule() {
        long days = configuration.retentionDays();
        if (days <= 0) {
            return;
        }
        long interval = configuration.retentionIntervalSeconds() * 1000;
        timers.createIntervalTimer(Math.min(interval, 60_000), interval, new TimerConfig("cmtp-retention", false));
        LOG.info(() -> "CMTP retention: messages older than " + days + " day(s) are deleted every "
                + configuration.retentionIntervalSeconds() + " s");
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // each batch commits on its own
    public void sweep() {
        Instant before = Instant.now().minus(Duration.ofDays(configuration.retentionDays()));
        long total = 0;
        try {
            int deleted;
            do {
                deleted = mailbox.deleteReceivedBefore(before, BATCH);
                total += deleted;
                meters.countExpired(deleted);
            } while (deleted == BATCH);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "CMTP retention sweep stopped after " + total + " message(s); tried again next time", e);
        }
        if (total > 0) {
            long deletedTotal = total;
            LOG.info(() -> "CMTP retention deleted " + deletedTotal + " message(s) received before " + before);
        }
    }
}
