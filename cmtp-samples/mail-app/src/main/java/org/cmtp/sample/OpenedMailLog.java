package org.cmtp.sample;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The mail the sample bean opened, in memory, oldest first. */
@ApplicationScoped
public class OpenedMailLog {

    private final List<OpenedMail> opened = new CopyOnWriteArrayList<>();

    public void add(OpenedMail mail) {
        opened.add(mail);
    }

    public List<OpenedMail> all() {
        return List.copyOf(opened);
    }
}
