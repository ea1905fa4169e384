package org.cmtp.server.mailbox;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a new file with direct I/O ({@code O_DIRECT}): the bytes go from an aligned
 * buffer to the disk without passing through the page cache. A body file is written
 * once and read rarely, so caching it only costs: the kernel's copy into the cache and,
 * on a virtual machine that hands freed memory back to its host, a fault for every
 * page the cache takes (a third of the server's CPU per 1 MiB MAIL, docs/BENCHMARKS.md).
 *
 * <p>Direct I/O wants the buffer's address, the length and the file position aligned to
 * the disk's block size: each chunk is copied into an aligned buffer, the last one padded
 * with zeros, and the file cut back to the body's length before it is forced to disk.
 * Buffers of {@link #CHUNK} bytes are kept in a pool of at most {@link #POOLED} rather than
 * per thread; under more concurrent writers the extra ones are left to the collector.
 */
final class DirectWrites {

    static final int CHUNK = 1024 * 1024;
    private static final int POOLED = 32;

    private final int align;
    private final ConcurrentLinkedQueue<ByteBuffer> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    private DirectWrites(int align) {
        this.align = align;
    }

    /**
     * Direct writes into {@code dir}, if its file system takes them (tmpfs, for one, does
     * not); null otherwise. Finds out by writing and deleting a probe file.
     */
    static DirectWrites probe(Path dir) {
        try {
            int align = (int) Math.max(4096, Files.getFileStore(dir).getBlockSize());
            DirectWrites writes = new DirectWrites(align);
            Path probe = dir.resolve(".direct-io-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            try {
                writes.write(probe, new byte[] {'C', 'M', 'T', 'P'});
                return Files.size(probe) == 4 ? writes : null;
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | UnsupportedOperationException | LinkageError e) {
            // LinkageError: a container that hides the JDK's com.sun.nio.file from applications
            return null;
        }
    }

    /** Writes {@code content} to the new file {@code file} and forces it to disk. */
    void write(Path file, byte[] content) throws IOException {
        ByteBuffer buffer = take();
        try (FileChannel channel = FileChannel.open(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT),
                OwnerOnly.file(file))) {
            long position = 0;
            for (int offset = 0; offset < content.length; offset += CHUNK) {
                int length = Math.min(CHUNK, content.length - offset);
                buffer.clear();
                buffer.put(content, offset, length);
                while (buffer.position() % align != 0) {
                    buffer.put((byte) 0);
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
            }
            channel.truncate(content.length);
            channel.force(true);
        } finally {
            give(buffer);
        }
    }

    private ByteBuffer take() {
        ByteBuffer buffer = pool.poll();
        if (buffer != null) {
            pooled.decrementAndGet();
            return buffer;
        }
        return ByteBuffer.allocateDirect(CHUNK + align).alignedSlice(align);
    }

    private void give(ByteBuffer buffer) {
        if (pooled.incrementAndGet() <= POOLED) {
            pool.offer(buffer);
        } else {
            pooled.decrementAndGet();
        }
    }
}
