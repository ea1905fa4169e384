package org.cmtp.ra.inbound;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;

import java.util.concurrent.ExecutorService;

/** The container's WorkManager, as far as the adapter uses it: scheduleWork on a pool. */
public final class ExecutorWorkManager implements WorkManager {

    private final ExecutorService threads;

    public ExecutorWorkManager(ExecutorService threads) {
        this.threads = threads;
    }

    @Override
    public void scheduleWork(Work work) {
        threads.execute(work);
    }

    @Override
    public void scheduleWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        scheduleWork(work);
    }

    @Override
    public void doWork(Work work) {
        work.run();
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        work.run();
    }

    @Override
    public long startWork(Work work) {
        scheduleWork(work);
        return 0;
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        scheduleWork(work);
        return 0;
    }
}
