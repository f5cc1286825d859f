package com.cxreports;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Runs an action once an object is unreachable, so that a client dropped without close()
 * still frees its native handle. On Java 9+ this is java.lang.ref.Cleaner, reached through
 * reflection because the jar is Java 8 bytecode; on Java 8, the same thing by hand: a
 * phantom reference per object and one daemon thread running the actions from its queue.
 * Either way the action must not refer to the object, or it never becomes unreachable.
 */
final class Cleanup {
    private Cleanup() {}

    /** Runs the action at most once: on run(), or after the object became unreachable. */
    interface Handle {
        void run();
    }

    private static final Object CLEANER;
    private static final Method REGISTER;
    private static final Method CLEAN;

    static {
        Object cleaner = null;
        Method register = null;
        Method clean = null;
        try {
            Class<?> c = Class.forName("java.lang.ref.Cleaner");
            cleaner = c.getMethod("create").invoke(null);
            register = c.getMethod("register", Object.class, Runnable.class);
            clean = Class.forName("java.lang.ref.Cleaner$Cleanable").getMethod("clean");
        } catch (ReflectiveOperationException e) {
            cleaner = null; // Java 8: the phantom-reference thread below
        }
        CLEANER = cleaner;
        REGISTER = register;
        CLEAN = clean;
    }

    static Handle register(Object obj, Runnable action) {
        if (CLEANER != null) {
            try {
                final Object cleanable = REGISTER.invoke(CLEANER, obj, action);
                return () -> {
                    try {
                        CLEAN.invoke(cleanable);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                };
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cxreports: java.lang.ref.Cleaner failed", e);
            }
        }
        return Phantoms.register(obj, action);
    }

    /** Whether this JVM uses java.lang.ref.Cleaner (else the Java 8 fallback). */
    static boolean usesCleaner() {
        return CLEANER != null;
    }

    /** The Java 8 fallback; also used by the tests on newer JVMs through registerPhantom. */
    static final class Phantoms {
        private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
        // The references themselves must stay reachable until they are enqueued.
        private static final Set<Ref> LIVE = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

        static {
            Thread t = new Thread(Phantoms::drain, "cxreports-cleanup");
            t.setDaemon(true);
            t.start();
        }

        private static final class Ref extends PhantomReference<Object> implements Handle {
            private Runnable action;

            Ref(Object obj, Runnable action) {
                super(obj, QUEUE);
                this.action = action;
            }

            @Override
            public void run() {
                Runnable a;
                synchronized (this) {
                    a = action;
                    action = null;
                }
                LIVE.remove(this);
                clear();
                if (a != null) {
                    a.run();
                }
            }
        }

        static Handle register(Object obj, Runnable action) {
            Ref r = new Ref(obj, action);
            LIVE.add(r);
            return r;
        }

        private static void drain() {
            while (true) {
                try {
                    Reference<?> r = QUEUE.remove();
                    ((Ref) r).run();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // an action that fails must not end the thread that runs the others
                }
            }
        }
    }
}
