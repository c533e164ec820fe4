package io.valerix.harness.chaos.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Virtual threads that may start more of themselves (a request that spawns its retry), awaited as
 * one group with a bound. Thread-safe.
 */
final class TaskGroup {

    private final String name;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final Object idle = new Object();
    private int active;

    TaskGroup(String name) {
        this.name = name;
    }

    void spawn(Runnable task) {
        synchronized (idle) {
            active++;
        }
        Thread.ofVirtual().name(name).start(() -> {
            running.add(Thread.currentThread());
            try {
                task.run();
            } finally {
                running.remove(Thread.currentThread());
                synchronized (idle) {
                    active--;
                    if (active == 0) {
                        idle.notifyAll();
                    }
                }
            }
        });
    }

    /** Waits until no task runs or {@code deadlineNanos} passes; true if idle. */
    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        synchronized (idle) {
            while (active > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    int active() {
        synchronized (idle) {
            return active;
        }
    }

    void interruptAll() {
        running.forEach(Thread::interrupt);
    }
}
